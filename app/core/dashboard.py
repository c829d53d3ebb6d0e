"""The figures of the Today page, the dashboard and the report, from the store's aggregates.

Pure functions: the store hands over grouped rows, these turn them into what the views
and the PDF show (docs/study-loop.md says where every figure comes from).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.core.readiness import Readiness, area_of, cpc_blueprint, estimate
from app.core.scheduling import StudySettings
from app.core.study_plan import (
    LoadPlan,
    minutes_for,
    new_item_quota,
    pick_new,
    plan_loads,
    streak,
    weakest,
)
from app.core.topics import topic_label


@dataclass(frozen=True)
class WeakTopic:
    topic: str
    label: str
    mastery: float  # mean latest score on its items, 0..1
    items: int


@dataclass(frozen=True)
class TodayFigures:
    today: date
    plan: LoadPlan
    new_keys: tuple[str, ...]
    minutes: int
    streak: int
    days_left: int | None
    weakest: tuple[WeakTopic, ...]
    settings: StudySettings

    @property
    def reviews(self) -> int:
        return self.plan.today_count

    def exam_line(self) -> str:
        if self.days_left is None:
            return "No exam date set."
        if self.days_left < 0:
            return "Your exam date has passed: set the next one in Study settings."
        if self.days_left == 0:
            return "Exam day. Good luck!"
        return f"{self.days_left} day{'s' if self.days_left != 1 else ''} left until your exam."


def today_figures(now: datetime, settings: StudySettings, due_per_day: Mapping[date, int], introduced_today: int,
                  new_candidates: Sequence[tuple[str, str]], mastery: Mapping[str, tuple[int, float]],
                  study_days: Iterable[date], pace: float | None) -> TodayFigures:
    """Today's plan: the capped reviews, the new items, the time they take, streak and weak spots.

    `mastery` maps topic -> (items answered, mean latest score fraction).
    """
    today = now.date()
    plan = plan_loads(due_per_day, today, settings.max_reviews)
    days_left = settings.days_left(now)
    quota = new_item_quota(settings.new_per_day, introduced_today)
    accuracy = {t: m for t, (_, m) in mastery.items()}
    new = pick_new(new_candidates, accuracy, quota, days_left)
    weak = weakest(accuracy, {t: n for t, (n, _) in mastery.items()})
    return TodayFigures(
        today, plan, tuple(new), minutes_for(plan.today_count + len(new), pace),
        streak(study_days, today), days_left,
        tuple(WeakTopic(t, topic_label(t), accuracy[t], mastery[t][0]) for t in weak), settings,
    )


def readiness_from(latest: Iterable[tuple[str, str, str, float]], difficulty_of: Callable[[str], float],
                   bank_difficulties: Mapping[str, Sequence[float]]) -> Readiness:
    """Readiness from each answered item's latest score and the banks' item difficulties.

    `difficulty_of(key)` gives an answered item's difficulty in logits; `bank_difficulties`
    maps topic -> difficulties of all bank items, whose mean is the form's difficulty.
    """
    blueprint = cpc_blueprint()
    responses: dict[str, list[tuple[float, float]]] = {}
    for bank, item, topic, fraction in latest:
        area = area_of(topic, blueprint)
        if area is not None:
            responses.setdefault(area, []).append((difficulty_of(f"{bank}/{item}"), fraction))
    form = {}
    for area in blueprint:
        values = [b for t in area.topics for b in bank_difficulties.get(t, ())]
        form[area.id] = sum(values) / len(values) if values else 0.0
    return estimate(responses, blueprint, form)


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard and the report draw; each series is also a table."""

    accuracy: tuple[tuple[date, str, int, float], ...]  # week, topic, answers, accuracy
    calendar: tuple[tuple[date, int], ...]  # day, answers (last year)
    forecast: tuple[tuple[date, int, int], ...]  # day, due by FSRS, planned within the cap
    retention: tuple[tuple[date, int, float], ...]  # week, mature first reviews, share recalled
    desired_retention: float
    time_per_item: tuple[tuple[date, int, float], ...]  # week, timed answers, seconds
    readiness: Readiness
    totals: tuple[int, float, int] = (0, 0.0, 0)  # answers, accuracy, study days
    area_rows: tuple[tuple[str, int, float], ...] = field(default=())  # area label, answers, accuracy


def forecast(due_per_day: Mapping[date, int], plan: LoadPlan, today: date,
             days: int = 30) -> tuple[tuple[date, int, int], ...]:
    """Per day for `days` days: cards FSRS has due (overdue counted today) and the capped plan."""
    raw: dict[date, int] = {}
    for day, count in due_per_day.items():
        raw[max(day, today)] = raw.get(max(day, today), 0) + count
    load = plan.load()
    return tuple((d, raw.get(d, 0), load.get(d, 0))
                 for d in (today + timedelta(days=k) for k in range(days)))


def area_rows(accuracy: Iterable[tuple[date, str, int, float]]) -> tuple[tuple[str, int, float], ...]:
    """Per CPC area over all time: answers and accuracy (answer-weighted)."""
    blueprint = cpc_blueprint()
    sums: dict[str, list[float]] = {a.id: [0, 0.0] for a in blueprint}
    for _, topic, answers, share in accuracy:
        area = area_of(topic, blueprint)
        if area is not None:
            sums[area][0] += answers
            sums[area][1] += answers * share
    return tuple((a.label, int(sums[a.id][0]), sums[a.id][1] / sums[a.id][0] if sums[a.id][0] else 0.0)
                 for a in blueprint)


def area_weeks(accuracy: Iterable[tuple[date, str, int, float]]) -> dict[str, list[tuple[date, int, float]]]:
    """Per CPC area label: (week, answers, accuracy) in week order; other topics left out."""
    blueprint = cpc_blueprint()
    labels = {a.id: a.label for a in blueprint}
    sums: dict[tuple[str, date], list[float]] = {}
    for week, topic, answers, share in accuracy:
        area = area_of(topic, blueprint)
        if area is not None:
            entry = sums.setdefault((labels[area], week), [0, 0.0])
            entry[0] += answers
            entry[1] += answers * share
    series: dict[str, list[tuple[date, int, float]]] = {}
    for (label, week), (answers, credit) in sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        series.setdefault(label, []).append((week, int(answers), credit / answers if answers else 0.0))
    return series


def calendar_grid(days: Sequence[tuple[date, int]]) -> tuple[list[list[int]], date]:
    """Answers per day as columns of weeks (Monday first): the heatmap's cells."""
    if not days:
        return [], date.min
    first = days[0][0] - timedelta(days=days[0][0].weekday())
    weeks = (days[-1][0] - first).days // 7 + 1
    grid = [[0] * 7 for _ in range(weeks)]
    for day, answers in days:
        offset = (day - first).days
        grid[offset // 7][offset % 7] = answers
    return grid, first
