"""Study loop at scale: the Today page over 20,000 cards, the dashboard over 1,000,000 attempts.

Run: .venv/bin/python benchmarks/study_scale.py [--attempts 1000000] [--cards 20000] [--repeat 5]

Builds a learner database in a temporary folder (not timed): learner "Cards" with 20,000
review cards (due dates from 60 days ago to 60 days ahead, a backlog well over the daily
cap), and learner "Attempts" with 1,000,000 attempts over three years and the per-day
summary the record path keeps (rebuilt here with one INSERT ... SELECT). Then it prints
the median of --repeat runs, warm (pages cached, as after the first refresh):

- the Today page's figures (`app.study_figures.today_data`), target <= 50 ms;
- each dashboard query and their sum, target <= 100 ms in all;
- one FSRS scheduling step (`app.core.scheduling.review`), the mean of 2,000.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fsrs import Rating  # noqa: E402

from app.content.bank import load_banks  # noqa: E402
from app.core.learner import AttemptDraft  # noqa: E402
from app.core.mistakes import MistakeFilter  # noqa: E402
from app.core.scheduling import StudySettings, review  # noqa: E402
from app.core.topics import TOPICS  # noqa: E402
from app.store.database import open_learner_db  # noqa: E402
from app.store.learners import LearnerStore  # noqa: E402
from app.store.reviews import ReviewStore, stamp  # noqa: E402
from app.store.study_schema import WEEKS_STATEMENTS  # noqa: E402
from app.store.study_stats import StudyStats  # noqa: E402
from app.study_figures import dashboard_data, today_data  # noqa: E402

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


def _cards(store: LearnerStore, profile_id: int, count: int, rnd: random.Random) -> None:
    topics = list(TOPICS)
    rows = []
    for n in range(count):
        last = NOW - timedelta(days=rnd.uniform(1, 120))
        due = NOW + timedelta(days=rnd.uniform(-60, 60))
        rows.append((profile_id, "bench", f"card-{n}", topics[n % len(topics)], 2, None,
                     rnd.uniform(1, 200), rnd.uniform(1, 10), stamp(due), stamp(last),
                     rnd.randint(1, 20), rnd.randint(0, 7), 0, rnd.random(), stamp(last)))
    with store.db.atomic():
        store.db.conn.executemany(
            "INSERT INTO cards (profile_id, bank_id, item_id, topic, state, step, stability, difficulty,"
            " due, last_review, reps, lapses, leech, last_fraction, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        store.db.execute("UPDATE cards SET leech = 1 WHERE lapses >= 6 AND profile_id = ?", [profile_id])


def _attempts(store: LearnerStore, profile_id: int, count: int, rnd: random.Random) -> None:
    topics = [t for t, topic in TOPICS.items() if "CPC" in topic.exams]
    start = NOW - timedelta(days=3 * 365)
    step = (NOW - start) / count
    batch = []
    with store.db.atomic():
        for n in range(count):
            right = rnd.random() < 0.7
            batch.append((profile_id, "bench", f"item-{n % 5000}", "single_choice", topics[n % len(topics)],
                          "0", float(right), 1.0, int(right), rnd.uniform(5, 90), (start + step * n).isoformat(),
                          "[]" if right else '[["incorrect", "0", ""]]'))
            if len(batch) == 50_000:
                _insert_attempts(store, batch)
                batch = []
        _insert_attempts(store, batch)
        store.db.execute(
            "INSERT INTO study_days SELECT profile_id, date(answered_at), topic, COUNT(*), SUM(correct),"
            " SUM(score), SUM(max_score), SUM(seconds), SUM(seconds > 0), COUNT(*) / 10,"
            " SUM(correct) / 10 FROM attempts WHERE profile_id = ? GROUP BY 1, 2, 3", [profile_id])
        for statement in WEEKS_STATEMENTS:  # the weekly and per-topic summaries, as migration 004 builds them
            if statement.lstrip().startswith("INSERT"):
                store.db.execute(statement)


def _insert_attempts(store: LearnerStore, rows: list[tuple[object, ...]]) -> None:
    store.db.conn.executemany(
        "INSERT INTO attempts (profile_id, bank_id, item_id, item_type, topic, response, score, max_score,"
        " correct, seconds, answered_at, findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # warm
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def _time_today(store: LearnerStore, profile_id: int, items: list, cards: int, repeat: int) -> None:  # type: ignore[type-arg]
    reviews, stats = ReviewStore(store.db), StudyStats(store.db)
    banks = {i.meta.bank for i in items}
    parts = {
        "cards due per day": lambda: reviews.due_per_day(profile_id, NOW),
        "new items (answered per bank)": lambda: [reviews.answered_items(profile_id, b) for b in banks],
        "cards created today": lambda: reviews.introduced_on(profile_id, NOW.date()),
        "topics": lambda: stats.topics(profile_id),
        "study days (streak)": lambda: stats.study_days(profile_id, NOW.date() - timedelta(days=400)),
        "pace": lambda: stats.seconds_per_item(profile_id, NOW.date() - timedelta(days=30)),
    }
    for name, query in parts.items():
        print(f"  Today part, {name}: {_median_ms(query, repeat):.2f} ms")
    today = _median_ms(lambda: today_data(store.db, profile_id, items, NOW), repeat)
    plan = today_data(store.db, profile_id, items, NOW)
    print(f"Today page, {cards:,} cards: {today:.1f} ms (target <= 50 ms); "
          f"{plan.reviews} reviews today, \"{plan.plan.message()}\"")


def _time_dashboard(store: LearnerStore, pid: int, cards_id: int, items: list, attempts: int,  # type: ignore[type-arg]
                    repeat: int) -> None:
    reviews, stats = ReviewStore(store.db), StudyStats(store.db)
    queries = {
        "accuracy by area and week": lambda: stats.accuracy_by_week(pid),
        "study calendar (365 days)": lambda: stats.study_days(pid, NOW.date() - timedelta(days=364)),
        "true retention by week": lambda: stats.retention_by_week(pid),
        "time per item by week": lambda: stats.time_by_week(pid),
        "totals": lambda: stats.totals(pid),
        "topics (per-topic totals)": lambda: stats.topics(pid),
        "30-day forecast (cards due per day, the 20,000-card profile)": lambda: reviews.due_per_day(cards_id, NOW),
        "mistake log, first 500": lambda: stats.mistakes(pid, MistakeFilter()),
    }
    total = 0.0
    for name, query in queries.items():
        ms = _median_ms(query, repeat)
        total += ms
        print(f"  {name}: {ms:.2f} ms")
    print(f"dashboard queries over {attempts:,} attempts, in all: {total:.1f} ms (target <= 100 ms)")
    whole = _median_ms(lambda: dashboard_data(store.db, pid, items, NOW, {}), repeat)
    print(f"whole dashboard (queries + readiness + forecast plan): {whole:.1f} ms")


def _time_steps(store: LearnerStore, cards_id: int) -> None:
    settings = StudySettings(exam_date=NOW.date() + timedelta(days=40))
    card = review(None, 1, Rating.Good, NOW, settings).card
    began = time.perf_counter()
    for n in range(2000):
        card = review(card, 1, (Rating.Good, Rating.Again, Rating.Easy, Rating.Hard)[n % 4],
                      NOW + timedelta(hours=n), settings, {}).card
    print(f"one FSRS scheduling step: {(time.perf_counter() - began) / 2000 * 1e6:.0f} µs")
    began = time.perf_counter()
    for n in range(200):
        store.record_attempt(cards_id, AttemptDraft(f"card-{n}", "bench", "single_choice", "radiology", 0,
                                                    1.0, 1.0, True, 20.0, NOW + timedelta(seconds=n)))
    print(f"recording one answer (attempt, FSRS step, load spreading, summaries) on the "
          f"20,000-card profile: {(time.perf_counter() - began) / 200 * 1000:.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rnd = random.Random(15)
    items = [item for bank in load_banks(ROOT / "app" / "question_bank")[0] for item in bank.items]
    with tempfile.TemporaryDirectory() as folder:
        store = LearnerStore(open_learner_db(Path(folder) / "learner.sqlite3"))
        cards, attempts = store.create_profile("Cards"), store.create_profile("Attempts")
        began = time.perf_counter()
        _cards(store, cards.id, args.cards, rnd)
        _attempts(store, attempts.id, args.attempts, rnd)
        store.db.execute("ANALYZE")
        print(f"setup (not timed): {args.cards:,} cards, {args.attempts:,} attempts in "
              f"{time.perf_counter() - began:.1f} s; load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores")
        _time_today(store, cards.id, items, args.cards, args.repeat)
        _time_dashboard(store, attempts.id, cards.id, items, args.attempts, args.repeat)
        _time_steps(store, cards.id)
        store.db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
