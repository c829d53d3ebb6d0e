"""One writer per data folder: a QLockFile that the GUI and the writing commands share.

Two windows writing to one profile would interleave their answers and settings, and a
command-line import under a running window would be overwritten by the window's next save.
Qt's lock file records the process id; a lock left by a crashed run is taken over as soon as
that process is gone (stale lock time 0: a live process never loses its lock to age).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QLockFile

LOCK_NAME = "medcode.lock"


class DataFolderBusy(RuntimeError):
    """Another MedCode Tutor (window or command) is using this data folder."""

    def __init__(self, folder: Path, pid: int, host: str, app: str):
        who = f"process {pid}" + (f" on {host}" if host else "") if pid else "another program"
        super().__init__(
            f"MedCode Tutor is already running with the data folder {folder} ({who}). "
            "Close it first, or switch to its window."
        )
        self.folder, self.pid = folder, pid


def acquire(folder: Path, wait_ms: int = 0) -> QLockFile:
    """Take the data folder's lock or raise DataFolderBusy; keep the returned object alive.

    The lock is released when the object is deleted or `unlock()` is called, and by the
    operating system's process end in any case (a crash leaves a stale file that the next
    run takes over).
    """
    from PySide6.QtCore import QLockFile

    folder.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(folder / LOCK_NAME))
    lock.setStaleLockTime(0)
    if lock.tryLock(wait_ms):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        info = lock.getLockInfo()  # (pid, host, app); empty when the file vanished meanwhile
        pid, host, app = info if isinstance(info, tuple) and len(info) == 3 else (0, "", "")
        raise DataFolderBusy(folder, int(pid or 0), str(host or ""), str(app or ""))
    raise OSError(f"cannot create the lock file in {folder} ({lock.error().name})")
