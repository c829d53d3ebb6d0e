"""Learner data: profiles, attempts, lesson reads, bank choices and app settings.

The only module with learner-data SQL. Each public method is one use case in one
transaction; values always travel as parameters; results come back as dataclasses.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from app.store.sqlite import Database

from app.core.learner import Attempt, AttemptDraft, LessonRead, Profile
from app.store.reviews import record_review


class ProfileNameError(ValueError):
    """A profile name is empty, too long or already taken."""


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ProfileNameError("A profile needs a name.")
    if len(cleaned) > 60:
        raise ProfileNameError("Profile names are at most 60 characters.")
    return cleaned


class LearnerStore:
    """Everything the app remembers about its learners, on one `app.store.sqlite.Database`."""

    def __init__(self, db: Database):
        self.db = db

    # -- profiles -------------------------------------------------------------------
    def profiles(self) -> list[Profile]:
        rows = self.db.query("SELECT id, name, created_at FROM profiles ORDER BY name COLLATE NOCASE")
        return [Profile(row["id"], row["name"], _time(row["created_at"])) for row in rows]

    def profile(self, profile_id: int) -> Profile | None:
        rows = list(self.db.query("SELECT id, name, created_at FROM profiles WHERE id = ?", [profile_id]))
        return Profile(rows[0]["id"], rows[0]["name"], _time(rows[0]["created_at"])) if rows else None

    def _name_taken(self, name: str, except_id: int | None = None) -> bool:
        rows = self.db.query(
            "SELECT id FROM profiles WHERE name = ? COLLATE NOCASE AND id IS NOT ?", [name, except_id]
        )
        return any(True for _ in rows)

    def create_profile(self, name: str) -> Profile:
        cleaned = _clean_name(name)
        with self.db.atomic():
            if self._name_taken(cleaned):
                raise ProfileNameError(f"There is already a profile called “{cleaned}”.")
            created = _now()
            cursor = self.db.execute(
                "INSERT INTO profiles (name, created_at) VALUES (?, ?)", [cleaned, created]
            )
            profile_id = int(cursor.lastrowid or 0)
        return Profile(profile_id, cleaned, _time(created))

    def rename_profile(self, profile_id: int, name: str) -> Profile:
        cleaned = _clean_name(name)
        with self.db.atomic():
            if self._name_taken(cleaned, except_id=profile_id):
                raise ProfileNameError(f"There is already a profile called “{cleaned}”.")
            self.db.execute("UPDATE profiles SET name = ? WHERE id = ?", [cleaned, profile_id])
        renamed = self.profile(profile_id)
        if renamed is None:
            raise ProfileNameError("That profile no longer exists.")
        return renamed

    def delete_profile(self, profile_id: int) -> bool:
        """Delete a profile and, through foreign keys, all of its attempts and reads."""
        with self.db.atomic():
            self.db.execute("DELETE FROM profiles WHERE id = ?", [profile_id])
        return True

    # -- attempts -------------------------------------------------------------------
    def record_attempt(self, profile_id: int, draft: AttemptDraft) -> int:
        findings = [list(finding) for finding in draft.findings]
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO attempts (profile_id, bank_id, item_id, item_type, topic, response,"
                " score, max_score, correct, seconds, answered_at, findings)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    profile_id, draft.bank_id, draft.item_id, draft.item_type, draft.topic,
                    json.dumps(draft.response), draft.score, draft.max_score, int(draft.correct),
                    draft.seconds, draft.answered_at.isoformat(), json.dumps(findings),
                ],
            )
            attempt_id = int(cursor.lastrowid or 0)
            # Every answer, wherever it comes from, updates the profile's review card (issue 15).
            record_review(self.db, profile_id, draft, attempt_id)
            return attempt_id

    def attempts(self, profile_id: int) -> list[Attempt]:
        rows = self.db.query(
            "SELECT * FROM attempts WHERE profile_id = ? ORDER BY answered_at, id", [profile_id]
        )
        return [attempt_from_row(row) for row in rows]

    def last_results(self, profile_id: int) -> dict[str, bool]:
        """Item id -> whether the learner's latest answer to it was right (one SQL aggregate).

        The lessons list shows per-lesson scores from this without loading every attempt.
        """
        rows = self.db.execute(
            "SELECT a.item_id, a.correct FROM attempts a JOIN ("
            " SELECT item_id, MAX(id) AS last_id FROM attempts WHERE profile_id = ? GROUP BY item_id"
            ") l ON a.id = l.last_id",
            [profile_id],
        ).fetchall()
        return {item_id: bool(correct) for item_id, correct in rows}

    # -- lessons --------------------------------------------------------------------
    def mark_lesson_read(self, profile_id: int, lesson_id: str, when: datetime) -> None:
        stamp = when.isoformat()
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO lesson_reads (profile_id, lesson_id, first_read_at, last_read_at, times)"
                " VALUES (?, ?, ?, ?, 1) ON CONFLICT (profile_id, lesson_id) DO UPDATE SET"
                " last_read_at = excluded.last_read_at, times = times + 1",
                [profile_id, lesson_id, stamp, stamp],
            )

    def lesson_reads(self, profile_id: int) -> list[LessonRead]:
        rows = self.db.query(
            "SELECT lesson_id, first_read_at, last_read_at, times FROM lesson_reads"
            " WHERE profile_id = ? ORDER BY first_read_at",
            [profile_id],
        )
        return [
            LessonRead(r["lesson_id"], _time(r["first_read_at"]), _time(r["last_read_at"]), r["times"])
            for r in rows
        ]

    # -- banks switched on and off --------------------------------------------------
    def set_bank_enabled(self, profile_id: int, bank_id: str, enabled: bool) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO bank_choices (profile_id, bank_id, enabled) VALUES (?, ?, ?)"
                " ON CONFLICT (profile_id, bank_id) DO UPDATE SET enabled = excluded.enabled",
                [profile_id, bank_id, int(enabled)],
            )

    def disabled_banks(self, profile_id: int) -> set[str]:
        rows = self.db.query(
            "SELECT bank_id FROM bank_choices WHERE profile_id = ? AND enabled = 0", [profile_id]
        )
        return {row["bank_id"] for row in rows}

    # -- app settings ---------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        rows = list(self.db.query("SELECT value FROM settings WHERE key = ?", [key]))
        return rows[0]["value"] if rows else default

    def set_settings(self, values: dict[str, str]) -> None:
        with self.db.atomic():
            for key, value in values.items():
                self.db.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )


def attempt_from_row(row: dict) -> Attempt:  # type: ignore[type-arg]
    return Attempt(
        id=row["id"], profile_id=row["profile_id"], item_id=row["item_id"], bank_id=row["bank_id"],
        item_type=row["item_type"], topic=row["topic"], response=json.loads(row["response"]),
        score=row["score"], max_score=row["max_score"], correct=bool(row["correct"]),
        seconds=row["seconds"], answered_at=_time(row["answered_at"]),
    )

