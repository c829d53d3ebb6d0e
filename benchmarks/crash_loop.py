"""Crash loop: SIGKILL a process that is saving answers, again and again, and count the damage.

Run: .venv/bin/python benchmarks/crash_loop.py [KILLS] [SEED]   (default 220 kills)
A forked child process answers items through the real store write path (LearnerStore.record_attempt on
a real WAL file with synchronous=FULL) and prints the number of each answer once its commit has
returned. It is killed at a random moment, and the file is checked: `PRAGMA integrity_check`,
and every answer the child reported saved must be there. At most the answer in flight when the
kill came may be missing (it was never reported saved). Prints kills, corrupt files, lost saved
answers and in-flight answers lost. tests/store/test_crash_kill.py runs a short version in CI.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# A parent that has imported the app once and forks one answering child per kill, so each
# kill costs milliseconds rather than an interpreter start. The child opens the database
# itself, after the fork, and is killed with SIGKILL in the middle of whatever it is doing.
ZYGOTE = r"""
import os, sys
from datetime import UTC, datetime
from app.core.learner import AttemptDraft
from app.store.database import open_learner_db
from app.store.learners import LearnerStore

def say(*words):
    # One write per line: with unbuffered output (PYTHONUNBUFFERED) print() writes word by word,
    # and the parent's and the child's words would interleave in the shared pipe.
    os.write(1, (" ".join(str(w) for w in words) + "\n").encode())

def answer(path):
    store = LearnerStore(open_learner_db(path))
    profile = store.profiles()[0] if store.profiles() else store.create_profile("Crash test")
    n = int(store.db.execute("SELECT count(*) FROM attempts").fetchone()[0])
    say("ready", n)
    while True:
        n += 1
        store.record_attempt(profile.id, AttemptDraft(
            item_id=f"item-{n}", bank_id="crash", item_type="single_choice", topic="icd10cm", response=n,
            score=1.0, max_score=1.0, correct=True, seconds=1.0, answered_at=datetime.now(UTC),
            findings=(("correct", "E11.9", "x" * (n % 300)),)))
        say("saved", n)

for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        answer(sys.argv[1])
    say("child", pid)
    os.waitpid(pid, 0)
    say("reaped", pid)
"""


@dataclass
class Figures:
    kills: int = 0
    corrupt: int = 0
    lost_saved: int = 0  # answers reported saved but missing: must stay 0
    in_flight_lost: int = 0  # kills where the answer being written did not survive (allowed)
    answers: int = 0


def _check(path: Path, saved: int, figures: Figures) -> int:
    """Integrity and the count of answers; returns how many answers the file holds."""
    conn = sqlite3.connect(path)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            figures.corrupt += 1
        have = {int(r[0].split("-")[1]) for r in conn.execute("SELECT item_id FROM attempts")}
    finally:
        conn.close()
    figures.lost_saved = sum(1 for n in range(1, saved + 1) if n not in have)  # over the whole run
    if saved + 1 not in have:
        figures.in_flight_lost += 1
    return len(have)


def _read_until(stream, word: str) -> tuple[list[str], int]:  # type: ignore[no-untyped-def]
    """Lines up to the one holding `word NUMBER` (it may follow a line cut short by the kill)."""
    lines: list[str] = []
    while True:
        line = stream.readline()
        if not line:
            raise RuntimeError("the crash-loop parent process ended")
        match = re.search(rf"{word} (\d+)", line)
        if match:
            return lines, int(match[1])
        lines.append(line.strip())


def run(kills: int, seed: int, folder: Path, max_delay: float = 0.25, timeout: float = 600) -> Figures:
    """Kill the answering child `kills` times at random moments; check the file after each.

    A watchdog kills everything after `timeout` seconds, so a fault ends the run (with
    RuntimeError) instead of hanging it.
    """
    rng = random.Random(seed)
    path = folder / "learner.sqlite3"
    figures = Figures()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    parent = subprocess.Popen([sys.executable, "-c", ZYGOTE, str(path)], cwd=REPO, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert parent.stdin is not None and parent.stdout is not None
    current: dict[str, int] = {}
    watchdog = threading.Timer(timeout, lambda: [_kill(p) for p in (current.get("child", 0), parent.pid)])
    watchdog.start()
    try:
        for _ in range(kills):
            parent.stdin.write("go\n")
            parent.stdin.flush()
            before, pid = _read_until(parent.stdout, "child")
            current["child"] = pid
            if not any(re.search(r"ready \d+", line) for line in before):
                _read_until(parent.stdout, "ready")
            time.sleep(rng.uniform(0.0, max_delay))
            os.kill(pid, signal.SIGKILL)
            lines, _ = _read_until(parent.stdout, "reaped")
            saved = [int(line.split()[1]) for line in before + lines if re.fullmatch(r"saved \d+", line)]
            figures.kills += 1
            figures.answers = _check(path, max(saved, default=figures.answers), figures)
    finally:
        watchdog.cancel()
        parent.stdin.close()
        parent.wait(timeout=30)
    return figures


def _kill(pid: int) -> None:
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def main() -> None:
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 220
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        figures = run(kills, seed, Path(folder))
        took = time.perf_counter() - started
    print(f"kills: {figures.kills}")
    print(f"corrupt databases: {figures.corrupt}")
    print(f"answers reported saved but lost: {figures.lost_saved}")
    print(f"kills that lost the in-flight answer: {figures.in_flight_lost}")
    print(f"answers in the file at the end: {figures.answers}")
    print(f"time: {took:.1f} s")


if __name__ == "__main__":
    main()
