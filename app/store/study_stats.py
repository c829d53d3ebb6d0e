"""Aggregates for the Today page, the dashboard, the mistake log and reports.

All figures come from SQL over the weekly and daily summaries (`study_weeks`, `study_days`,
kept by the attempt path), the cards, or indexed ranges of attempts: nothing here loads every attempt into Python (benchmarks/study_scale.py
prints the timings over a million attempts).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TextIO

from app.store.sqlite import Database

from app.core.mistakes import Mistake, MistakeFilter, verdicts_of

@dataclass(frozen=True)
class TopicFigures:
    topic: str
    answers: int
    score: float
    max_score: float
    items: int  # distinct items with a card
    mastery: float  # mean of each item's latest score fraction

    @property
    def accuracy(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0


class StudyStats:
    """Read-only aggregates over one learner database."""

    def __init__(self, db: Database):
        self.db = db

    # -- Today -------------------------------------------------------------------------------
    def topics(self, profile_id: int) -> list[TopicFigures]:
        """Per topic: every answer's credit and each item's latest result (running totals)."""
        rows = self.db.execute(
            "SELECT topic, answers, score, max_score, items, latest_sum FROM study_topics"
            " WHERE profile_id = ? ORDER BY topic", [profile_id])
        return [TopicFigures(t, n, s, m, items, total / items if items else 0.0)
                for t, n, s, m, items, total in rows]

    def study_days(self, profile_id: int, since: date | None = None) -> list[tuple[date, int]]:
        rows = self.db.execute(
            "SELECT day, SUM(answers) FROM study_days WHERE profile_id = ? AND day >= ?"
            " GROUP BY day ORDER BY day", [profile_id, (since or date.min).isoformat()])
        return [(date.fromisoformat(d), n) for d, n in rows]

    def seconds_per_item(self, profile_id: int, since: date) -> float | None:
        row = self.db.execute("SELECT SUM(seconds), SUM(timed) FROM study_days WHERE profile_id = ?"
                              " AND day >= ?", [profile_id, since.isoformat()]).fetchone()
        return row[0] / row[1] if row and row[1] else None

    def latest_results(self, profile_id: int) -> list[tuple[str, str, str, float]]:
        """(bank, item, topic, latest score fraction) per answered item, for readiness."""
        return self.db.execute("SELECT bank_id, item_id, topic, last_fraction FROM cards"
                               " WHERE profile_id = ?", [profile_id]).fetchall()

    # -- dashboard ---------------------------------------------------------------------------
    def accuracy_by_week(self, profile_id: int) -> list[tuple[date, str, int, float]]:
        """(week's Monday, topic, answers, accuracy) per week and topic."""
        rows = self.db.execute(
            "SELECT week, topic, answers, score, max_score FROM study_weeks"
            " WHERE profile_id = ? ORDER BY week, topic", [profile_id])
        return [(date.fromisoformat(w), t, n, s / m if m else 0.0) for w, t, n, s, m in rows]

    def retention_by_week(self, profile_id: int) -> list[tuple[date, int, float]]:
        """(week, mature first-of-day reviews, share recalled) where there were any."""
        rows = self.db.execute(
            "SELECT week, SUM(mature_first), SUM(mature_first_pass) FROM study_weeks"
            " WHERE profile_id = ? GROUP BY week HAVING SUM(mature_first) > 0 ORDER BY week", [profile_id])
        return [(date.fromisoformat(w), n, p / n) for w, n, p in rows]

    def time_by_week(self, profile_id: int) -> list[tuple[date, int, float]]:
        """(week, timed answers, mean seconds per answer)."""
        rows = self.db.execute(
            "SELECT week, SUM(timed), SUM(seconds) FROM study_weeks WHERE profile_id = ?"
            " GROUP BY week HAVING SUM(timed) > 0 ORDER BY week", [profile_id])
        return [(date.fromisoformat(w), n, s / n) for w, n, s in rows]

    def totals(self, profile_id: int) -> tuple[int, float, int]:
        """(answers, accuracy, study days)."""
        row = self.db.execute("SELECT SUM(answers), SUM(score), SUM(max_score) FROM study_topics"
                              " WHERE profile_id = ?", [profile_id]).fetchone()
        days = self.db.execute("SELECT COUNT(DISTINCT day) FROM study_days WHERE profile_id = ?",
                               [profile_id]).fetchone()[0]
        return (row[0] or 0, row[1] / row[2] if row[2] else 0.0, days or 0)

    # -- mistakes ----------------------------------------------------------------------------
    def mistakes(self, profile_id: int, chosen: MistakeFilter, limit: int = 500) -> list[Mistake]:
        """Wrong and partly wrong answers, newest first, narrowed by verdict, topic and dates."""
        where, values = ["profile_id = ?", "correct = 0"], [profile_id]
        if chosen.topic:
            where.append("topic = ?")
            values.append(chosen.topic)  # type: ignore[arg-type]
        if chosen.since:
            where.append("answered_at >= ?")
            values.append(chosen.since.isoformat())  # type: ignore[arg-type]
        if chosen.until:
            where.append("answered_at < date(?, '+1 day')")
            values.append(chosen.until.isoformat())  # type: ignore[arg-type]
        if chosen.verdict:
            where.append("EXISTS (SELECT 1 FROM json_each(attempts.findings) AS f"
                         " WHERE json_extract(f.value, '$[0]') = ?)")
            values.append(chosen.verdict)  # type: ignore[arg-type]
        rows = self.db.execute(
            "SELECT id, bank_id, item_id, topic, score, max_score, answered_at, findings FROM attempts"
            f" WHERE {' AND '.join(where)} ORDER BY answered_at DESC, id DESC LIMIT ?", [*values, limit])
        return [Mistake(i, b, it, t, s, m, at, verdicts_of(f)) for i, b, it, t, s, m, at, f in rows]

    def mistake_verdicts(self, profile_id: int) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT json_extract(f.value, '$[0]') AS v FROM attempts, json_each(attempts.findings) AS f"
            " WHERE profile_id = ? AND correct = 0 AND v != 'correct' ORDER BY v", [profile_id])
        return [r[0] for r in rows if r[0]]

    # -- export ------------------------------------------------------------------------------
    def write_attempts_csv(self, profile_id: int, out: TextIO) -> int:
        """Every attempt, oldest first, streamed (the instructor's CSV); returns the row count."""
        writer = csv.writer(out)
        writer.writerow(["answered_at", "bank", "item", "type", "topic", "score", "max_score",
                         "correct", "seconds", "verdicts", "response"])
        count = 0
        for row in self._attempt_rows(profile_id):
            writer.writerow(row)
            count += 1
        return count

    def _attempt_rows(self, profile_id: int) -> Iterator[list[object]]:
        cursor = self.db.execute(
            "SELECT answered_at, bank_id, item_id, item_type, topic, score, max_score, correct, seconds,"
            " findings, response FROM attempts WHERE profile_id = ? ORDER BY answered_at, id", [profile_id])
        for at, bank, item, kind, topic, score, max_score, correct, seconds, findings, response in cursor:
            yield [at, bank, item, kind, topic, f"{score:g}", f"{max_score:g}", int(correct),
                   f"{seconds:.1f}", " ".join(verdicts_of(findings)), response]

