"""Append-only schema migrations, recorded in `_migrations`.

Rules (DESIGN.md, convention 4): never edit or reorder a migration that has shipped; add a
new one at the end. Each runs in its own transaction together with its record, so a crash
leaves the database either before or after a migration, never half-way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from app.store.sqlite import Database

Migration = tuple[str, Callable[[Database], None]]


def _m001_initial(db: Database) -> None:
    db.execute(
        """CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            bank_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            item_type TEXT NOT NULL,
            topic TEXT NOT NULL,
            response TEXT NOT NULL,
            score REAL NOT NULL,
            max_score REAL NOT NULL,
            correct INTEGER NOT NULL,
            seconds REAL NOT NULL,
            answered_at TEXT NOT NULL,
            findings TEXT NOT NULL DEFAULT '[]'
        )"""
    )
    db.execute("CREATE INDEX attempts_profile_item ON attempts(profile_id, item_id)")
    db.execute(
        """CREATE TABLE lesson_reads (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            first_read_at TEXT NOT NULL,
            last_read_at TEXT NOT NULL,
            times INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (profile_id, lesson_id)
        )"""
    )
    db.execute(
        """CREATE TABLE bank_choices (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            bank_id TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            PRIMARY KEY (profile_id, bank_id)
        )"""
    )
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _m002_progress_aggregates(db: Database) -> None:
    """Per-item progress kept by a trigger on attempts (app/store/progress.py), filled from the
    answers already stored, so the progress page never reads every attempt again."""
    from app.store.progress import create_progress_tables

    create_progress_tables(db)


def _m004_study_loop(db: Database) -> None:
    """Review cards and logs, study settings, the per-day summary, and the indexes they need.

    Existing answers are replayed, oldest first, so a learner who practised before this
    version finds their cards already scheduled and their dashboard already filled.
    """
    from app.store.study_schema import backfill, create_study_tables

    create_study_tables(db)
    backfill(db)


def _m004_study_weeks(db: Database) -> None:
    """Weekly and per-topic summaries beside the daily one, so queries stay small at scale."""
    from app.store.study_schema import create_week_tables

    create_week_tables(db)


MIGRATIONS: tuple[Migration, ...] = (
    ("001_initial", _m001_initial),
    ("002_progress_aggregates", _m002_progress_aggregates),
    ("004_study_loop", _m004_study_loop),
    ("004_study_weeks", _m004_study_weeks),
)


def applied_migrations(db: Database) -> list[str]:
    if "_migrations" not in db.table_names():
        return []
    return [row["name"] for row in db.query("SELECT name FROM _migrations ORDER BY id")]


def apply_migrations(db: Database, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[str]:
    """Apply the migrations not yet recorded; return the names applied this time."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations ("
        "id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)"
    )
    done = set(applied_migrations(db))
    applied: list[str] = []
    for name, migrate in migrations:
        if name in done:
            continue
        with db.atomic():
            migrate(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                [name, datetime.now(UTC).isoformat()],
            )
        applied.append(name)
    return applied
