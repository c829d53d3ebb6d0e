"""Drill generation speed per kind: items per second, and the time for 100 items.

Run: python benchmarks/drills.py [--db PATH] [--rounds 5]

Without --db the real code-set database is built in a temporary folder first (not timed).
"Warm" means the database is open and a first drill of the same kind has run (its pools and
listings are read once per code set, as they are after the first drill in a session); each
timed round then draws 100 new items with a new seed, so most items still need fresh
look-ups. The cold figure is the first drill of the kind, listings included.
Target (issue 14): 100 items in 50 ms or less on a warm database.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.codesets.build import build_database  # noqa: E402
from app.codesets.database import SqliteCodeSet  # noqa: E402
from app.content.glossary import load_glossary  # noqa: E402
from app.core.drills import KINDS, generate  # noqa: E402


def timed(codes: SqliteCodeSet, kind: str, seed: int, glossary: tuple) -> tuple[float, float, int]:  # type: ignore[type-arg]
    """Wall-clock and CPU seconds for 100 items. On a shared machine the CPU time is the fairer figure."""
    wall, cpu = time.perf_counter(), time.process_time()
    items = generate(codes, kind, seed, 100, glossary=glossary)
    return time.perf_counter() - wall, time.process_time() - cpu, len(items)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing code-set database (built when omitted)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of 100 items per kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "codesets.sqlite3"
        if args.db is None:
            build_database(path)
        codes = SqliteCodeSet(path)
        glossary = tuple(load_glossary()[0])
        print(f"{'kind':<20}{'cold 100':>10}{'warm 100, median':>18}{'(CPU)':>10}{'worst':>9}{'items/s':>9}")
        medians, cpus = [], []
        for kind in (*KINDS, "mixed"):
            cold, _, _ = timed(codes, kind, 0, glossary)
            rounds = [timed(codes, kind, seed, glossary) for seed in range(1, args.rounds + 1)]
            median = statistics.median(wall for wall, _, _ in rounds)
            cpu = statistics.median(used for _, used, _ in rounds)
            medians.append(median)
            cpus.append(cpu)
            rate = sum(n for _, _, n in rounds) / sum(wall for wall, _, _ in rounds)
            worst = max(wall for wall, _, _ in rounds)
            print(f"{kind:<20}{cold * 1000:>7.0f} ms{median * 1000:>15.1f} ms{cpu * 1000:>7.1f} ms"
                  f"{worst * 1000:>6.0f} ms{rate:>9,.0f}")
        print(f"\n{sum(m <= 0.05 for m in medians)} of {len(medians)} kinds make 100 warm items in 50 ms or less"
              f" of wall-clock time, {sum(c <= 0.05 for c in cpus)} in 50 ms of CPU time (target: all).")
        codes.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
