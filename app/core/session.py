"""The practice session: a state machine that drives a passive view.

The session knows the items, the current position and the state; it asks the grader for
a result and hands a finished attempt to the recorder. It never touches Qt or storage:
both arrive as plain callables, and the clock arrives as the `now` argument.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from app.core.learner import AttemptDraft
from app.core.models import GradeResult, Item

Grader = Callable[[Item, object], GradeResult]
Recorder = Callable[[AttemptDraft], None]


class State(StrEnum):
    IDLE = "idle"  # not started
    ASKING = "asking"  # an item is shown, waiting for an answer
    ANSWERED = "answered"  # the result is shown, waiting for "next"
    FINISHED = "finished"


class SessionError(RuntimeError):
    """An action that the current state does not allow (a view bug, not a user error)."""


@dataclass(frozen=True)
class ItemScore:
    """One answered item's points, so the summary's total can be followed item by item."""

    item_id: str
    title: str
    score: float
    max_score: float
    correct: bool


@dataclass(frozen=True)
class SessionSummary:
    answered: int
    correct: int
    score: float
    max_score: float
    items: tuple[ItemScore, ...] = ()

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0


class PracticeView(Protocol):
    def show_item(self, item: Item, position: int, total: int) -> None: ...

    def show_result(self, item: Item, result: GradeResult) -> None: ...

    def show_finished(self, summary: SessionSummary) -> None: ...


class PracticeSession:
    """Ask, answer, see the result, next: until the items run out."""

    def __init__(self, items: Sequence[Item], view: PracticeView, grade: Grader, record: Recorder):
        if not items:
            raise SessionError("a practice session needs at least one item")
        self.items = tuple(items)
        self.view = view
        self._grade = grade
        self._record = record
        self.state = State.IDLE
        self.position = 0
        self._shown_at: datetime | None = None
        self.results: list[GradeResult] = []

    @property
    def current(self) -> Item:
        return self.items[self.position]

    def start(self, now: datetime) -> None:
        self._require(State.IDLE)
        self._show(0, now)

    def submit(self, response: object, now: datetime) -> GradeResult:
        """Grade the response, record the attempt, show the result."""
        self._require(State.ASKING)
        item = self.current
        result = self._grade(item, response)
        seconds = max(0.0, (now - self._shown_at).total_seconds()) if self._shown_at else 0.0
        self._record(_draft(item, response, result, seconds, now))
        self.results.append(result)
        self.state = State.ANSWERED
        self.view.show_result(item, result)
        return result

    def next(self, now: datetime) -> None:
        self._require(State.ANSWERED)
        if self.position + 1 < len(self.items):
            self._show(self.position + 1, now)
        else:
            self.state = State.FINISHED
            self.view.show_finished(self.summary())

    def summary(self) -> SessionSummary:
        return SessionSummary(
            answered=len(self.results),
            correct=sum(1 for r in self.results if r.correct),
            score=sum(r.score for r in self.results),
            max_score=sum(r.max_score for r in self.results),
            items=tuple(ItemScore(item.meta.id, display_title(item), r.score, r.max_score, r.correct)
                        for item, r in zip(self.items, self.results, strict=False)),
        )

    def _show(self, position: int, now: datetime) -> None:
        self.position = position
        self._shown_at = now
        self.state = State.ASKING
        self.view.show_item(self.current, position + 1, len(self.items))

    def _require(self, state: State) -> None:
        if self.state is not state:
            raise SessionError(f"cannot do that while the session is {self.state.value}")


def display_title(item: Item) -> str:
    """What a student recognises an item by: its title, else the opening words of its question."""
    return item.meta.title or _first_words(item.stem)


def _first_words(text: str, limit: int = 60) -> str:
    """A stem's opening words, for items without a title."""
    line = " ".join(text.replace("*", "").replace("#", "").split())
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def _draft(item: Item, response: object, result: GradeResult, seconds: float, now: datetime) -> AttemptDraft:
    return AttemptDraft(
        item_id=item.meta.id,
        bank_id=item.meta.bank,
        item_type=item.type.value,
        topic=item.meta.topic,
        response=response,
        score=result.score,
        max_score=result.max_score,
        correct=result.correct,
        seconds=round(seconds, 1),
        answered_at=now,
        findings=tuple((f.verdict, f.code, f.message) for f in result.findings),
    )
