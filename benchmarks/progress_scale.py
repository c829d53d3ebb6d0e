"""Progress at a year of answers: record + refresh at 1,000,000 attempts, and the start it costs.

Run: python benchmarks/progress_scale.py [--attempts 1000000] [--runs 5] [--workdir DIR]

Builds (not timed) a learner database with one learner and --attempts answers spread over
a year, on the 1,200 items of a generated bank installed in the data folder. Attempts go in
through SQL in bulk, so the trigger of migration 002 keeps `item_progress` as the app
would; the study loop's per-day summary and one review card per item are filled by SQL
aggregates (replaying a million answers through the scheduler would take far longer, and
the start only reads those two tables). A second data folder has the same learner, the
same content and no answers.

Prints
1. recording one answer plus refreshing what changed, in the running app (offscreen Qt,
   the Progress page on screen): `Tutor._record` -> the store's transaction (attempt,
   review card, aggregates) -> `DataOps.changed` -> the tutor and study refreshes. Median
   and worst of 30 answers, with the two halves (record, refresh) on their own;
2. the start to first paint (`--quit-after-first-paint`) with the million attempts and
   with none, alternating, median of --runs, and the ratio.
Targets (issue 11): record + refresh <= 30 ms at 1,000,000 attempts; start within 1.2x.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from generated_bank import write_bank  # noqa: E402

START = datetime(2025, 12, 1, tzinfo=UTC)
ITEMS = 1200


def prepare(data: Path, attempts: int) -> None:
    """A data folder: the generated bank, one learner (last profile), and `attempts` answers."""
    from app.content.bank import load_bank
    from app.store.database import open_learner_db
    from app.store.learners import LearnerStore

    if (data / "learner.sqlite3").is_file():
        return
    bank = write_bank(data / "banks" / "scale.yaml", ITEMS, bank_id="scale")
    loaded, _ = load_bank(bank)
    assert loaded is not None
    db = open_learner_db(data / "learner.sqlite3")
    store = LearnerStore(db)
    profile = store.create_profile("Year of answers")
    store.set_settings({"last_profile": str(profile.id)})
    store.mark_lesson_read(profile.id, "icd10cm-structure", START)
    if attempts:
        _fill(db, profile.id, loaded.items, attempts)
    db.close()


def _fill(db, profile_id: int, items, count: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(11)
    step = timedelta(days=365) / count
    print(f"building {count:,} attempts (not timed)...", flush=True)
    sql = ("INSERT INTO attempts (profile_id, bank_id, item_id, item_type, topic, response, score,"
           " max_score, correct, seconds, answered_at, findings) VALUES (?,?,?,?,?,?,?,?,?,?,?,'[]')")
    for chunk in range(0, count, 100_000):
        rows = []
        for number in range(chunk, min(count, chunk + 100_000)):
            item = items[rng.randrange(len(items))]
            right = rng.random() < 0.7
            rows.append((profile_id, item.meta.bank, item.meta.id, str(item.type), item.meta.topic,
                         "1" if str(item.type) == "single_choice" else "null", 1.0 if right else 0.0, 1.0,
                         int(right), rng.uniform(10, 90), (START + step * number).isoformat()))
        with db.atomic():
            db.conn.executemany(sql, rows)
    with db.atomic():
        db.execute(
            "INSERT INTO study_days (profile_id, day, topic, answers, correct, score, max_score, seconds,"
            " timed, mature_first, mature_first_pass) SELECT profile_id, substr(answered_at, 1, 10), topic,"
            " COUNT(*), SUM(correct), SUM(score), SUM(max_score), SUM(seconds), COUNT(*), 0, 0"
            " FROM attempts GROUP BY profile_id, substr(answered_at, 1, 10), topic")
        db.execute(
            "INSERT INTO cards (profile_id, bank_id, item_id, topic, state, step, stability, difficulty,"
            " due, last_review, reps, lapses, leech, last_fraction, created_at)"
            " SELECT profile_id, bank_id, item_id, topic, 2, NULL, 30.0, 5.0,"
            " strftime('%Y-%m-%d %H:%M:%S', '2026-12-01', '+' || (abs(random()) % 30) || ' days'),"
            " '2026-11-30 12:00:00', answers, 0, 0, score / max_score, first_answered_at"
            " FROM item_progress WHERE profile_id = ?", [profile_id])


def record_and_refresh(data: Path, runs: int = 30) -> None:
    from PySide6.QtWidgets import QApplication

    from app.core.learner import AttemptDraft
    from app.main import build_tutor
    from app.paths import resolve_paths

    app = QApplication.instance() or QApplication([])
    tutor = build_tutor(resolve_paths(str(data)), quiet=True)
    tutor.window.show()
    tutor.window.show_page(tutor.pages.progress)
    app.processEvents()
    items = [i for b in tutor.content.banks for i in b.items if b.manifest.id == "scale"]
    both, record, refresh = [], [], []
    clock = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    for number in range(runs):
        item = items[number * 37 % len(items)]
        draft = AttemptDraft(item.meta.id, item.meta.bank, str(item.type), item.meta.topic, 1, 1.0, 1.0, True,
                             30.0, clock + timedelta(minutes=number))
        started = time.perf_counter()
        tutor._record(draft)  # the store's transaction, then DataOps.changed -> every refresh
        both.append(time.perf_counter() - started)
        started = time.perf_counter()
        tutor.store.record_attempt(tutor.profile.id, draft)
        record.append(time.perf_counter() - started)
        started = time.perf_counter()
        tutor.refresh("attempts")
        refresh.append(time.perf_counter() - started)
    total = tutor.store.db.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
    print(f"1. record + refresh at {total:,} attempts: median {statistics.median(both) * 1000:.1f} ms,"
          f" worst {max(both) * 1000:.1f} ms (record alone {statistics.median(record) * 1000:.1f} ms,"
          f" progress refresh alone {statistics.median(refresh) * 1000:.1f} ms)", flush=True)
    tutor.window.close()
    tutor.store.db.close()


def start_times(full: Path, empty: Path, cache: Path, runs: int) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MEDCODE_CACHE_DIR=str(cache))
    env.pop("MEDCODE_DATA_DIR", None)

    def once(data: Path) -> float:
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "app", "--data-dir", str(data), "--quit-after-first-paint"],
                             env=env, cwd=REPO, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            raise SystemExit(run.stderr)
        return time.perf_counter() - started

    once(full), once(empty)  # warm-up: content cache, file cache
    with_attempts, without = [], []
    for _ in range(runs):
        with_attempts.append(once(full))
        without.append(once(empty))
    a, b = statistics.median(with_attempts), statistics.median(without)
    print(f"2. start to first paint: with the attempts {a:.3f} s, with none {b:.3f} s, ratio {a / b:.2f}x",
          flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="reuse this folder (keeps the databases)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="medcode-progress-"))
    cache = work / "cache"
    from app.codesets.build import build_database, database_is_current

    if not database_is_current(cache / "codesets.sqlite3"):
        print("building the code-set database (not timed)...", flush=True)
        build_database(cache / "codesets.sqlite3")
    os.environ["MEDCODE_CACHE_DIR"] = str(cache)
    full, empty = work / f"with-{args.attempts}", work / "with-none"
    prepare(full, args.attempts)
    prepare(empty, 0)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    record_and_refresh(full)
    start_times(full, empty, cache, args.runs)
    print("targets: record + refresh <= 30 ms at 1,000,000 attempts; start within 1.2x of none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
