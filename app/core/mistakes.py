"""The mistake log's records: a wrong or partly wrong answer with its verdicts, and the filter.

Plain values returned by `app.store.study_stats`, so views show them without the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Mistake:
    attempt_id: int
    bank_id: str
    item_id: str
    topic: str
    score: float
    max_score: float
    answered_at: str
    verdicts: tuple[str, ...]  # e.g. ("wrong_seventh_character", "missing")

    @property
    def key(self) -> str:
        return f"{self.bank_id}/{self.item_id}"


@dataclass(frozen=True)
class MistakeFilter:
    verdict: str = ""  # "" for any
    topic: str = ""
    since: date | None = None
    until: date | None = None  # inclusive


def verdicts_of(findings: str) -> tuple[str, ...]:
    """The verdicts in an attempt's stored findings (JSON), without `correct`, each once."""
    seen: list[str] = []
    for finding in json.loads(findings or "[]"):
        verdict = str(finding[0]) if finding else ""
        if verdict and verdict != "correct" and verdict not in seen:
            seen.append(verdict)
    return tuple(seen)
