"""Progress figures from SQL aggregates that every answer updates, never from all attempts.

`item_progress` holds one row per learner, item and topic: answers, credit earned and
available, and which attempt came first. A trigger on `attempts` updates the row in the
same transaction as the answer, so the figures are always in step with the attempts and no
refresh ever recomputes them. The table is `WITHOUT ROWID` with the learner first in its
key, so every query below reads one contiguous range of it (a covering index by
construction); the recent answers come from `attempts_profile_answered` (migration 004).

A year of answers is a million attempts but only a few thousand rows here, so the progress
page costs the same at any history size (benchmarks/progress_scale.py). The dashboard's
queries (app/store/study_stats.py) can read the same table.

Attempts are only ever inserted (and removed with their profile, which removes these rows
through the foreign key too). Code that deletes single attempts must call
`ProgressStore.rebuild` for that learner afterwards.
"""

from __future__ import annotations

from app.core.learner import Attempt
from app.core.progress import ProgressTotals, TopicTotals
from app.store.learners import attempt_from_row
from app.store.sqlite import Database

SCHEMA = (
    """CREATE TABLE item_progress (
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        bank_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        answers INTEGER NOT NULL,
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        first_answered_at TEXT NOT NULL,
        first_attempt_id INTEGER NOT NULL,
        PRIMARY KEY (profile_id, bank_id, item_id, topic)
    ) WITHOUT ROWID""",
    # Every new attempt adds itself to its row; the earliest (answered_at, id) stays "first".
    """CREATE TRIGGER attempts_item_progress AFTER INSERT ON attempts BEGIN
        INSERT INTO item_progress (profile_id, bank_id, item_id, topic, answers, score, max_score,
                                   first_answered_at, first_attempt_id)
        VALUES (NEW.profile_id, NEW.bank_id, NEW.item_id, NEW.topic, 1, NEW.score, NEW.max_score,
                NEW.answered_at, NEW.id)
        ON CONFLICT (profile_id, bank_id, item_id, topic) DO UPDATE SET
            answers = answers + 1,
            score = score + excluded.score,
            max_score = max_score + excluded.max_score,
            first_attempt_id = CASE WHEN (excluded.first_answered_at, excluded.first_attempt_id)
                                         < (first_answered_at, first_attempt_id)
                                    THEN excluded.first_attempt_id ELSE first_attempt_id END,
            first_answered_at = MIN(first_answered_at, excluded.first_answered_at);
    END""",
)

_FILL = """
    INSERT INTO item_progress (profile_id, bank_id, item_id, topic, answers, score, max_score,
                               first_answered_at, first_attempt_id)
    SELECT profile_id, bank_id, item_id, topic, COUNT(*), SUM(score), SUM(max_score),
           MIN(answered_at), MIN(CASE WHEN rank = 1 THEN id END)
    FROM (SELECT profile_id, bank_id, item_id, topic, score, max_score, answered_at, id,
                 ROW_NUMBER() OVER (PARTITION BY profile_id, bank_id, item_id, topic
                                    ORDER BY answered_at, id) AS rank
          FROM attempts {where})
    GROUP BY profile_id, bank_id, item_id, topic
"""


def create_progress_tables(db: Database) -> None:
    """Migration 002: the table, its trigger, and the rows for the answers already stored."""
    for statement in SCHEMA:
        db.execute(statement)
    db.execute(_FILL.format(where=""))


class ProgressStore:
    """Read the progress aggregates of one learner database (all SQL lives here)."""

    def __init__(self, db: Database):
        self.db = db

    def totals(self, profile_id: int) -> ProgressTotals:
        topics = tuple(TopicTotals(*row) for row in self.db.execute(
            "SELECT topic, SUM(answers), COUNT(DISTINCT item_id), SUM(score), SUM(max_score)"
            " FROM item_progress WHERE profile_id = ? GROUP BY topic", [profile_id]))
        row = self.db.execute(
            "SELECT COALESCE(SUM(answers), 0), COUNT(DISTINCT item_id), COALESCE(SUM(score), 0.0),"
            " COALESCE(SUM(max_score), 0.0) FROM item_progress WHERE profile_id = ?", [profile_id]).fetchone()
        return ProgressTotals(int(row[0]), int(row[1]), float(row[2]), float(row[3]), topics)

    def recent(self, profile_id: int, limit: int = 15) -> list[Attempt]:
        """The latest answers, newest first (the index on profile and time, read backwards)."""
        rows = self.db.query(
            "SELECT * FROM attempts WHERE profile_id = ? ORDER BY answered_at DESC, id DESC LIMIT ?",
            [profile_id, limit])
        return [attempt_from_row(row) for row in rows]

    def first_attempts(self, profile_id: int) -> list[Attempt]:
        """Each item's first attempt (per bank and item), oldest first: what item statistics use."""
        rows = self.db.query(
            "SELECT a.* FROM attempts AS a JOIN ("
            "  SELECT first_attempt_id AS id, ROW_NUMBER() OVER ("
            "    PARTITION BY bank_id, item_id ORDER BY first_answered_at, first_attempt_id) AS rank"
            "  FROM item_progress WHERE profile_id = ?) AS f ON a.id = f.id"
            " WHERE f.rank = 1 ORDER BY a.answered_at, a.id", [profile_id])
        return [attempt_from_row(row) for row in rows]

    def first_attempts_signature(self, profile_id: int) -> tuple[int, int]:
        """Changes whenever an item gets a (new) first attempt: when item figures must be redrawn."""
        row = self.db.execute("SELECT COUNT(*), COALESCE(SUM(first_attempt_id), 0) FROM item_progress"
                              " WHERE profile_id = ?", [profile_id]).fetchone()
        return int(row[0]), int(row[1])

    def rebuild(self, profile_id: int) -> None:
        """Recompute one learner's rows from their attempts (after attempts were deleted)."""
        with self.db.atomic():
            self.db.execute("DELETE FROM item_progress WHERE profile_id = ?", [profile_id])
            self.db.execute(_FILL.format(where="WHERE profile_id = ?"), [profile_id])
