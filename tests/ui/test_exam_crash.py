"""Nothing is lost: the real app, in a subprocess, killed with SIGKILL in the middle of an exam.

The first run starts an exam, answers 10 items and flags 2 through the exam page's widgets
(app/ui/exam_script.py, driven by MEDCODE_EXAM_SCRIPT), dumps what it shows, keeps running a
few seconds (heartbeats) and is killed. The second run presses "Resume exam" and dumps again:
same items in the same order with the same options, the 10 answers and 2 flags, and the time
left right within 5 seconds (pause policy `while_closed`: the clock comes from the heartbeat).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from exam_banks import write_bank, write_form

from app.store.database import open_learner_db
from app.store.learners import LearnerStore

REPO = Path(__file__).resolve().parents[2]
LIMIT = 60 * 60


def _prepare(data_dir: Path, pause: str) -> None:
    package = data_dir / "banks" / "exam-test"
    write_bank(package / "bank.yaml", per_topic=8, cases=0)
    write_form(package / "forms" / "crash.yaml", form_id="crash-form", pause=pause)
    db = open_learner_db(data_dir / "learner.sqlite3")
    store = LearnerStore(db)
    profile = store.create_profile("Ana")
    store.set_settings({"last_profile": str(profile.id), "tour_seen": "1"})
    from app.content.bank import load_banks

    from app.resources import BANKS_DIR

    for bank in load_banks(BANKS_DIR)[0]:  # only the generated bank: every item a choice
        store.set_bank_enabled(profile.id, bank.manifest.id, False)
    db.close()


def _launch(data_dir: Path, script: list[list[object]], dump: Path) -> subprocess.Popen[bytes]:
    path = dump.with_name(dump.stem + "-script.json")
    path.write_text(json.dumps(script + [["dump", str(dump)]]), encoding="utf-8")
    env = dict(os.environ, MEDCODE_EXAM_SCRIPT=str(path), QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, "-m", "app", "--data-dir", str(data_dir)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(dump: Path, process: subprocess.Popen[bytes], seconds: float = 180) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + seconds
    while not dump.exists():
        if process.poll() is not None:
            raise AssertionError(f"the app stopped early: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("the app did not get through its script")
        time.sleep(0.1)
    data = json.loads(dump.read_text(encoding="utf-8"))
    assert "error" not in data, data.get("error")
    return data


@pytest.mark.slow
def test_sigkill_mid_exam_then_resume_restores_everything(data_dir: Path, tmp_path: Path) -> None:
    """The clock of a `while_closed` form lives only in the heartbeat: the hardest case to resume.

    (The `none` policy's wall-clock arithmetic is tested in tests/core/test_exam.py and, through
    a closed and rebuilt app, in tests/ui/test_exam_page.py.)
    """
    _prepare(data_dir, "while_closed")
    answers = [["answer", n, n % 4 + 1] for n in range(10)]
    first = _launch(data_dir, [["start", "crash-form"], *answers, ["flag", 3], ["flag", 17]], tmp_path / "one.json")
    before = _wait_for(tmp_path / "one.json", first)
    time.sleep(3.5)  # the exam runs on: heartbeats write the clock every 2 s
    killed_at = time.time()
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    assert first.returncode == -signal.SIGKILL

    second = _launch(data_dir, [["resume"]], tmp_path / "two.json")
    try:
        after = _wait_for(tmp_path / "two.json", second)
    finally:
        second.kill()
        second.wait(30)

    assert before["running"] and after["running"] and after["exam_id"] == before["exam_id"]
    assert len(before["keys"]) == 25 and after["keys"] == before["keys"]
    assert after["options"] == before["options"]
    assert len(before["answers"]) == 10 and after["answers"] == before["answers"]
    assert before["flags"] == [3, 17] and after["flags"] == [3, 17]
    started = before["wall"] - (LIMIT - before["remaining"])
    expected = LIMIT - (killed_at - started)  # only the time the app was open counts
    assert abs(after["remaining"] - expected) <= 5, (after["remaining"], expected)
    closed = after["wall"] - killed_at  # the restart itself takes seconds: they must not count
    assert after["remaining"] > expected - closed + 2 or closed < 2
