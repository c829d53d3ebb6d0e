"""Damage written into real pages: found at start, other learners unaffected, rows recovered."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.learner import AttemptDraft
from app.store.database import open_learner_db
from app.store.integrity import full_check, quick_check, recover
from app.store.learners import LearnerStore

from db_damage import pages_holding, smash_page

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def _draft(n: int, text: str) -> AttemptDraft:
    return AttemptDraft(item_id=f"i{n}", bank_id="b", item_type="short_answer", topic="icd10cm",
                        response=text, score=1.0, max_score=1.0, correct=True, seconds=3.0,
                        answered_at=NOW, findings=())


def make_two_learners(path: Path) -> tuple[int, int]:
    """Ana's few answers on one page, Ben's many long ones on pages of their own."""
    store = LearnerStore(open_learner_db(path))
    ana, ben = store.create_profile("Ana"), store.create_profile("Ben")
    for n in range(5):
        store.record_attempt(ana.id, _draft(n, "ana answer"))
    for n in range(200):
        store.record_attempt(ben.id, _draft(n, f"BEN-MARKER {n} " + "x" * 300))
    store.db.close()
    return ana.id, ben.id


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Path, int, int]:
    path = tmp_path / "learner.sqlite3"
    ana, ben = make_two_learners(path)
    bens = pages_holding(path, b"BEN-MARKER")
    assert len(bens) > 10
    smash_page(path, bens[len(bens) // 2])
    return path, ana, ben


def test_a_sound_file_passes_both_checks(tmp_path: Path) -> None:
    make_two_learners(tmp_path / "learner.sqlite3")
    db = open_learner_db(tmp_path / "learner.sqlite3")
    assert quick_check(db) == [] and full_check(db) == []


def test_damage_in_one_learner_is_found_and_the_other_learner_still_works(damaged) -> None:  # type: ignore[no-untyped-def]
    path, ana, ben = damaged
    db = open_learner_db(path)  # the file still opens: damage never locks everyone out
    assert quick_check(db) and full_check(db)
    store = LearnerStore(db)
    assert [p.name for p in store.profiles()] == ["Ana", "Ben"]
    assert len(store.attempts(ana)) == 5
    store.record_attempt(ana, _draft(99, "after the damage"))
    assert len(store.attempts(ana)) == 6
    with pytest.raises(Exception, match="malformed|corrupt"):
        store.attempts(ben)


def test_recover_copies_every_readable_row_into_a_sound_file(damaged, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, ana, ben = damaged
    report = recover(path, tmp_path / "recovered.sqlite3")
    fixed = open_learner_db(report.path)
    assert full_check(fixed) == []
    store = LearnerStore(fixed)
    assert [p.name for p in store.profiles()] == ["Ana", "Ben"]
    assert len(store.attempts(ana)) == 5
    saved = len(store.attempts(ben))
    assert 150 < saved < 200  # the rows on the smashed page are gone, the rest are back
    assert report.copied["attempts"] == 5 + saved and report.lost["attempts"] == 200 - saved
    assert f"attempts: {5 + saved} row(s)" in report.summary()
    fixed.close()
