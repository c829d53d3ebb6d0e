"""Mock-exam benchmark: drawing a 100-item form from a large pool, and one durable answer write.

Run: .venv/bin/python benchmarks/exams.py
Prints the median time to draw the CPC form from 20,000 items (the pool a learner with many
banks has), and the median and p95 time of one exam answer write (`save_item`, a transaction
committed with synchronous=FULL) and of one heartbeat, on a real learner file in a temp folder.
No target is set by the issue; the figures show that writing every answer at once costs little.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.content.exam_forms import load_form, shipped_forms_folder  # noqa: E402
from app.core.exam_forms import draw  # noqa: E402
from app.core.models import ItemMeta, Option, SingleChoice  # noqa: E402
from app.core.topics import TOPICS  # noqa: E402
from app.store.database import open_learner_db  # noqa: E402
from app.store.exams import ExamStore  # noqa: E402
from app.store.learners import LearnerStore  # noqa: E402


def _pool(size: int) -> list[SingleChoice]:
    topics = list(TOPICS)
    return [SingleChoice(ItemMeta(id=f"i{n}", topic=topics[n % len(topics)], difficulty=1 + n % 3, bank=f"b{n % 7}"),
                         "stem", (Option("a", True), Option("b"), Option("c"), Option("d"))) for n in range(size)]


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    return f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {ordered[int(len(ordered) * 0.95)] * 1000:.2f} ms"


def main() -> None:
    form, problems = load_form(shipped_forms_folder() / "cpc.yaml")
    assert form is not None, problems
    pool = _pool(20_000)
    times = []
    for seed in range(10):
        start = time.perf_counter()
        result = draw(form, pool, seed, frozenset(f"b{n % 7}/i{n}" for n in range(0, 20_000, 5)))
        times.append(time.perf_counter() - start)
    assert result.complete
    print(f"draw CPC (100 items) from 20,000 items: {_ms(times)}")
    with tempfile.TemporaryDirectory() as folder:
        db = open_learner_db(Path(folder) / "learner.sqlite3")
        store = ExamStore(db)
        pid = LearnerStore(db).create_profile("Bench").id
        exam_id = store.create_exam(pid, form, 1, result.items, datetime.now(UTC))
        writes, beats = [], []
        for n in range(200):
            start = time.perf_counter()
            store.save_item(exam_id, n % 100, n % 4, n % 9 == 0, (1,) if n % 3 else (), float(n))
            writes.append(time.perf_counter() - start)
            start = time.perf_counter()
            store.save_clock(exam_id, float(n), n % 100, 0, datetime.now(UTC), {n % 100: float(n)})
            beats.append(time.perf_counter() - start)
        print(f"answer write (synchronous=FULL): {_ms(writes)}")
        print(f"heartbeat write (synchronous=FULL): {_ms(beats)}")
        db.close()


if __name__ == "__main__":
    main()
