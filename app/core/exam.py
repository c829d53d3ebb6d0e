"""The mock-exam state machine: clock, warning, autosubmit, parts, flags, strike-outs, scores.

Pure: the clock arrives as `now`, storage as an `ExamJournal` the session writes to on every
change (so nothing a learner does lives only in memory), and grading as a callable used once,
at submission. No right/wrong exists before `submit`.

Time rules (docs/exams.md): with pause policy `none` the clock is wall time since the start,
so time passes while the app is closed; with `while_closed` only time with the exam open
counts, as last written by the heartbeat. `resume_used` is that arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from app.core.exam_forms import DrawnItem, ExamForm, Navigation, PausePolicy
from app.core.models import GradeResult


class ExamStatus(StrEnum):
    RUNNING = "running"
    SUBMITTED = "submitted"


class ExamError(RuntimeError):
    """An action the exam's state or rules do not allow (a locked part, a submitted exam)."""


class ExamJournal(Protocol):
    """Where every change goes at once (app/store/exams.py in the app, a list in tests)."""

    def save_item(self, position: int, response: object, flagged: bool, struck: tuple[int, ...],
                  seconds: float) -> None: ...

    def save_clock(self, used: float, position: int, part_index: int, now: datetime,
                   seconds: dict[int, float]) -> None: ...


Grader = Callable[[int, object], GradeResult]  # (position, response) -> result


def resume_used(pause: PausePolicy, started_at: datetime, stored_used: float, now: datetime) -> float:
    """Seconds already used when an exam is reopened at `now`.

    `none`: wall time since the start (the stored figure can only be behind it).
    `while_closed`: the figure the heartbeat last wrote; closed time does not count.
    """
    if pause is PausePolicy.NONE:
        return max(stored_used, (now - started_at).total_seconds())
    return stored_used


@dataclass
class Slot:
    """One drawn item and what the learner has done with it."""

    drawn: DrawnItem
    response: object = None
    flagged: bool = False
    struck: set[int] = field(default_factory=set)  # option indices struck out
    seconds: float = 0.0

    @property
    def answered(self) -> bool:
        return self.response not in (None, "", [], {})


@dataclass(frozen=True)
class SectionScore:
    section_id: str
    title: str
    items: int
    answered: int
    earned: float  # sum of item fractions: every item counts one
    seconds: float

    @property
    def percent(self) -> float:
        return 100.0 * self.earned / self.items if self.items else 0.0


@dataclass(frozen=True)
class ExamScore:
    sections: tuple[SectionScore, ...]
    pass_mark: float

    @property
    def items(self) -> int:
        return sum(s.items for s in self.sections)

    @property
    def earned(self) -> float:
        return sum(s.earned for s in self.sections)

    @property
    def percent(self) -> float:
        return 100.0 * self.earned / self.items if self.items else 0.0

    @property
    def passed(self) -> bool:
        return self.percent + 1e-9 >= self.pass_mark

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.sections)


def score_exam(form: ExamForm, slots: Sequence[Slot], results: dict[int, GradeResult]) -> ExamScore:
    """Section and overall scores: each item earns its grade fraction (0 when blank)."""
    sections = []
    for section in form.sections:
        positions = [n for n, slot in enumerate(slots) if slot.drawn.section == section.id]
        sections.append(SectionScore(
            section.id, section.title, len(positions),
            sum(1 for n in positions if slots[n].answered),
            round(sum(results[n].fraction for n in positions if n in results), 6),
            round(sum(slots[n].seconds for n in positions), 1)))
    return ExamScore(tuple(sections), form.pass_mark)


