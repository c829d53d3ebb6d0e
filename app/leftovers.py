"""Removing what interrupted work left behind: half-built code-set files, half-installed banks.

An interrupted `codes build` leaves `.codesets.sqlite3.<pid>.building` (about 40 MB each), an
interrupted bank install leaves `banks/.installing-<pid>-*`. Both carry the id of the process
that made them, so at start we remove exactly those whose process is gone and never touch the
work of a process that is still running.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from pathlib import Path

log = logging.getLogger(__name__)
_BUILDING = re.compile(r"^\..+\.(\d+)\.(building|partial)$")
_INSTALLING = re.compile(r"^\.installing-(?:(\d+)-)?")
ORPHAN_AGE_SECONDS = 24 * 3600  # leftovers from versions that did not record the process id


def process_alive(pid: int) -> bool:
    """True when a process with this id exists (ours, or one we may not signal)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:  # Windows: an id that is no process raises OSError
        return False
    return True


def _stale(pid_text: str | None, path: Path, now: float) -> bool:
    if pid_text:
        return not process_alive(int(pid_text))
    try:
        return now - path.stat().st_mtime > ORPHAN_AGE_SECONDS
    except OSError:
        return False


def remove_leftovers(folders: list[Path], banks_dir: Path, now: float | None = None) -> list[Path]:
    """Delete stale build files in `folders` and stale install folders in `banks_dir`."""
    clock = time.time() if now is None else now
    removed: list[Path] = []
    for folder in folders:
        for path in _entries(folder):
            match = _BUILDING.match(path.name)
            if match and path.is_file() and _stale(match[1], path, clock):
                _remove(path, removed)
    for path in _entries(banks_dir):
        match = _INSTALLING.match(path.name)
        if match and path.is_dir() and _stale(match[1], path, clock):
            _remove(path, removed)
    return removed


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return []


def _remove(path: Path, removed: list[Path]) -> None:
    try:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError as error:
        log.warning("could not remove the leftover %s: %s", path, error)
        return
    removed.append(path)
