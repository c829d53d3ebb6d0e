"""The schema builds on an empty file, re-running migrations changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.store.database import connect, open_learner_db
from app.store.migrations import MIGRATIONS, applied_migrations, apply_migrations


def _schema(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))
    finally:
        conn.close()


def test_empty_database_gets_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "learner.sqlite3"
    db = open_learner_db(path)
    assert applied_migrations(db) == [name for name, _ in MIGRATIONS]
    assert {"profiles", "attempts", "lesson_reads", "bank_choices", "settings"} <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


def test_rerunning_migrations_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "learner.sqlite3"
    open_learner_db(path).close()
    before = _schema(path)
    db = connect(path)
    recorded = list(db.query("SELECT * FROM _migrations"))
    assert apply_migrations(db) == []
    assert list(db.query("SELECT * FROM _migrations")) == recorded
    db.close()
    assert _schema(path) == before


def test_a_failing_migration_leaves_no_trace(tmp_path: Path) -> None:
    db = open_learner_db(tmp_path / "learner.sqlite3")

    def broken(database):  # creates a table, then fails: both must roll back
        database.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("disk on fire")

    try:
        apply_migrations(db, MIGRATIONS + (("999_broken", broken),))
    except RuntimeError:
        pass
    assert "half_done" not in db.table_names()
    assert "999_broken" not in applied_migrations(db)
