"""Profiles, attempts and lesson reads on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.learner import AttemptDraft
from app.store.database import open_learner_db
from app.store.learners import LearnerStore, ProfileNameError

WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> LearnerStore:
    return LearnerStore(open_learner_db(tmp_path / "learner.sqlite3"))


def _draft(item_id: str = "cm-conv-001", correct: bool = True) -> AttemptDraft:
    return AttemptDraft(
        item_id=item_id, bank_id="icd10cm-conventions", item_type="single_choice",
        topic="icd10cm", response=2, score=1.0 if correct else 0.0, max_score=1.0,
        correct=correct, seconds=12.5, answered_at=WHEN,
        findings=(("correct", "E11.9", "Matches the key."),),
    )


def test_create_rename_switch_delete_profiles(store: LearnerStore) -> None:
    ana = store.create_profile("  Ana   Lopez ")
    ben = store.create_profile("Ben")
    assert ana.name == "Ana Lopez"
    assert [p.name for p in store.profiles()] == ["Ana Lopez", "Ben"]
    with pytest.raises(ProfileNameError, match="already"):
        store.create_profile("ana lopez")
    with pytest.raises(ProfileNameError, match="needs a name"):
        store.create_profile("   ")
    assert store.rename_profile(ben.id, "Benjamin").name == "Benjamin"
    with pytest.raises(ProfileNameError):
        store.rename_profile(ben.id, "ANA LOPEZ")
    store.delete_profile(ana.id)
    assert [p.name for p in store.profiles()] == ["Benjamin"]


def test_attempts_round_trip_and_cascade(store: LearnerStore, tmp_path: Path) -> None:
    ana = store.create_profile("Ana")
    store.record_attempt(ana.id, _draft())
    store.record_attempt(ana.id, _draft("cm-case-001", correct=False))
    store.mark_lesson_read(ana.id, "icd10cm-code-structure", WHEN)
    store.mark_lesson_read(ana.id, "icd10cm-code-structure", WHEN)
    reopened = LearnerStore(open_learner_db(tmp_path / "learner.sqlite3"))
    attempts = reopened.attempts(ana.id)
    assert [(a.item_id, a.correct, a.response, a.seconds) for a in attempts] == [
        ("cm-conv-001", True, 2, 12.5),
        ("cm-case-001", False, 2, 12.5),
    ]
    assert attempts[0].answered_at == WHEN
    assert [(r.lesson_id, r.times) for r in reopened.lesson_reads(ana.id)] == [
        ("icd10cm-code-structure", 2)
    ]
    reopened.delete_profile(ana.id)
    assert reopened.attempts(ana.id) == []
    assert reopened.lesson_reads(ana.id) == []


def test_bank_switches_and_settings(store: LearnerStore) -> None:
    ana = store.create_profile("Ana")
    store.set_bank_enabled(ana.id, "terminology", False)
    store.set_bank_enabled(ana.id, "icd10cm-conventions", True)
    assert store.disabled_banks(ana.id) == {"terminology"}
    store.set_bank_enabled(ana.id, "terminology", True)
    assert store.disabled_banks(ana.id) == set()
    store.set_settings({"text_size": "13", "last_profile": str(ana.id)})
    store.set_settings({"text_size": "15"})
    assert store.setting("text_size") == "15"
    assert store.setting("missing", "x") == "x"
