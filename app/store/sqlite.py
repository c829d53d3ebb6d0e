"""A small `Database` over one sqlite3 connection: the part of sqlite-utils the store uses at start.

Importing sqlite-utils costs about 0.4 s on the 2-core reference machine (it imports numpy,
pluggy and its plugin entry points), which was over a third of the app's start. The store's
everyday calls (`query`, `execute`, `atomic`, `table_names`, `enable_wal`, `close`) are a few
lines over sqlite3 with the same behaviour for our autocommit connections, so they live here.
Anything else of sqlite-utils' API (`db["table"].insert_all(...)`, `db.tables`, ...) still
works: it is handed to a real `sqlite_utils.Database` on the same connection, which is
imported and built only the first time such a call is made.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

Params = Sequence[Any] | dict[str, Any] | None


class Database:
    """One learner-data connection (opened with `isolation_level=None`, i.e. autocommit)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._full: Any = None

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        """Run one statement; outside `atomic()` a write commits at once (autocommit)."""
        return self.conn.execute(sql, parameters) if parameters is not None else self.conn.execute(sql)

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """Rows as dictionaries keyed by column name, fetched lazily like sqlite-utils' `query`."""
        cursor = self.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() can only be used with SQL that returns rows - use execute()")
        keys = [column[0] for column in cursor.description]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction; nested blocks become savepoints (as in sqlite-utils)."""
        if self.conn.in_transaction:
            savepoint = f"medcode_{secrets.token_hex(8)}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        self.conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def table_names(self) -> list[str]:
        return [row[0] for row in self.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def enable_wal(self) -> None:
        if self.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.execute("PRAGMA journal_mode=wal")

    def close(self) -> None:
        self.conn.close()

    # -- the rest of sqlite-utils, imported on first use ------------------------------
    def full(self) -> Any:
        """The real `sqlite_utils.Database` on this connection (imported the first time)."""
        if self._full is None:
            from sqlite_utils import Database as FullDatabase

            self._full = FullDatabase(self.conn)
        return self._full

    def __getitem__(self, table: str) -> Any:
        return self.full()[table]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)
