"""Checking the learner database for damage, and saving what can still be read.

`quick_check` runs at every start (a few milliseconds); `full_check` is Tools ▸ Check
database. When pages are damaged, `recover` copies every row that can still be read into a new
file with the current schema, table by table and, inside a damaged table, row by row: a bad
page costs the rows on it, never the rest of the data (docs/data-safety.md).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from app.store.sqlite import Database

SKIPPED_TABLES = ("_migrations", "sqlite_sequence", "sqlite_stat1")
ROWID_PROBE_LIMIT = 2_000_000


@dataclass
class RecoveryReport:
    path: Path
    copied: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)  # rows known to be missing, where countable
    unreadable: list[str] = field(default_factory=list)  # tables that could not be read at all

    def summary(self) -> str:
        parts = [f"{table}: {count} row(s)" for table, count in sorted(self.copied.items())]
        text = "Recovered " + (", ".join(parts) or "nothing")
        if self.unreadable:
            text += ". Could not read: " + ", ".join(self.unreadable)
        return text + "."


def _problems(db: Database, pragma: str) -> list[str]:
    try:
        rows = [row[0] for row in db.execute(pragma).fetchall()]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return [] if rows == ["ok"] else rows


def quick_check(db: Database) -> list[str]:
    """`PRAGMA quick_check`: an empty list when the file looks sound."""
    return _problems(db, "PRAGMA quick_check")


def full_check(db: Database) -> list[str]:
    """`PRAGMA integrity_check` (also compares every index with its table)."""
    return _problems(db, "PRAGMA integrity_check")


def _tables(source: sqlite3.Connection) -> list[str]:
    rows = source.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return [name for (name,) in rows if name not in SKIPPED_TABLES and not name.startswith("sqlite_")]


def _read_rows(source: sqlite3.Connection, table: str) -> tuple[list[str], list[tuple], int]:  # type: ignore[type-arg]
    """Every readable row of `table`: all at once, else rowid by rowid around the damage.

    Returns (columns, rows, rows known lost). A point look-up by rowid walks the tree from the
    root, so a damaged leaf only fails the look-ups that land on it.
    """
    cursor = source.execute(f"SELECT * FROM [{table}] LIMIT 0")
    columns = [d[0] for d in cursor.description]
    try:
        return columns, source.execute(f"SELECT * FROM [{table}]").fetchall(), 0
    except sqlite3.DatabaseError:
        pass
    top = _highest_rowid(source, table)
    rows, lost = [], 0
    for rowid in range(1, min(top, ROWID_PROBE_LIMIT) + 1):
        try:
            rows.extend(source.execute(f"SELECT * FROM [{table}] WHERE rowid = ?", [rowid]).fetchall())
        except sqlite3.DatabaseError:
            lost += 1
    return columns, rows, lost


def _highest_rowid(source: sqlite3.Connection, table: str) -> int:
    """The highest rowid, found from the right edge of the tree or from sqlite_sequence."""
    for sql in (f"SELECT max(rowid) FROM [{table}]", "SELECT seq FROM sqlite_sequence WHERE name = ?"):
        try:
            row = source.execute(sql, [table] if "?" in sql else []).fetchone()
            if row and row[0]:
                return int(row[0])
        except sqlite3.DatabaseError:
            continue
    return 100_000


def recover(source_path: Path, target: Path) -> RecoveryReport:
    """Copy what can be read from `source_path` into a new database at `target`.

    The new file gets the current schema from the migrations, so indexes, triggers and the
    schema version are rebuilt rather than copied from damaged pages.
    """
    from app.store.database import open_learner_db

    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    report = RecoveryReport(target)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    fresh = open_learner_db(partial)
    try:
        fresh.execute("PRAGMA foreign_keys = OFF")  # parents may be lost while children survive
        wanted = set(fresh.table_names())
        with fresh.atomic():
            fresh.execute("DELETE FROM settings")
            for table in _tables(source) if _readable_schema(source) else []:
                if table not in wanted:
                    continue
                try:
                    columns, rows, lost = _read_rows(source, table)
                except sqlite3.DatabaseError:
                    report.unreadable.append(table)
                    continue
                _insert(fresh, table, columns, rows)
                report.copied[table] = len(rows)
                if lost:
                    report.lost[table] = lost
        fresh.close()
        os.replace(partial, target)
    except BaseException:
        fresh.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    return report


def _readable_schema(source: sqlite3.Connection) -> bool:
    try:
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        return False
    return True


def _insert(fresh: Database, table: str, columns: list[str], rows: list[tuple]) -> None:  # type: ignore[type-arg]
    """Insert rows keeping their ids; columns the new schema lacks are dropped."""
    have = {row[1] for row in fresh.execute(f"PRAGMA table_info([{table}])")}
    keep = [n for n, c in enumerate(columns) if c in have]
    names = ", ".join(f"[{columns[n]}]" for n in keep)
    marks = ", ".join("?" for _ in keep)
    fresh.conn.executemany(
        f"INSERT OR IGNORE INTO [{table}] ({names}) VALUES ({marks})",
        ([row[n] for n in keep] for row in rows),
    )
