"""Leftovers of interrupted builds and installs are removed at start; live work is not touched."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from app.leftovers import ORPHAN_AGE_SECONDS, remove_leftovers


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_building_files_and_install_folders_go_live_ones_stay(tmp_path: Path) -> None:
    cache, banks = tmp_path / "cache", tmp_path / "data" / "banks"
    cache.mkdir()
    banks.mkdir(parents=True)
    dead, alive = _dead_pid(), os.getpid()
    stale = cache / f".codesets.sqlite3.{dead}.building"
    stale.write_bytes(b"x" * 4096)
    running = cache / f".codesets.sqlite3.{alive}.building"
    running.write_bytes(b"x")
    old_install = banks / f".installing-{dead}-abc123"
    (old_install / "bank").mkdir(parents=True)
    live_install = banks / f".installing-{alive}-def456"
    live_install.mkdir()
    unknown_old = banks / ".installing-q1w2e3"  # made before installs recorded their process
    unknown_old.mkdir()
    os.utime(unknown_old, (time.time() - ORPHAN_AGE_SECONDS - 60,) * 2)
    unknown_new = banks / ".installing-r4t5y6"
    unknown_new.mkdir()
    keep = cache / "codesets.sqlite3"
    keep.write_bytes(b"db")
    removed = remove_leftovers([cache], banks)
    assert sorted(removed) == sorted([stale, old_install, unknown_old])
    assert running.exists() and live_install.exists() and unknown_new.exists() and keep.exists()


def test_missing_folders_are_fine(tmp_path: Path) -> None:
    assert remove_leftovers([tmp_path / "nope"], tmp_path / "also-nope") == []
