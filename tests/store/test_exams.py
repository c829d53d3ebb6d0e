"""The exam store on a real SQLite file: draw, answers, flags, strikes, clock, results, history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core.exam_forms import DrawnItem, DrawRule, ExamForm, FormSection, Navigation, PausePolicy
from app.store.database import open_learner_db
from app.store.exams import ExamStore
from app.store.learners import LearnerStore

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
FORM = ExamForm("f", "Form F", (FormSection("a", "A", (DrawRule(2, topics=("icd10cm",)),), 1),
                                FormSection("b", "B", (DrawRule(1),), 2)),
                minutes=30, navigation=Navigation.LOCKED_PARTS, pause=PausePolicy.WHILE_CLOSED)
DRAWN = (DrawnItem("bank/x1", "a", 1, (2, 0, 1)), DrawnItem("bank/x2", "a", 1, (1, 0)), DrawnItem("bank/x3", "b", 2))


def _stores(path: Path) -> tuple[LearnerStore, ExamStore]:
    db = open_learner_db(path)
    return LearnerStore(db), ExamStore(db)


def test_an_exam_written_piece_by_piece_reads_back_whole_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "learner.sqlite3"
    learners, exams = _stores(path)
    pid = learners.create_profile("Ana").id
    exam_id = exams.create_exam(pid, FORM, 1234, DRAWN, T0, frozenset({"bank/old"}))
    exams.save_item(exam_id, 0, 2, True, (1,), 12.5)
    exams.save_item(exam_id, 2, ["E11.9, Z79.4"], False, (), 3.0)
    exams.save_clock(exam_id, 75.5, 2, 1, T0 + timedelta(seconds=80), {2: 4.0})
    exams.db.close()

    _, reopened = _stores(path)
    exam = reopened.running_exam(pid)
    assert exam is not None and exam.id == exam_id and exam.form == FORM and exam.seed == 1234
    assert exam.avoided == {"bank/old"}
    assert [i.drawn for i in exam.items] == list(DRAWN)
    first, second, third = exam.items
    assert (first.response, first.flagged, first.struck, first.seconds) == (2, True, (1,), 12.5)
    assert second.response is None and not second.flagged
    assert third.response == ["E11.9, Z79.4"] and third.seconds == 4.0
    assert (exam.used_seconds, exam.position, exam.part_index) == (75.5, 2, 1)
    assert exam.heartbeat_at == T0 + timedelta(seconds=80) and exam.started_at == T0


def test_exam_writes_commit_with_synchronous_full_and_the_connection_keeps_its_setting(tmp_path: Path) -> None:
    learners, exams = _stores(tmp_path / "learner.sqlite3")
    pid = learners.create_profile("Ana").id
    exam_id = exams.create_exam(pid, FORM, 1, DRAWN, T0)
    exams.db.conn.execute("PRAGMA synchronous = NORMAL")  # whatever the app's setting, an exam write is FULL
    statements: list[str] = []
    exams.db.conn.set_trace_callback(statements.append)
    exams.save_item(exam_id, 1, 0, False, (), 1.0)
    exams.db.conn.set_trace_callback(None)
    full = next(n for n, s in enumerate(statements) if s.strip() == "PRAGMA synchronous = FULL")
    update = next(n for n, s in enumerate(statements) if s.startswith("UPDATE exam_items"))
    commit = next(n for n, s in enumerate(statements) if n > update and ("COMMIT" in s.upper() or "RELEASE" in s.upper()))
    assert full < update < commit
    assert exams.db.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # the setting it had before, again


def test_finishing_stores_scores_and_history_and_recent_items_steer_the_next_draw(tmp_path: Path) -> None:
    learners, exams = _stores(tmp_path / "learner.sqlite3")
    pid = learners.create_profile("Ana").id
    first = exams.create_exam(pid, FORM, 1, DRAWN, T0)
    exams.finish_exam(first, T0 + timedelta(minutes=20), 1200, 66.67, False,
                      [{"id": "a", "title": "A", "items": 2, "answered": 2, "percent": 50.0, "seconds": 900}],
                      {0: (1.0, 1.0, True, ()), 2: (0.5, 1.0, False, (("missing", "Z79.4", "Z79.4 is missing"),))})
    assert exams.running_exam(pid) is None
    exam = exams.exam(first)
    assert exam.status == "submitted" and exam.percent == 66.67 and exam.passed is False
    assert exam.items[2].findings == (("missing", "Z79.4", "Z79.4 is missing"),)
    assert exam.items[0].correct is True and exam.items[1].score is None
    assert exam.sections[0]["percent"] == 50.0
    assert exams.unrecorded_exams(pid) == [first]
    exams.mark_recorded(first, 0)
    exams.mark_recorded(first, 2)
    assert exams.unrecorded_exams(pid) == []

    second = exams.create_exam(pid, FORM, 2, (DrawnItem("bank/y1", "a", 1),), T0 + timedelta(days=1))
    exams.abandon_exam(second)
    assert exams.recent_item_keys(pid) == {"bank/x1", "bank/x2", "bank/x3", "bank/y1"}
    assert exams.recent_item_keys(pid, exams=1) == {"bank/y1"}
    history = exams.history(pid)
    assert [(h.id, h.form_id, h.percent, h.passed) for h in history] == [(first, "f", 66.67, False)]


def test_deleting_a_learner_deletes_their_exams(tmp_path: Path) -> None:
    learners, exams = _stores(tmp_path / "learner.sqlite3")
    pid = learners.create_profile("Ana").id
    exam_id = exams.create_exam(pid, FORM, 1, DRAWN, T0)
    learners.delete_profile(pid)
    assert exams.exam(exam_id) is None
    assert list(exams.db.query("SELECT count(*) AS n FROM exam_items"))[0]["n"] == 0
