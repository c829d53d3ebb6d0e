"""How many coding-case gradings per second: a realistic 6-code case, warm code-set database.

Run: /tmp/venv/bin/python benchmarks/scoring.py [--db PATH] [--seconds 3]

Without --db the real code-set database is built in a temporary folder first (a few
seconds, not timed). "Warm" means one grading has run, so the database pages and the
code set's look-up cache are loaded, as they are after the first case in a session.
Target (issue 4): at least 5,000 gradings per second.
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
from app.core.codeset import CodeSystem  # noqa: E402
from app.core.models import (  # noqa: E402
    AnswerKey, CodingCase, ForbiddenCode, ItemMeta, KeyLine, KeySection, ScoringPolicy,
)
from app.core.scoring import grade  # noqa: E402

CASE = CodingCase(
    ItemMeta(id="bench", topic="icd10cm"),
    "Assign the ICD-10-CM and CPT codes.",
    "SYNTHETIC RECORD. Torus fracture right distal radius after a fall at home; diabetes with CKD 3a.",
    AnswerKey((
        KeySection(CodeSystem.ICD10CM, (
            KeyLine(("S52.521A",), first=True), KeyLine(("E11.22",)), KeyLine(("N18.31",)),
            KeyLine(("Z79.4", "Z79.84"), optional=True)),
            forbidden=(ForbiddenCode("R73.-", "Hyperglycemia is integral to diabetes mellitus."),)),
        KeySection(CodeSystem.CPT, (
            KeyLine(("25600",), modifiers=("RT",)), KeyLine(("99213",), modifiers=("25",)))),
    )),
)
RESPONSES = {
    "all right": "S52.521A, E11.22, N18.31, Z79.4, 25600-RT, 99213-25",
    "typical mistakes": "e11.22 S52.521D n1831 R73.9 25600-LT 99214",
    "list per section": ["S52.522A; E11.9; N18.3", "25600-RT-59 99213-25x2"],
}


def measure(codes: SqliteCodeSet, response: object, seconds: float) -> float:
    """Gradings per second over about `seconds`, the median of five rounds."""
    grade(CASE, response, codes, ScoringPolicy.PER_LINE_DEDUCT)  # warm
    rates = []
    for _ in range(5):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 5:
            for _ in range(100):
                grade(CASE, response, codes, ScoringPolicy.PER_LINE_DEDUCT)
            count += 100
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing code-set database (default: build one in a temp folder)")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db
        if path is None:
            path = Path(folder) / "codesets.sqlite3"
            started = time.perf_counter()
            build_database(path)
            print(f"built the code-set database in {time.perf_counter() - started:.1f} s")
        codes = SqliteCodeSet(path)
        try:
            started = time.perf_counter()
            grade(CASE, RESPONSES["typical mistakes"], codes)
            print(f"first grading on a freshly opened database (cold): {1e3 * (time.perf_counter() - started):.1f} ms")
            for name, response in RESPONSES.items():
                rate = measure(codes, response, args.seconds)
                result = grade(CASE, response, codes, ScoringPolicy.PER_LINE_DEDUCT)
                print(f"{name:>18}: {rate:8,.0f} gradings/s  ({1e6 / rate:6.1f} us each; "
                      f"score {result.score:g}/{result.max_score:g}, {len(result.findings)} findings)")
        finally:
            codes.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
