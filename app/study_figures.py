"""Gathering the study loop's figures: store aggregates + content + the pure rules in core.

Used by the study controller (Today page, dashboard) and by `medcode report`, so the GUI
and the headless report show the same numbers. No Qt here, and no SQL: the stores query.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from app.store.sqlite import Database

from app.core.dashboard import DashboardData, TodayFigures, area_rows, forecast, readiness_from, today_figures
from app.core.models import Item
from app.core.readiness import item_difficulty
from app.core.study_plan import plan_loads
from app.store.reviews import ReviewStore
from app.store.study_stats import StudyStats

STATISTICS_FILE = "item-statistics.json"  # `medcode stats items --json` output, from the instructor
log = logging.getLogger(__name__)
Facilities = dict[str, tuple[float, int]]  # bank/item -> (facility 0-100, responses)


def load_facilities(path: Path) -> Facilities:
    """Instructor item statistics if the file is there; a bad file is logged and ignored."""
    if not path.is_file():
        return {}
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return {str(r["item"]): (float(r["facility"]), int(r["responses"])) for r in rows}
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("%s: ignored, not a `medcode stats items --json` file (%s)", path, error)
        return {}


def difficulties(items: Sequence[Item], facilities: Facilities) -> tuple[Callable[[str], float], dict[str, list[float]]]:
    """Each item's Rasch difficulty, and all difficulties per topic (the form's items)."""
    by_key: dict[str, float] = {}
    by_topic: dict[str, list[float]] = {}
    for item in items:
        key = f"{item.meta.bank}/{item.meta.id}"
        facility, responses = facilities.get(key, (None, 0))
        by_key[key] = item_difficulty(item.meta.difficulty, facility, responses)
        by_topic.setdefault(item.meta.topic, []).append(by_key[key])
    return (lambda key: by_key.get(key, 0.0)), by_topic


def today_data(db: Database, profile_id: int, items: Sequence[Item], now: datetime) -> TodayFigures:
    reviews, stats = ReviewStore(db), StudyStats(db)
    settings = reviews.settings(profile_id)
    answered = {bank: reviews.answered_items(profile_id, bank) for bank in {i.meta.bank for i in items}}
    candidates = [(f"{i.meta.bank}/{i.meta.id}", i.meta.topic) for i in items
                  if i.meta.id not in answered[i.meta.bank]]
    mastery = {t.topic: (t.items, t.mastery) for t in stats.topics(profile_id) if t.items}
    return today_figures(
        now, settings, reviews.due_per_day(profile_id, now), reviews.introduced_on(profile_id, now.date()),
        candidates, mastery, [d for d, _ in stats.study_days(profile_id, now.date() - timedelta(days=400))],
        stats.seconds_per_item(profile_id, now.date() - timedelta(days=30)),
    )


def dashboard_data(db: Database, profile_id: int, items: Sequence[Item], now: datetime,
                   facilities: Facilities) -> DashboardData:
    reviews, stats = ReviewStore(db), StudyStats(db)
    settings = reviews.settings(profile_id)
    today = now.date()
    due = reviews.due_per_day(profile_id, now)
    plan = plan_loads(due, today, settings.max_reviews)
    difficulty_of, by_topic = difficulties(items, facilities)
    accuracy = tuple(stats.accuracy_by_week(profile_id))
    return DashboardData(
        accuracy=accuracy,
        calendar=tuple(stats.study_days(profile_id, today - timedelta(days=364))),
        forecast=forecast(due, plan, today),
        retention=tuple(stats.retention_by_week(profile_id)),
        desired_retention=settings.desired_retention,
        time_per_item=tuple(stats.time_by_week(profile_id)),
        readiness=readiness_from(stats.latest_results(profile_id), difficulty_of, by_topic),
        totals=stats.totals(profile_id),
        area_rows=area_rows(accuracy),
    )
