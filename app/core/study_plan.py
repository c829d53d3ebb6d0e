"""Planning a study day: the catch-up plan, new items, the streak and the Today figures.

Pure arithmetic over what the store hands over (docs/study-loop.md). The catch-up plan is
the answer to Anki's pile: reviews due beyond the daily maximum are spread over the next
days, lowest retrievability first, and no day is given more than the cap.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

FINAL_WEEKS_DAYS = 28  # "the last weeks" before an exam: new items lean to weak topics
DEFAULT_SECONDS = 45.0  # time per item before the learner has any history


@dataclass(frozen=True)
class DueCard:
    """A card waiting for review: when FSRS wants it and how likely it is to be recalled."""

    card_id: int
    due_day: date
    retrievability: float


@dataclass(frozen=True)
class CatchUpPlan:
    """Which cards to review on which day, from today on; every day within the cap."""

    today: date
    cap: int
    overdue: int  # cards due today or earlier when the plan was made
    days: tuple[tuple[date, tuple[int, ...]], ...]  # (day, card ids in review order)
    catch_up_days: int = 0  # days until every card overdue today has been reviewed

    @property
    def today_cards(self) -> tuple[int, ...]:
        return self.days[0][1] if self.days and self.days[0][0] == self.today else ()

    def load(self) -> dict[date, int]:
        return {day: len(cards) for day, cards in self.days}

    def message(self) -> str:
        return catch_up_message(self.overdue, self.cap, self.catch_up_days)


def catch_up_message(overdue: int, cap: int, days: int) -> str:
    """The plain sentence for the Today page."""
    if not overdue:
        return "Nothing due: you are up to date."
    if overdue <= cap:
        return f"{overdue} due today."
    return f"{overdue} overdue: spread over {days} days"


@dataclass(frozen=True)
class LoadPlan:
    """The catch-up plan as counts per day: what the Today page and the forecast need.

    Same rule as `plan_reviews`, on counts: cards overdue today go first (past their due
    time they are below the desired retention, so lower than any card falling due later),
    then each day's newly due cards, never more than `cap` a day.
    """

    today: date
    cap: int
    overdue: int
    loads: tuple[tuple[date, int], ...]
    catch_up_days: int

    @property
    def today_count(self) -> int:
        return self.loads[0][1] if self.loads else 0

    def load(self) -> dict[date, int]:
        return dict(self.loads)

    def message(self) -> str:
        return catch_up_message(self.overdue, self.cap, self.catch_up_days)


def plan_loads(due_per_day: Mapping[date, int], today: date, cap: int, horizon_days: int = 30) -> LoadPlan:
    """Counts per day from `today` under the cap; days run on until the backlog is placed."""
    if cap < 1:
        raise ValueError("the daily review cap must be at least 1")
    end = today + timedelta(days=horizon_days)
    overdue = sum(n for d, n in due_per_day.items() if d <= today)
    later = {d: n for d, n in due_per_day.items() if today < d < end}
    old, new = overdue, 0
    loads: list[tuple[date, int]] = []
    day, catch_up = today, 0
    while day < end or old or new:
        new += later.pop(day, 0)
        from_old = min(cap, old)
        from_new = min(cap - from_old, new)
        old, new = old - from_old, new - from_new
        loads.append((day, from_old + from_new))
        if from_old:
            catch_up = (day - today).days + 1
        day += timedelta(days=1)
    return LoadPlan(today, cap, overdue, tuple(loads), catch_up)


def plan_reviews(cards: Iterable[DueCard], today: date, cap: int, horizon_days: int = 30) -> CatchUpPlan:
    """Spread due cards over the days from `today`, at most `cap` a day, lowest recall first.

    Each day takes the cards that are waiting (carried over or newly due), sorted by
    retrievability then id, up to the cap; the rest wait for the next day. Cards due after
    the horizon are left out; the plan runs on until everything before it is placed.
    """
    if cap < 1:
        raise ValueError("the daily review cap must be at least 1")
    end = today + timedelta(days=horizon_days)
    by_day: dict[date, list[DueCard]] = {}
    overdue = 0
    for card in cards:
        if card.due_day >= end:
            continue
        day = max(card.due_day, today)
        overdue += card.due_day <= today
        by_day.setdefault(day, []).append(card)
    waiting: list[tuple[float, int, bool]] = []  # a heap: lowest retrievability, then id
    days: list[tuple[date, tuple[int, ...]]] = []
    day, last_overdue_day = today, 0
    while waiting or by_day:
        for card in by_day.pop(day, ()):
            heapq.heappush(waiting, (card.retrievability, card.card_id, card.due_day <= today))
        taken = [heapq.heappop(waiting) for _ in range(min(cap, len(waiting)))]
        if taken or day < end:
            days.append((day, tuple(card_id for _, card_id, _ in taken)))
        if any(was_overdue for _, _, was_overdue in taken):
            last_overdue_day = (day - today).days + 1
        day += timedelta(days=1)
    return CatchUpPlan(today, cap, overdue, tuple(days), last_overdue_day)


def new_item_quota(new_per_day: int, introduced_today: int) -> int:
    return max(0, new_per_day - introduced_today)


def pick_new(candidates: Sequence[tuple[str, str]], accuracy: Mapping[str, float], limit: int,
             days_left: int | None) -> list[str]:
    """Choose today's new items from (key, topic) pairs in bank order.

    Normally topics take turns (round robin), so one long bank does not crowd out the rest.
    In the final weeks before an exam the quota is shared out in proportion to each topic's
    weakness (1 - accuracy; a topic never answered counts as 0.5), so weak topics get more.
    """
    queues: dict[str, list[str]] = {}
    for key, topic in candidates:
        queues.setdefault(topic, []).append(key)
    if limit <= 0 or not queues:
        return []
    if days_left is not None and 0 <= days_left <= FINAL_WEEKS_DAYS:
        shares = _weighted_shares(queues, accuracy, limit)
    else:
        shares = _round_robin_shares(queues, limit)
    order = sorted(queues, key=lambda t: (accuracy.get(t, 0.5), t))
    chosen: list[str] = []
    for topic in order:
        chosen.extend(queues[topic][: shares.get(topic, 0)])
    return _interleave(chosen, {k: t for k, t in candidates})[:limit]


def _round_robin_shares(queues: Mapping[str, list[str]], limit: int) -> dict[str, int]:
    shares = {t: 0 for t in queues}
    left = limit
    while left > 0:
        open_topics = [t for t in sorted(queues) if shares[t] < len(queues[t])]
        if not open_topics:
            break
        for topic in open_topics[:left]:
            shares[topic] += 1
        left -= min(left, len(open_topics))
    return shares


def _weighted_shares(queues: Mapping[str, list[str]], accuracy: Mapping[str, float], limit: int) -> dict[str, int]:
    """Largest-remainder shares by weakness, capped by what each topic has; leftovers move on."""
    shares = {t: 0 for t in queues}
    left = min(limit, sum(len(q) for q in queues.values()))
    while left > 0:
        open_topics = [t for t in queues if shares[t] < len(queues[t])]
        weights = {t: max(0.05, 1.0 - accuracy.get(t, 0.5)) for t in open_topics}
        total = sum(weights.values())
        exact = {t: left * w / total for t, w in weights.items()}
        given = {t: min(int(exact[t]), len(queues[t]) - shares[t]) for t in open_topics}
        if sum(given.values()) == 0:
            best = max(open_topics, key=lambda t: (exact[t] - int(exact[t]), weights[t], t))
            given[best] = 1
        for topic, n in given.items():
            shares[topic] += n
            left -= n
    return shares


def _interleave(keys: list[str], topic_of: Mapping[str, str]) -> list[str]:
    """Mix topics in the session (weakest topic first in each round)."""
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(topic_of[key], []).append(key)
    mixed: list[str] = []
    while any(groups.values()):
        for topic in list(groups):
            if groups[topic]:
                mixed.append(groups[topic].pop(0))
    return mixed


def streak(study_days: Iterable[date], today: date) -> int:
    """Consecutive study days ending today (or yesterday, so the streak survives until bedtime)."""
    days = set(study_days)
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def minutes_for(count: int, seconds_per_item: float | None) -> int:
    """Estimated minutes for `count` items at the learner's own pace (rounded up)."""
    if count <= 0:
        return 0
    pace = seconds_per_item if seconds_per_item and seconds_per_item > 0 else DEFAULT_SECONDS
    return max(1, math.ceil(count * pace / 60))


def weakest(accuracy: Mapping[str, float], answers: Mapping[str, int], count: int = 3,
            minimum_answers: int = 3) -> list[str]:
    """The topics with the lowest accuracy among those answered at least `minimum_answers` times."""
    known = [t for t in accuracy if answers.get(t, 0) >= minimum_answers]
    return sorted(known, key=lambda t: (accuracy[t], -answers.get(t, 0), t))[:count]


def mix(reviews: Sequence[str], new: Sequence[str]) -> list[str]:
    """Reviews first in runs, one new item after every few reviews, so both stay in the session."""
    if not reviews or not new:
        return [*reviews, *new]
    every = max(1, len(reviews) // len(new))
    mixed: list[str] = []
    pending = list(new)
    for index, key in enumerate(reviews, 1):
        mixed.append(key)
        if index % every == 0 and pending:
            mixed.append(pending.pop(0))
    return mixed + pending
