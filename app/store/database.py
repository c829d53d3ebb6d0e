"""Opening the learner database: one SQLite file, WAL, foreign keys, migrations applied.

`open_learner_db` is the only way the app opens learner data, so every connection has
the same pragmas and an up-to-date schema before any window sees it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.store.sqlite import Database

from app.store.migrations import apply_migrations


def connect(path: Path | str) -> Database:
    """A `Database` on `path` with WAL and foreign keys on (no migrations)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=10)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    db = Database(conn)
    if str(path) != ":memory:":
        db.enable_wal()
    conn.execute("PRAGMA synchronous = NORMAL")
    return db


def open_learner_db(path: Path | str) -> Database:
    """Connect and bring the schema up to date. Raises sqlite3.DatabaseError on a bad file."""
    db = connect(path)
    apply_migrations(db)
    return db