class ExamSession:
    """One sitting of one form. Built fresh or from what the journal stored (resume)."""

    def __init__(self, form: ExamForm, drawn: Sequence[DrawnItem], journal: ExamJournal, now: datetime,
                 used: float = 0.0, position: int = 0, part_index: int = 0) -> None:
        if not drawn:
            raise ExamError("an exam needs at least one item")
        self.form = form
        self.slots = [Slot(d) for d in drawn]
        self.journal = journal
        self.status = ExamStatus.RUNNING
        self.parts = tuple(sorted({d.part for d in drawn})) if form.navigation is Navigation.LOCKED_PARTS else (0,)
        self.part_index = min(part_index, len(self.parts) - 1)
        self.position = position if self.allowed(position) else self.part_positions()[0]
        self.warned = False
        self._used_base = used
        self._run_start = now
        self._shown_at = now

    def restore(self, position: int, response: object, flagged: bool, struck: Sequence[int], seconds: float) -> None:
        """Put back what the journal holds for one item (resume); nothing is written."""
        slot = self.slots[position]
        slot.response, slot.flagged, slot.struck, slot.seconds = response, flagged, set(struck), seconds

    # -- the clock ----------------------------------------------------------------------
    @property
    def limit(self) -> float:
        return self.form.minutes * 60.0

    def used(self, now: datetime) -> float:
        return self._used_base + max(0.0, (now - self._run_start).total_seconds())

    def remaining(self, now: datetime) -> float:
        return max(0.0, self.limit - self.used(now))

    def tick(self, now: datetime) -> str:
        """Called every second or so: "time_up" (the caller submits), "warning" once, or ""."""
        if self.status is not ExamStatus.RUNNING:
            return ""
        left = self.remaining(now)
        if left <= 0:
            return "time_up"
        if left <= self.form.warning_minutes * 60 and not self.warned:
            self.warned = True
            return "warning"
        return ""

    def heartbeat(self, now: datetime) -> None:
        """Write the clock and the time on the current item (every few seconds)."""
        self._accrue(now)
        self.journal.save_clock(self.used(now), self.position, self.part_index, now,
                                {self.position: self.slots[self.position].seconds})

    def _accrue(self, now: datetime) -> None:
        if self.status is ExamStatus.RUNNING:
            self.slots[self.position].seconds += max(0.0, (now - self._shown_at).total_seconds())
        self._shown_at = now

    # -- parts and moving ---------------------------------------------------------------
    @property
    def part(self) -> int:
        return self.parts[self.part_index]

    def part_positions(self) -> list[int]:
        if self.form.navigation is not Navigation.LOCKED_PARTS:
            return list(range(len(self.slots)))
        return [n for n, slot in enumerate(self.slots) if slot.drawn.part == self.part]

    def allowed(self, position: int) -> bool:
        if not 0 <= position < len(self.slots):
            return False
        if self.form.navigation is not Navigation.LOCKED_PARTS:
            return True
        return self.slots[position].drawn.part == self.parts[min(self.part_index, len(self.parts) - 1)]

    @property
    def last_part(self) -> bool:
        return self.part_index >= len(self.parts) - 1

    def go(self, position: int, now: datetime) -> None:
        self._require_running()
        if not self.allowed(position):
            raise ExamError(f"item {position + 1} is not in the part you are working on")
        self._accrue(now)
        previous = self.position
        self.position = position
        self._save(previous)
        self.journal.save_clock(self.used(now), position, self.part_index, now, {})

    def step(self, delta: int, now: datetime) -> bool:
        """Previous/next inside the current part; False at either end."""
        positions = self.part_positions()
        index = positions.index(self.position) + delta
        if not 0 <= index < len(positions):
            return False
        self.go(positions[index], now)
        return True

    def finish_part(self, now: datetime) -> None:
        """Locked navigation: close this part for good and open the next."""
        self._require_running()
        if self.last_part:
            raise ExamError("this is the last part; submit the exam instead")
        self._accrue(now)
        self._save(self.position)
        self.part_index += 1
        self.position = self.part_positions()[0]
        self.journal.save_clock(self.used(now), self.position, self.part_index, now, {})

    # -- answering ------------------------------------------------------------------------
    def answer(self, position: int, response: object) -> None:
        self._require_editable(position)
        self.slots[position].response = response
        self._save(position)

    def flag(self, position: int, on: bool) -> None:
        self._require_editable(position)
        self.slots[position].flagged = on
        self._save(position)

    def strike(self, position: int, option: int, on: bool) -> None:
        self._require_editable(position)
        (self.slots[position].struck.add if on else self.slots[position].struck.discard)(option)
        self._save(position)

    def blank(self, positions: Sequence[int] | None = None) -> list[int]:
        return [n for n in (positions if positions is not None else range(len(self.slots)))
                if not self.slots[n].answered]

    def flagged(self, positions: Sequence[int] | None = None) -> list[int]:
        return [n for n in (positions if positions is not None else range(len(self.slots)))
                if self.slots[n].flagged]

    # -- the end --------------------------------------------------------------------------
    def submit(self, now: datetime, grade: Grader) -> tuple[ExamScore, dict[int, GradeResult]]:
        """Grade every answered item and score the sections; the exam is over."""
        self._require_running()
        self._accrue(now)
        self._save(self.position)
        self._used_base = min(self.used(now), self.limit)
        self._run_start = now
        self.status = ExamStatus.SUBMITTED
        results = {n: grade(n, slot.response) for n, slot in enumerate(self.slots) if slot.answered}
        return score_exam(self.form, self.slots, results), results

    def _save(self, position: int) -> None:
        slot = self.slots[position]
        self.journal.save_item(position, slot.response, slot.flagged, tuple(sorted(slot.struck)),
                               round(slot.seconds, 1))

    def _require_running(self) -> None:
        if self.status is not ExamStatus.RUNNING:
            raise ExamError("the exam has been submitted")

    def _require_editable(self, position: int) -> None:
        self._require_running()
        if not self.allowed(position):
            raise ExamError(f"item {position + 1} is in a part that is closed or not yet open")
