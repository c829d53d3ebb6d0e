"""`bank check` of a 1,000-item bank, and the YAML readers it could use, side by side.

Run: python benchmarks/bank_check.py [--items 1000] [--runs 5] [--workdir DIR]

Prints
1. each candidate reader on the same generated bank (median of --runs, in this process):
   ruamel's round-trip loader (the old path, one run only: it is slow), ruamel's pure safe
   loader, PyYAML's C loader building plain objects (`yaml.load(..., CSafeLoader)`: the
   floor, no line numbers), and the fast reader the app uses (app/content/yaml_fast.py:
   libyaml events to a tree with every line);
2. the whole command, `python -m app bank check FILE` in a fresh interpreter (reading the
   bank, every loader rule, the code-set checks against the real database, printing),
   against a floor command that only loads the same file with PyYAML's C loader, and the
   ratio. Wall time and CPU time (user + system of the child) are both printed: on a busy
   shared machine the CPU time is the steadier figure.
Target (issue 11): `bank check` of 1,000 items in 1 s or less.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import yaml  # noqa: E402
from generated_bank import write_bank  # noqa: E402


def _median(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def readers(text: str, runs: int) -> None:
    from ruamel.yaml import YAML

    from app.content.bank_yaml import parse_reference
    from app.content.yaml_fast import parse_fast

    floor = _median(lambda: yaml.load(text, Loader=yaml.CSafeLoader), runs)  # noqa: S506 (safe loader)
    rows = [
        ("ruamel round-trip (old path, lines)", _median(lambda: parse_reference(text, "bank"), 1)),
        ("ruamel pure safe loader (no lines)", _median(lambda: YAML(typ="safe", pure=True).load(text), 1)),
        ("PyYAML C loader, plain objects (floor)", floor),
        ("fast reader: libyaml events + lines (app)", _median(lambda: parse_fast(text), runs)),
    ]
    for label, seconds in rows:
        print(f"  {label:<44} {seconds * 1000:8.1f} ms   {seconds / floor:5.2f}x the floor")


def _run(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, cwd=REPO)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def command(bank: Path, data: Path, runs: int) -> None:
    check = [sys.executable, "-m", "app", "--data-dir", str(data), "bank", "check", str(bank)]
    floor = [sys.executable, "-c", "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8'), "
             "Loader=yaml.CSafeLoader)", str(bank)]
    _run(check)  # warm-up (and the code-set database is built here if it is missing)
    results: dict[str, list[tuple[float, float]]] = {"check": [], "floor": []}
    for _ in range(runs):
        results["check"].append(_run(check))
        results["floor"].append(_run(floor))
    for name, label in (("check", "medcode bank check"), ("floor", "floor: python + PyYAML C loader")):
        wall = statistics.median(r[0] for r in results[name])
        cpu = statistics.median(r[1] for r in results[name])
        print(f"  {label:<44} wall {wall:6.3f} s   CPU {cpu:6.3f} s")
    wall_ratio = statistics.median(r[0] for r in results["check"]) / statistics.median(r[0] for r in results["floor"])
    cpu_ratio = statistics.median(r[1] for r in results["check"]) / statistics.median(r[1] for r in results["floor"])
    print(f"  ratio to the floor: wall {wall_ratio:.2f}x, CPU {cpu_ratio:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="reuse this folder (keeps the code-set database)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="medcode-bank-check-"))
    bank = write_bank(work / f"bank-{args.items}.yaml", args.items, bank_id="benchmark-bank")
    text = bank.read_text(encoding="utf-8")
    print(f"{args.items} items, {len(text) / 1e6:.1f} MB; median of {args.runs} runs")
    print("1. readers on the same text, in process:")
    readers(text, args.runs)
    print("2. the whole command in a fresh interpreter (code-set checks on the real data):")
    command(bank, work / "data", args.runs)
    print("target: bank check of 1,000 items <= 1 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
