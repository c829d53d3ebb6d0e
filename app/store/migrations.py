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


def _uid_column(db: Database, table: str) -> None:
    """A random text id on every row of `table`, also on rows inserted by code that never sets it.

    A stable id lets profile export and import recognise a row it has seen before on another
    computer (docs/data-safety.md). The trigger fills it in, so inserting code stays unchanged.
    """
    db.execute(f"ALTER TABLE [{table}] ADD COLUMN uid TEXT")
    db.execute(f"UPDATE [{table}] SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL")
    db.execute(f"CREATE UNIQUE INDEX [{table}_uid] ON [{table}](uid)")
    db.execute(
        f"CREATE TRIGGER [{table}_uid_default] AFTER INSERT ON [{table}] WHEN NEW.uid IS NULL"
        f" BEGIN UPDATE [{table}] SET uid = lower(hex(randomblob(16))) WHERE rowid = NEW.rowid; END"
    )


def _m003_stable_ids(db: Database) -> None:
    """Profiles and attempts get a stable `uid`, so a re-imported profile never duplicates."""
    _uid_column(db, "profiles")
    _uid_column(db, "attempts")


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


def _m005_exams(db: Database) -> None:
    """Mock exams: one row per sitting (form snapshot, seed, clock) and one per drawn item."""
    db.execute(
        """CREATE TABLE exams (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            form_id TEXT NOT NULL,
            form_title TEXT NOT NULL,
            form TEXT NOT NULL,
            seed INTEGER NOT NULL,
            avoided TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'running',
            started_at TEXT NOT NULL,
            used_seconds REAL NOT NULL DEFAULT 0,
            heartbeat_at TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            part_index INTEGER NOT NULL DEFAULT 0,
            submitted_at TEXT,
            percent REAL,
            passed INTEGER,
            sections TEXT NOT NULL DEFAULT '[]'
        )"""
    )
    db.execute("CREATE INDEX exams_profile_status ON exams(profile_id, status)")
    db.execute(
        """CREATE TABLE exam_items (
            exam_id INTEGER NOT NULL REFERENCES exams(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            item_key TEXT NOT NULL,
            section TEXT NOT NULL,
            part INTEGER NOT NULL,
            option_order TEXT NOT NULL DEFAULT '[]',
            response TEXT,
            flagged INTEGER NOT NULL DEFAULT 0,
            struck TEXT NOT NULL DEFAULT '[]',
            seconds REAL NOT NULL DEFAULT 0,
            score REAL,
            max_score REAL,
            correct INTEGER,
            findings TEXT NOT NULL DEFAULT '[]',
            recorded INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (exam_id, position)
        )"""
    )


MIGRATIONS: tuple[Migration, ...] = (
    ("001_initial", _m001_initial),
    ("002_progress_aggregates", _m002_progress_aggregates),
    ("003_stable_ids", _m003_stable_ids),
    ("004_study_loop", _m004_study_loop),
    ("004_study_weeks", _m004_study_weeks),
    ("005_exams", _m005_exams),
)


def schema_number(name: str) -> int:
    """The number a migration name starts with ("003_stable_ids" -> 3): the schema version."""
    digits = name.split("_", 1)[0]
    return int(digits) if digits.isdigit() else 0


def pending_migrations(db: Database, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[str]:
    """The names of the migrations that `apply_migrations` would run now."""
    done = set(applied_migrations(db))
    return [name for name, _ in migrations if name not in done]


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
            # The schema version, readable without knowing our tables (PRAGMA user_version);
            # a newer database is recognised by it before anything is written.
            version = max(schema_number(n) for n in done | {name})
            db.execute(f"PRAGMA user_version = {int(version)}")
        done.add(name)
        applied.append(name)
    return applied
