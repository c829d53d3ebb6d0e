"""Code-set database build: time and peak memory beside a floor, and the ratio (issue 11, point 6).

Run: .venv/bin/python benchmarks/codes_build.py [RUNS]   (default 3 runs of each, medians)

The floor is the least work that yields a searchable index of the same sources: parse the
CDC tabular XML, read the PCS titles, and put every title into an FTS5 table with the same
tokenizer, in a fresh file with the journal off. The build does all that plus the 7th-
character codes, notes, hierarchy, PCS tables, curated files, indexes and the spelling words.
Each run is a fresh process, so peak memory (max RSS, interpreter included) is its own.
Target: build <= 2x the floor in time. Memory is printed beside its floor too.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def floor(target: Path) -> None:
    """Parse the XML, read the PCS titles, index every title in FTS5."""
    import sqlite3
    import xml.etree.ElementTree as ET

    from app.codesets import icd10cm_xml, pcs_source

    root = ET.parse(icd10cm_xml.tabular_file()).getroot()
    titles = [(diag.findtext("name") or "", diag.findtext("desc") or "") for diag in root.iter("diag")]
    source = sqlite3.connect(f"file:{pcs_source.source_file()}?mode=ro", uri=True)
    titles += source.execute("SELECT code, long_name FROM pcs_codes").fetchall()
    source.close()
    connection = sqlite3.connect(target)
    connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; CREATE VIRTUAL TABLE t USING"
                             " fts5 (code, title, tokenize='porter unicode61 remove_diacritics 2');")
    with connection:
        connection.executemany("INSERT INTO t VALUES (?, ?)", titles)
    connection.close()


def build(target: Path) -> None:
    from app.codesets.build import build_database

    build_database(target)


def child(kind: str) -> None:
    """One measured run in this (fresh) process; prints seconds and peak MiB as JSON."""
    folder = Path(tempfile.mkdtemp(prefix="medcode-build-bench-"))
    target = folder / "codesets.sqlite3"
    started, cpu = time.perf_counter(), time.process_time()
    (floor if kind == "floor" else build)(target)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "cpu": cpu_seconds, "peak_mib": peak, "mb": target.stat().st_size / 1e6}))
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


def measure(kind: str, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, __file__, "--child", kind], capture_output=True, text=True, check=True,
                             env=os.environ | {"PYTHONPATH": str(REPO)})
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return 0
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    low = measure("floor", runs)
    full = measure("build", runs)
    print(f"code-set build, median of {runs} fresh processes (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print(f"  time   build {full['seconds']:.2f} s   floor {low['seconds']:.2f} s   ratio {full['seconds'] / low['seconds']:.2f}x"
          "   (target <= 2x)")
    print(f"  cpu    build {full['cpu']:.2f} s   floor {low['cpu']:.2f} s   ratio {full['cpu'] / low['cpu']:.2f}x")
    print(f"  memory build {full['peak_mib']:.0f} MiB   floor {low['peak_mib']:.0f} MiB"
          f"   ratio {full['peak_mib'] / low['peak_mib']:.2f}x   (peak RSS)")
    print(f"  file   build {full['mb']:.0f} MB   floor {low['mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
