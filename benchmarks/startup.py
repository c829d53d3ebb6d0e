"""Start to a painted lesson: the app against a floor script, with and without a bytecode cache.

Run: python benchmarks/startup.py [--runs 7] [--items 5000] [--workdir DIR]

Prints, for each case, the median wall time of `python -m app --quit-after-first-paint`
(a learner whose last lesson was "ICD-10-CM structure", so the app opens on that lesson),
the median of benchmarks/startup_floor.py showing the same lesson, and their ratio. The two
commands alternate in one loop so that both see the same machine load.

Cases: the shipped content, then the same with a 5,000-item bank installed in the data
folder's banks/ (benchmarks/generated_bank.py). Each is run

- with a bytecode cache: PYTHONPYCACHEPREFIX points at a folder both scripts have filled
  in a warm-up run;
- without one: PYTHONDONTWRITEBYTECODE=1 and PYTHONPYCACHEPREFIX at an empty folder, so no
  module of either script (the app's, Qt's Python parts, markdown) comes from a .pyc.

The content cache (app/content/cache.py) is warm in every timed run: one untimed start
after installing the bank parses it, as the learner's first start after installing would.
The code-set database is built once into the work folder (not timed).
Targets (issue 11): at most 1.5x the floor with the shipped content, 1.7x with 5,000 items.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from generated_bank import write_bank  # noqa: E402

LESSON_ID = "icd10cm-structure"
LESSON_FILE = REPO / "app" / "lessons" / "icd10cm-conventions" / "01-structure.md"


def prepare(data: Path) -> None:
    """A data folder with a built code-set cache and a learner who read the first lesson."""
    from app.codesets.build import build_database, database_is_current
    from app.store.database import open_learner_db
    from app.store.learners import LearnerStore

    codes = data / "cache" / "codesets.sqlite3"
    if not database_is_current(codes):
        print("building the code-set database (not timed)...", flush=True)
        build_database(codes)
    store = LearnerStore(open_learner_db(data / "learner.sqlite3"))
    if not store.profiles():
        profile = store.create_profile("Benchmark learner")
        store.set_settings({"last_profile": str(profile.id)})
        store.mark_lesson_read(profile.id, LESSON_ID, datetime.now(UTC))
    store.db.close()


def environment(pycache: Path, write: bool) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(pycache))
    env.pop("MEDCODE_DATA_DIR", None)
    env.pop("MEDCODE_CACHE_DIR", None)
    if write:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    run = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({run.returncode}):\n{run.stderr}")
    return elapsed


def compare(label: str, data: Path, pycache: Path, write: bool, runs: int) -> float:
    """Median app and floor start, and their ratio, alternating the two commands."""
    env = environment(pycache, write)
    app = [sys.executable, "-m", "app", "--data-dir", str(data), "--quit-after-first-paint"]
    floor = [sys.executable, str(REPO / "benchmarks" / "startup_floor.py"), str(LESSON_FILE)]
    timed(app, env)  # warm-up: disk cache, content cache, and the bytecode cache when written
    timed(floor, env)
    app_times, floor_times = [], []
    for _ in range(runs):
        app_times.append(timed(app, env))
        floor_times.append(timed(floor, env))
    app_median, floor_median = statistics.median(app_times), statistics.median(floor_times)
    ratio = app_median / floor_median
    print(f"{label:<44} app {app_median:6.3f} s   floor {floor_median:6.3f} s   ratio {ratio:4.2f}x",
          flush=True)
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--workdir", type=Path, help="reuse this folder (keeps the code-set database)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="medcode-startup-"))
    data, warm, empty = work / "data", work / "pycache", work / "no-pycache"
    empty.mkdir(parents=True, exist_ok=True)
    prepare(data)
    print(f"median of {args.runs} runs each; work folder {work}", flush=True)
    results = {}
    bank = data / "banks" / "generated.yaml"
    bank.unlink(missing_ok=True)
    for content in ("shipped content", f"{args.items:,} items installed"):
        if content != "shipped content":
            write_bank(bank, args.items)
        for write, cache in ((True, "bytecode cache"), (False, "no bytecode cache")):
            label = f"{content}, {cache}"
            results[label] = compare(label, data, warm if write else empty, write, args.runs)
    print("targets: shipped content <= 1.5x, 5,000 items <= 1.7x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
