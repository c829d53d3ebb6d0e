"""Mock exams on disk: the draw, every answer, flag and strike-out, the clock, the results.

Every write is one transaction committed with `PRAGMA synchronous = FULL`: the commit
reaches the disk before the call returns, so a crash, a kill or a power cut keeps every
answer the learner gave. The learner store now opens every connection with FULL as well
(docs/data-safety.md); the exam store sets FULL itself so that it never depends on that. A heartbeat writes the clock every
few seconds. The form is stored with the exam as JSON, so an exam resumes under the rules
it started with even if the form file changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from app.store.sqlite import Database

from app.core.exam_forms import DrawnItem, ExamForm, form_from_dict, form_to_dict

RECENT_EXAMS = 3  # items seen in this many latest exams are drawn last


@dataclass(frozen=True)
class StoredItem:
    position: int
    drawn: DrawnItem
    response: object
    flagged: bool
    struck: tuple[int, ...]
    seconds: float
    score: float | None = None
    max_score: float | None = None
    correct: bool | None = None
    findings: tuple[tuple[str, str, str], ...] = ()
    recorded: bool = False


@dataclass(frozen=True)
class StoredExam:
    id: int
    profile_id: int
    form: ExamForm
    seed: int
    status: str
    avoided: frozenset[str]  # items of earlier exams the draw put last
    started_at: datetime
    used_seconds: float
    heartbeat_at: datetime
    position: int
    part_index: int
    items: tuple[StoredItem, ...]
    submitted_at: datetime | None = None
    percent: float | None = None
    passed: bool | None = None
    sections: tuple[dict[str, object], ...] = ()  # section scores as written at submission


@dataclass(frozen=True)
class ExamRecord:
    """One line of the exam history."""

    id: int
    form_id: str
    form_title: str
    started_at: datetime
    submitted_at: datetime
    used_seconds: float
    percent: float
    passed: bool


class ExamStore:
    def __init__(self, db: Database):
        self.db = db

    @contextmanager
    def _durable(self) -> Iterator[None]:
        """One transaction whose commit is synced to disk (synchronous=FULL) before returning."""
        conn = self.db.conn
        before = conn.execute("PRAGMA synchronous").fetchone()[0]
        conn.execute("PRAGMA synchronous = FULL")
        try:
            with self.db.atomic():
                yield
        finally:
            conn.execute(f"PRAGMA synchronous = {int(before)}")

    # -- starting ---------------------------------------------------------------------
    def create_exam(self, profile_id: int, form: ExamForm, seed: int, drawn: tuple[DrawnItem, ...],
                    now: datetime, avoided: frozenset[str] = frozenset()) -> int:
        """Store a new exam: the form, the seed and the keys the draw avoided reproduce the draw."""
        with self._durable():
            cursor = self.db.execute(
                "INSERT INTO exams (profile_id, form_id, form_title, form, seed, avoided, started_at, heartbeat_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [profile_id, form.id, form.title, json.dumps(form_to_dict(form)), seed, json.dumps(sorted(avoided)),
                 now.isoformat(), now.isoformat()])
            exam_id = int(cursor.lastrowid or 0)
            self.db.conn.executemany(
                "INSERT INTO exam_items (exam_id, position, item_key, section, part, option_order)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(exam_id, n, d.key, d.section, d.part, json.dumps(list(d.option_order)))
                 for n, d in enumerate(drawn)])
        return exam_id

    # -- while it runs ----------------------------------------------------------------
    def save_item(self, exam_id: int, position: int, response: object, flagged: bool,
                  struck: tuple[int, ...], seconds: float) -> None:
        with self._durable():
            self.db.execute(
                "UPDATE exam_items SET response = ?, flagged = ?, struck = ?, seconds = ?"
                " WHERE exam_id = ? AND position = ?",
                [None if response is None else json.dumps(response), int(flagged), json.dumps(list(struck)),
                 seconds, exam_id, position])

    def save_clock(self, exam_id: int, used: float, position: int, part_index: int, now: datetime,
                   seconds: dict[int, float]) -> None:
        with self._durable():
            self.db.execute(
                "UPDATE exams SET used_seconds = ?, position = ?, part_index = ?, heartbeat_at = ?"
                " WHERE id = ? AND status = 'running'",
                [round(used, 2), position, part_index, now.isoformat(), exam_id])
            for n, value in seconds.items():
                self.db.execute("UPDATE exam_items SET seconds = ? WHERE exam_id = ? AND position = ?",
                                [round(value, 1), exam_id, n])

    def has_running_exam(self, profile_id: int) -> bool:
        """Cheap check at start-up (the Exams page is only built when there is one)."""
        return bool(list(self.db.query(
            "SELECT 1 FROM exams WHERE profile_id = ? AND status = 'running' LIMIT 1", [profile_id])))

    def running_exam(self, profile_id: int) -> StoredExam | None:
        rows = list(self.db.query("SELECT id FROM exams WHERE profile_id = ? AND status = 'running'"
                                  " ORDER BY id DESC LIMIT 1", [profile_id]))
        return self.exam(rows[0]["id"]) if rows else None

    def abandon_exam(self, exam_id: int) -> None:
        with self._durable():
            self.db.execute("UPDATE exams SET status = 'abandoned' WHERE id = ? AND status = 'running'", [exam_id])

    # -- the end ------------------------------------------------------------------------
    def finish_exam(self, exam_id: int, now: datetime, used: float, percent: float, passed: bool,
                    sections: list[dict[str, object]],
                    grades: dict[int, tuple[float, float, bool, tuple[tuple[str, str, str], ...]]]) -> None:
        """Submission in one durable transaction: the scores per item, per section, overall."""
        with self._durable():
            self.db.execute(
                "UPDATE exams SET status = 'submitted', submitted_at = ?, used_seconds = ?, percent = ?,"
                " passed = ?, sections = ?, heartbeat_at = ? WHERE id = ?",
                [now.isoformat(), round(used, 2), percent, int(passed), json.dumps(sections), now.isoformat(),
                 exam_id])
            for n, (score, max_score, correct, findings) in grades.items():
                self.db.execute(
                    "UPDATE exam_items SET score = ?, max_score = ?, correct = ?, findings = ?"
                    " WHERE exam_id = ? AND position = ?",
                    [score, max_score, int(correct), json.dumps([list(f) for f in findings]), exam_id, n])

    def mark_recorded(self, exam_id: int, position: int) -> None:
        """The item's answer is now an ordinary attempt (the study queue and mistake log see it)."""
        with self.db.atomic():
            self.db.execute("UPDATE exam_items SET recorded = 1 WHERE exam_id = ? AND position = ?",
                            [exam_id, position])

    def unrecorded_exams(self, profile_id: int) -> list[int]:
        """Submitted exams with graded answers not yet recorded as attempts (a crash in between)."""
        rows = self.db.query(
            "SELECT DISTINCT e.id FROM exams e JOIN exam_items i ON i.exam_id = e.id"
            " WHERE e.profile_id = ? AND e.status = 'submitted' AND i.score IS NOT NULL AND i.recorded = 0",
            [profile_id])
        return [row["id"] for row in rows]

    # -- reading --------------------------------------------------------------------------
    def exam(self, exam_id: int) -> StoredExam | None:
        rows = list(self.db.query("SELECT * FROM exams WHERE id = ?", [exam_id]))
        if not rows:
            return None
        items = tuple(_item(row) for row in self.db.query(
            "SELECT * FROM exam_items WHERE exam_id = ? ORDER BY position", [exam_id]))
        return _exam(rows[0], items)

    def history(self, profile_id: int) -> list[ExamRecord]:
        rows = self.db.query(
            "SELECT id, form_id, form_title, started_at, submitted_at, used_seconds, percent, passed"
            " FROM exams WHERE profile_id = ? AND status = 'submitted' ORDER BY submitted_at, id", [profile_id])
        return [ExamRecord(r["id"], r["form_id"], r["form_title"], datetime.fromisoformat(r["started_at"]),
                           datetime.fromisoformat(r["submitted_at"]), r["used_seconds"], r["percent"],
                           bool(r["passed"])) for r in rows]

    def recent_item_keys(self, profile_id: int, exams: int = RECENT_EXAMS) -> frozenset[str]:
        rows = self.db.query(
            "SELECT DISTINCT item_key FROM exam_items WHERE exam_id IN"
            " (SELECT id FROM exams WHERE profile_id = ? AND status != 'running' ORDER BY id DESC LIMIT ?)",
            [profile_id, exams])
        return frozenset(row["item_key"] for row in rows)


