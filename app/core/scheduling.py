"""Review scheduling: the rating rule, one FSRS step, the exam-date cap, load spreading, leeches.

Pure Python around the `fsrs` package (docs/study-loop.md): no Qt, no SQL, and `now` always
arrives as a parameter, so every rule here is tested without a clock or a database. The
catch-up plan and the choice of new items live in `app.core.study_plan`.

Days are UTC calendar days throughout (the store groups by the same days).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State

LEECH_LAPSES = 6  # a card forgotten this many times after it was learned is a leech
RETENTION_WARNING = 0.97  # above this, the review load grows steeply for little gain
RETENTION_RANGE = (0.70, 0.99)

# "Right and fast is Easy": an answer is fast when it took at most this many seconds.
FAST_SECONDS: dict[str, float] = {
    "true_false": 8.0,
    "single_choice": 15.0,
    "multiple_response": 25.0,
    "numeric": 20.0,
    "matching": 30.0,
    "short_answer": 20.0,
    "coding_case": 60.0,
}
FAST_SECONDS_OTHER = 15.0  # drills and any type not listed
LoadSource = Mapping[date, int] | Callable[[date, date], Mapping[date, int]]


def rating_for(score: float, max_score: float, correct: bool, seconds: float, item_type: str) -> Rating:
    """The FSRS rating of one graded answer (the rule documented in docs/study-loop.md).

    Wrong (no credit) is Again; partial credit is Hard; right is Good; right within the
    item type's fast time is Easy. A time of zero means "not measured" and is never fast.
    """
    if correct and (max_score <= 0 or score >= max_score):
        fast = FAST_SECONDS.get(item_type, FAST_SECONDS_OTHER)
        return Rating.Easy if 0 < seconds <= fast else Rating.Good
    if max_score > 0 and score > 0:
        return Rating.Hard
    return Rating.Again


@dataclass(frozen=True)
class StudySettings:
    """Per-profile study settings (defaults are what a new profile gets)."""

    desired_retention: float = 0.90
    new_per_day: int = 20
    max_reviews: int = 200
    exam_date: date | None = None

    def problems(self) -> list[str]:
        """Why these settings cannot be saved (empty when they can)."""
        low, high = RETENTION_RANGE
        found = []
        if not low <= self.desired_retention <= high:
            found.append(f"Desired retention must be between {low:.2f} and {high:.2f}.")
        if not 0 <= self.new_per_day <= 1000:
            found.append("New items per day must be between 0 and 1000.")
        if not 1 <= self.max_reviews <= 5000:
            found.append("Maximum reviews per day must be between 1 and 5000.")
        return found

    def warning(self) -> str:
        """A caution worth showing next to the retention field, or ''."""
        if self.desired_retention > RETENTION_WARNING:
            return (f"A desired retention above {RETENTION_WARNING:.2f} multiplies your daily reviews "
                    "for very little extra recall.")
        return ""

    def days_left(self, now: datetime) -> int | None:
        """Whole days from today to the exam day (0 on the day itself), or None without a date."""
        if self.exam_date is None:
            return None
        return (self.exam_date - now.astimezone(UTC).date()).days


@dataclass(frozen=True)
class CardState:
    """One learner's card for one item: the FSRS memory state plus our own counters."""

    card_id: int
    state: int  # fsrs.State value: 1 learning, 2 review, 3 relearning
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int = 0
    lapses: int = 0
    leech: bool = False


@dataclass(frozen=True)
class ReviewStep:
    """What one answer did to a card: the new state and the log line to keep."""

    card: CardState
    rating: Rating
    reviewed_at: datetime
    previous_state: int | None  # None when the card was new
    elapsed_days: float  # since the previous review (0 for a new card)
    retrievability: float  # predicted recall just before this answer (1.0 for a new card)


def exam_cap(exam_date: date | None, now: datetime) -> datetime | None:
    """The latest allowed due time: the start (UTC) of the exam day, while it is still ahead."""
    if exam_date is None:
        return None
    cap = datetime.combine(exam_date, time(0), UTC)
    return cap if now < cap else None


