"""Opening the learner database: one SQLite file, WAL, foreign keys, migrations applied.

`open_learner_db` is the only way the app opens learner data, so every connection has
the same pragmas and an up-to-date schema before any window sees it. A database written by
a newer MedCode Tutor is refused before anything is written to it (docs/data-safety.md).

Durability (docs/data-safety.md, "What a crash can cost"): every learner-data connection runs
WAL with `synchronous = FULL`, so a commit is on the disk before `commit` returns, and a power
cut loses at most the answer being saved at that moment. One fsync per answer costs a few
milliseconds, far below the seconds a learner spends on an item; exam answers get the same
guarantee without any extra code.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from app.store.sqlite import Database

from app.store import migrations as schema
from app.store.migrations import apply_migrations, pending_migrations, schema_number

SYNCHRONOUS = "FULL"


class NewerDatabaseError(sqlite3.DatabaseError):
    """The file was written by a newer MedCode Tutor; this version must not touch it."""

    def __init__(self, schema: int):
        super().__init__(f"this data was written by a newer MedCode Tutor (schema {schema}); please update")
        self.schema = schema


def connect(path: Path | str, wal: bool = True) -> Database:
    """A `Database` on `path` with foreign keys on and FULL sync (no migrations).

    `wal=False` leaves the journal mode as the file has it, so a file can be looked at
    (schema version, integrity) without writing to it.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=10)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    db = Database(conn)
    if wal and str(path) != ":memory:":
        db.enable_wal()
    conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
    return db


def newer_schema(db: Database) -> int | None:
    """The schema number of a database this version does not know, or None when it may open it.

    Newer means a `user_version` above our newest migration, or a recorded migration name
    this version does not have (a migration added by a later release).
    """
    ours = {name for name, _ in schema.MIGRATIONS}
    known_max = max(schema_number(name) for name in ours)
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    unknown: list[str] = []
    if "_migrations" in db.table_names():
        unknown = [row[0] for row in db.execute("SELECT name FROM _migrations") if row[0] not in ours]
    if version > known_max:
        return version
    if unknown:
        return max([schema_number(name) for name in unknown] + [version, known_max + 1])
    return None


def check_not_newer(db: Database) -> None:
    """Raise NewerDatabaseError when `db` comes from a newer MedCode Tutor."""
    schema = newer_schema(db)
    if schema is not None:
        raise NewerDatabaseError(schema)


def settle(db: Database) -> None:
    """End the transaction a failed statement can leave open (SQLite does so on a damaged page).

    Left open, it holds a read snapshot that blocks restores ("destination database is in
    use") and keeps showing old data. Called after a database error, never inside `atomic()`.
    """
    if db.conn.in_transaction:
        db.conn.execute("ROLLBACK")


def open_learner_db(path: Path | str, before_migrating: Callable[[Database], object] | None = None) -> Database:
    """Connect and bring the schema up to date. Raises sqlite3.DatabaseError on a bad file.

    The version check runs before the first write (even before switching to WAL).
    `before_migrating(db)` is called when migrations are about to change an existing schema:
    the app passes a backup there, so an upgrade can always be undone.
    """
    db = connect(path, wal=False)
    try:
        check_not_newer(db)
        if str(path) != ":memory:":
            db.enable_wal()
        if before_migrating is not None and pending_migrations(db, schema.MIGRATIONS) and "_migrations" in db.table_names():
            before_migrating(db)
        apply_migrations(db, schema.MIGRATIONS)
    except BaseException:
        db.close()
        raise
    return db
