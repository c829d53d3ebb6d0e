"""Learner-side records returned by the store: profiles, attempts, lesson reads.

Plain frozen values, so progress statistics and exports work on them without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True)
class AttemptDraft:
    """An answer about to be stored: what the session knows when the learner submits."""

    item_id: str
    bank_id: str
    item_type: str
    topic: str
    response: object  # JSON-ready: an option index, a list, a number or the typed codes
    score: float
    max_score: float
    correct: bool
    seconds: float
    answered_at: datetime
    findings: tuple[tuple[str, str, str], ...] = ()  # (verdict, code, message)


@dataclass(frozen=True)
class Attempt:
    id: int
    profile_id: int
    item_id: str
    bank_id: str
    item_type: str
    topic: str
    response: object
    score: float
    max_score: float
    correct: bool
    seconds: float
    answered_at: datetime


@dataclass(frozen=True)
class LessonRead:
    lesson_id: str
    first_read_at: datetime
    last_read_at: datetime
    times: int
