"""One writer per data folder: a second window and writing commands are refused; stale locks are taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.instance_lock import LOCK_NAME, DataFolderBusy, acquire

REPO = Path(__file__).resolve().parents[2]


def _medcode(*args: str, folder: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "app", "--data-dir", str(folder), *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_a_second_instance_is_refused_with_a_clear_message(data_dir: Path) -> None:
    lock = acquire(data_dir)  # this test process is the first instance
    try:
        run = _medcode(folder=data_dir)
        assert run.returncode == 2, run.stderr
        assert "already running with the data folder" in run.stderr and str(os.getpid()) in run.stderr
        assert "Traceback" not in run.stderr
        assert not (data_dir / "learner.sqlite3").exists()  # refused before touching the data
        imported = _medcode("profile", "import", str(data_dir / "x.medcode-profile"), folder=data_dir)
        assert imported.returncode == 2 and "already running" in imported.stderr
        listed = _medcode("profile", "list", folder=data_dir)  # reading needs no lock
        assert listed.returncode == 0, listed.stderr
    finally:
        lock.unlock()


def test_the_lock_of_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from app.instance_lock import acquire;"
         f" lock = acquire(Path({str(tmp_path)!r})); print('locked', flush=True); time.sleep(60)"],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    with pytest.raises(DataFolderBusy, match=str(holder.pid)):
        acquire(tmp_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (tmp_path / LOCK_NAME).exists()  # the crash left its lock file behind...
    started = time.monotonic()
    lock = acquire(tmp_path)  # ...and the next start takes it over at once
    assert time.monotonic() - started < 5
    lock.unlock()
