"""Moving a learner between two real databases: everything travels, nothing doubles.

The study loop's real tables (cards, review logs, daily figures) travel as they are; tables of
features still to come (exams and their answers) are stood in for by a test migration, so the
export is shown to carry tables it was never told about.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.learner import AttemptDraft
from app.store import migrations
from app.store.database import open_learner_db
from app.store.learners import LearnerStore
from app.store.transfer import TransferError, export_profile, import_profile

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def _later_features(db) -> None:  # type: ignore[no-untyped-def]
    """Tables of features still to come (exams and the like): unique keys, plain ids, child tables."""
    db.execute("CREATE TABLE x_cards (id INTEGER PRIMARY KEY, profile_id INTEGER NOT NULL REFERENCES profiles(id)"
               " ON DELETE CASCADE, item_id TEXT NOT NULL, due TEXT NOT NULL, UNIQUE (profile_id, item_id))")
    db.execute("CREATE TABLE x_card_logs (id INTEGER PRIMARY KEY, card_id INTEGER NOT NULL REFERENCES x_cards(id)"
               " ON DELETE CASCADE, rating INTEGER NOT NULL, reviewed_at TEXT NOT NULL)")
    db.execute("CREATE TABLE x_exams (id INTEGER PRIMARY KEY, profile_id INTEGER NOT NULL REFERENCES profiles(id)"
               " ON DELETE CASCADE, form TEXT NOT NULL, started_at TEXT NOT NULL)")
    db.execute("CREATE TABLE x_exam_answers (exam_id INTEGER NOT NULL REFERENCES x_exams(id) ON DELETE CASCADE,"
               " position INTEGER NOT NULL, response TEXT, PRIMARY KEY (exam_id, position))")


@pytest.fixture(autouse=True)
def later_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + (("950_test_later_features", _later_features),))


def _draft(n: int) -> AttemptDraft:
    return AttemptDraft(item_id=f"i{n}", bank_id="b", item_type="single_choice", topic="icd10cm", response=n,
                        score=1.0, max_score=1.0, correct=n % 2 == 0, seconds=3.0, answered_at=NOW, findings=())


def _fill(store: LearnerStore, name: str, answers: int) -> int:
    pid = store.create_profile(name).id
    for n in range(answers):
        store.record_attempt(pid, _draft(n))
    store.mark_lesson_read(pid, "cpt/01-sections", NOW)
    store.set_bank_enabled(pid, "hcpcs-basics", False)
    db = store.db
    card = db.execute("INSERT INTO x_cards (profile_id, item_id, due) VALUES (?, 'i1', '2026-12-02')", [pid]).lastrowid
    db.execute("INSERT INTO x_card_logs (card_id, rating, reviewed_at) VALUES (?, 3, ?)", [card, NOW.isoformat()])
    exam = db.execute("INSERT INTO x_exams (profile_id, form, started_at) VALUES (?, 'cpc-a', 'x')", [pid]).lastrowid
    for position in range(3):
        db.execute("INSERT INTO x_exam_answers VALUES (?, ?, ?)", [exam, position, f"{name}-{position}"])
    return pid


def _counts(db, pid: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    one = lambda sql: db.execute(sql, [pid]).fetchone()[0]  # noqa: E731
    return {
        "attempts": one("SELECT count(*) FROM attempts WHERE profile_id = ?"),
        "lesson_reads": one("SELECT count(*) FROM lesson_reads WHERE profile_id = ?"),
        "bank_choices": one("SELECT count(*) FROM bank_choices WHERE profile_id = ?"),
        "x_cards": one("SELECT count(*) FROM x_cards WHERE profile_id = ?"),
        "x_card_logs": one("SELECT count(*) FROM x_card_logs JOIN x_cards ON x_cards.id = card_id WHERE profile_id = ?"),
        "x_exams": one("SELECT count(*) FROM x_exams WHERE profile_id = ?"),
        "x_exam_answers": one("SELECT count(*) FROM x_exam_answers JOIN x_exams ON x_exams.id = exam_id"
                              " WHERE profile_id = ?"),
        "cards": one("SELECT count(*) FROM cards WHERE profile_id = ?"),
        "review_logs": one("SELECT count(*) FROM review_logs JOIN cards ON cards.id = card_id WHERE profile_id = ?"),
        "study_days": one("SELECT count(*) FROM study_days WHERE profile_id = ?"),
    }


def test_export_then_import_on_another_computer_carries_everything_once(tmp_path: Path) -> None:
    lab = LearnerStore(open_learner_db(tmp_path / "lab.sqlite3"))
    _fill(lab, "Someone else", 2)
    ana = _fill(lab, "Ana", 7)
    lab.set_settings({"text_size": "16", "geometry": "lab-screen"})
    exported = export_profile(lab.db, ana, tmp_path / "ana.medcode-profile", NOW)
    assert exported.added["attempts"] == 7 and exported.added["x_exam_answers"] == 3

    laptop = LearnerStore(open_learner_db(tmp_path / "laptop.sqlite3"))
    _fill(laptop, "Zed", 1)  # ids on the laptop differ from the lab's
    report = import_profile(laptop.db, tmp_path / "ana.medcode-profile", tmp_path)
    assert report.new_profile and report.profile_name == "Ana"
    moved = next(p for p in laptop.profiles() if p.name == "Ana")
    assert _counts(laptop.db, moved.id) == _counts(lab.db, ana)
    assert laptop.disabled_banks(moved.id) == {"hcpcs-basics"}
    assert laptop.setting("text_size") == "16" and laptop.setting("geometry") is None
    answers = [r[0] for r in laptop.db.execute(
        "SELECT response FROM x_exam_answers JOIN x_exams ON x_exams.id = exam_id WHERE profile_id = ?", [moved.id])]
    assert answers == ["Ana-0", "Ana-1", "Ana-2"]
    assert report.summary().startswith("Imported into new learner “Ana”: added 7 answers, 1 bank choices,")

    again = import_profile(laptop.db, tmp_path / "ana.medcode-profile", tmp_path)
    assert not again.new_profile and sum(again.added.values()) == 0
    assert _counts(laptop.db, moved.id) == _counts(lab.db, ana)


def test_work_on_both_computers_merges_by_id(tmp_path: Path) -> None:
    lab = LearnerStore(open_learner_db(tmp_path / "lab.sqlite3"))
    ana = _fill(lab, "Ana", 4)
    export_profile(lab.db, ana, tmp_path / "to-laptop.medcode-profile", NOW)
    laptop = LearnerStore(open_learner_db(tmp_path / "laptop.sqlite3"))
    import_profile(laptop.db, tmp_path / "to-laptop.medcode-profile", tmp_path)
    on_laptop = laptop.profiles()[0].id
    for n in range(10, 13):
        laptop.record_attempt(on_laptop, _draft(n))  # homework on the laptop
    lab.record_attempt(ana, _draft(20))  # and one more answer in the lab
    export_profile(laptop.db, on_laptop, tmp_path / "to-lab.medcode-profile", NOW)
    report = import_profile(lab.db, tmp_path / "to-lab.medcode-profile", tmp_path)
    assert report.added["attempts"] == 3 and report.already_there["attempts"] == 4
    assert len(lab.attempts(ana)) == 4 + 3 + 1
    # the review cards and daily figures are rebuilt from all eight answers, not taken from one side
    one = lambda sql: lab.db.execute(sql, [ana]).fetchone()[0]  # noqa: E731
    assert one("SELECT count(*) FROM review_logs JOIN cards ON cards.id = card_id WHERE profile_id = ?") == 8
    assert one("SELECT sum(answers) FROM study_days WHERE profile_id = ?") == 8
    assert one("SELECT sum(answers) FROM study_weeks WHERE profile_id = ?") == 8
    assert one("SELECT sum(answers) FROM study_topics WHERE profile_id = ?") == 8
    assert one("SELECT count(*) FROM review_logs JOIN cards ON cards.id = card_id"
               " WHERE profile_id = ? AND attempt_id IS NULL") == 0
    assert [p.name for p in lab.profiles()] == ["Ana"]


def test_a_file_that_is_not_an_export_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    laptop = LearnerStore(open_learner_db(tmp_path / "laptop.sqlite3"))
    whole = LearnerStore(open_learner_db(tmp_path / "whole.sqlite3"))
    _fill(whole, "Ana", 1)
    _fill(whole, "Ben", 1)
    text = tmp_path / "notes.medcode-profile"
    text.write_text("not a database", encoding="utf-8")
    for bad in (tmp_path / "whole.sqlite3", text):
        with pytest.raises(TransferError, match="not a MedCode Tutor profile export"):
            import_profile(laptop.db, bad, tmp_path)
    assert laptop.profiles() == []
