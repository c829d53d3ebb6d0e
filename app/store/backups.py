"""Rotating copies of the learner database, made with SQLite's online backup API.

A backup is a complete, consistent SQLite file in `<data dir>/backups/`, taken while the app
keeps its connection open (`Connection.backup` copies committed pages only, so a half-saved
answer never appears in a copy). The app makes one at start once a day, one at close, and one
before anything that cannot be undone: a migration, a restore, deleting a learner, importing a
profile. Rotation keeps the newest few of every kind plus one a day for a week and one a week
for a month (docs/data-safety.md).
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.store.sqlite import Database

PREFIX = "learner-"
SUFFIX = ".sqlite3"
KEEP_RECENT = 5
KEEP_DAILY = 7
KEEP_WEEKLY = 4
_NAME = re.compile(r"^learner-(\d{8}-\d{6})-(\d{6})-([a-z-]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    reason: str
    size: int


class BackupError(OSError):
    """A backup could not be made or used; the message says why in the learner's words."""


def backup_name(now: datetime, reason: str) -> str:
    """`learner-20261201-150600-123456-daily.sqlite3`: sorts by time, says why it was made."""
    stamp = now.astimezone(UTC)
    cleaned = re.sub(r"[^a-z]+", "-", reason.lower()).strip("-") or "manual"
    return f"{PREFIX}{stamp:%Y%m%d-%H%M%S}-{stamp:%f}-{cleaned}{SUFFIX}"


def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups in `folder`, newest first (files with other names are left alone)."""
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            made = datetime.strptime(match[1] + match[2], "%Y%m%d-%H%M%S%f").replace(tzinfo=UTC)
            found.append(BackupInfo(path, made, match[3], path.stat().st_size))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy the committed state of `source` into a new file at `target`, atomically.

    The copy is written beside the target and renamed into place, so a crash or a full disk
    never leaves a half-written file under a backup's name.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    destination = sqlite3.connect(partial)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode = DELETE")
        destination.close()
        os.replace(partial, target)
    except BaseException:
        destination.close()
        partial.unlink(missing_ok=True)
        raise


def make_backup(db: Database, folder: Path, reason: str, now: datetime) -> BackupInfo:
    """Back `db` up into `folder` now, then rotate; raises BackupError when it cannot."""
    target = folder / backup_name(now, reason)
    while target.exists():  # two backups in the same microsecond (a coarse clock): never overwrite
        now += timedelta(microseconds=1)
        target = folder / backup_name(now, reason)
    try:
        copy_database(db.conn, target)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"the backup {target} could not be written: {error}") from error
    rotate(folder, now)
    return next(b for b in list_backups(folder) if b.path == target)


def backed_up_since(folder: Path, since: datetime) -> bool:
    """True when some backup in `folder` is newer than `since`."""
    return any(b.made_at >= since for b in list_backups(folder))


def daily_backup(db: Database, folder: Path, now: datetime) -> BackupInfo | None:
    """The start-of-day backup: made only when none was made since midnight (UTC)."""
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if backed_up_since(folder, midnight):
        return None
    return make_backup(db, folder, "daily", now)


def to_keep(backups: list[BackupInfo], now: datetime) -> set[Path]:
    """Which backups rotation keeps: the newest few, one per day for a week, one per week for a month.

    Pure arithmetic over names and dates, so it is tested without files.
    """
    newest_first = sorted(backups, key=lambda b: b.made_at, reverse=True)
    keep = {b.path for b in newest_first[:KEEP_RECENT]}
    days: dict[object, BackupInfo] = {}
    weeks: dict[object, BackupInfo] = {}
    for backup in newest_first:
        days.setdefault(backup.made_at.date(), backup)
        weeks.setdefault(backup.made_at.isocalendar()[:2], backup)
    keep |= {b.path for b in list(days.values())[:KEEP_DAILY]}
    keep |= {b.path for b in list(weeks.values())[:KEEP_WEEKLY]}
    # A clock set back by mistake must not make every old backup look like the future.
    keep |= {b.path for b in newest_first if b.made_at > now + timedelta(days=1)}
    return keep


def rotate(folder: Path, now: datetime) -> list[Path]:
    """Delete the backups rotation does not keep; return what was deleted."""
    backups = list_backups(folder)
    keep = to_keep(backups, now)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


def check_backup(path: Path) -> None:
    """Refuse a backup that is damaged or from a newer version, before anything is replaced."""
    from app.store.database import NewerDatabaseError, newer_schema

    try:
        source = Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    except sqlite3.Error as error:
        raise BackupError(f"{path.name} cannot be opened: {error}") from error
    try:
        result = source.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"{path.name} is damaged ({result}); choose another backup")
        schema = newer_schema(source)
        if schema is not None:
            raise BackupError(f"{path.name}: {NewerDatabaseError(schema)}")
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path.name} is not a usable backup: {error}") from error
    finally:
        source.close()


def replace_contents(db: Database, source_path: Path) -> None:
    """Overwrite the open database `db` with the file at `source_path`, in place.

    The backup API writes every page into the live connection under one lock, so the app
    keeps using the same connection and nothing else sees a half-restored file.
    """
    from app.store.database import settle

    settle(db)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        source.backup(db.conn)
    finally:
        source.close()
    db.execute("PRAGMA journal_mode = WAL")


def restore_backup(db: Database, backup: Path, folder: Path, now: datetime) -> BackupInfo:
    """Replace the learner data with `backup`, after backing up the current state.

    Returns the backup of the state before the restore, so the restore itself can be undone.
    """
    check_backup(backup)
    before = make_backup(db, folder, "before-restore", now)
    from app.store.migrations import apply_migrations

    try:
        replace_contents(db, backup)
        apply_migrations(db)  # an older backup is brought up to the current schema
    except sqlite3.Error as error:
        raise BackupError(f"the restore failed ({error}); your data is as it was in {before.path.name}") from error
    return before