def _item(row: dict) -> StoredItem:  # type: ignore[type-arg]
    return StoredItem(
        position=row["position"],
        drawn=DrawnItem(row["item_key"], row["section"], row["part"], tuple(json.loads(row["option_order"]))),
        response=None if row["response"] is None else json.loads(row["response"]),
        flagged=bool(row["flagged"]), struck=tuple(json.loads(row["struck"])), seconds=row["seconds"],
        score=row["score"], max_score=row["max_score"],
        correct=None if row["correct"] is None else bool(row["correct"]),
        findings=tuple(tuple(f) for f in json.loads(row["findings"])),  # type: ignore[misc]
        recorded=bool(row["recorded"]))


def _exam(row: dict, items: tuple[StoredItem, ...]) -> StoredExam:  # type: ignore[type-arg]
    return StoredExam(
        id=row["id"], profile_id=row["profile_id"], form=form_from_dict(json.loads(row["form"])), seed=row["seed"],
        avoided=frozenset(json.loads(row["avoided"])), status=row["status"], started_at=datetime.fromisoformat(row["started_at"]),
        used_seconds=row["used_seconds"], heartbeat_at=datetime.fromisoformat(row["heartbeat_at"]),
        position=row["position"], part_index=row["part_index"], items=items,
        submitted_at=datetime.fromisoformat(row["submitted_at"]) if row["submitted_at"] else None,
        percent=row["percent"], passed=None if row["passed"] is None else bool(row["passed"]),
        sections=tuple(json.loads(row["sections"])))