@lru_cache(maxsize=16)
def scheduler(desired_retention: float) -> Scheduler:
    """One FSRS scheduler per retention; fuzzing off because `spread_due` balances instead."""
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


def retrievability(stability: float | None, last_review: datetime | None, now: datetime) -> float:
    """FSRS's predicted probability of recall at `now` (fractional days, unlike fsrs's own)."""
    if stability is None or last_review is None or stability <= 0:
        return 0.0
    engine = scheduler(0.9)
    elapsed = max(0.0, (now - last_review).total_seconds() / 86400)
    return float((1 + engine._FACTOR * elapsed / stability) ** engine._DECAY)


def review(card: CardState | None, card_id: int, rating: Rating, now: datetime, settings: StudySettings,
           load: LoadSource | None = None) -> ReviewStep:
    """Apply one answer: FSRS step, lapse and leech counting, load spreading, exam-date cap.

    `load` gives cards already due per day: a mapping, or a function of (first, last day)
    so a store only counts the few days load spreading looks at.
    """
    now = now.astimezone(UTC)
    fsrs_card = _to_fsrs(card) if card is not None else Card(card_id=card_id, due=now)
    before_r = retrievability(card.stability, card.last_review, now) if card else 1.0
    elapsed = (now - card.last_review).total_seconds() / 86400 if card and card.last_review else 0.0
    updated, _log = scheduler(settings.desired_retention).review_card(fsrs_card, rating, now)
    lapsed = card is not None and card.state == State.Review and rating == Rating.Again
    lapses = (card.lapses if card else 0) + int(lapsed)
    cap = exam_cap(settings.exam_date, now)
    due = spread_due(updated.due, now, load or {}, cap)
    result = CardState(
        card_id=card_id, state=int(updated.state), step=updated.step, stability=updated.stability,
        difficulty=updated.difficulty, due=due, last_review=now,
        reps=(card.reps if card else 0) + 1, lapses=lapses,
        leech=(card.leech if card else False) or lapses >= LEECH_LAPSES,
    )
    return ReviewStep(result, rating, now, card.state if card else None, max(0.0, elapsed), before_r)


def spread_due(due: datetime, now: datetime, load: LoadSource, cap: datetime | None) -> datetime:
    """Move a due time of 3+ days ahead to the least-loaded day near it, never past the cap.

    The window is ±10 % of the interval (at least one day each way, never before tomorrow);
    ties go to the day nearest FSRS's own choice. Short intervals (learning steps, 1-2 days)
    are kept as they are, and so is the time of day.
    """
    interval = (due - now).total_seconds() / 86400
    if interval >= 3:
        spread = max(1, round(interval * 0.1))
        base = due.date()
        first = max(now.date() + timedelta(days=1), base - timedelta(days=spread))
        days = [first + timedelta(days=n) for n in range((base + timedelta(days=spread) - first).days + 1)]
        if cap is not None:
            days = [d for d in days if datetime.combine(d, due.timetz()) <= cap] or days
        counts = load(days[0], days[-1]) if callable(load) else load
        best = min(days, key=lambda d: (counts.get(d, 0), abs((d - base).days), d))
        due = due + timedelta(days=(best - base).days)
    if cap is not None and due > cap:
        due = cap
    return due


def capped(card: CardState, settings: StudySettings, now: datetime) -> CardState:
    """The card with its due time pulled in to the exam cap (used when an exam date is set)."""
    cap = exam_cap(settings.exam_date, now)
    return replace(card, due=cap) if cap is not None and card.due > cap else card


def _to_fsrs(card: CardState) -> Card:
    return Card(card_id=card.card_id, state=State(card.state), step=card.step, stability=card.stability,
                difficulty=card.difficulty, due=card.due.astimezone(UTC),
                last_review=card.last_review.astimezone(UTC) if card.last_review else None)
