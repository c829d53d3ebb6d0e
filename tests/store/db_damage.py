"""Real damage for tests: bytes written into the pages of a real SQLite file, no mocks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

PAGE_SIZE = 4096


def pages_holding(path: Path, marker: bytes) -> list[int]:
    """0-based numbers of the pages whose bytes contain `marker` (after a checkpoint)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    return [n for n in range(len(data) // PAGE_SIZE) if marker in data[n * PAGE_SIZE:(n + 1) * PAGE_SIZE]]


def smash_page(path: Path, page: int) -> None:
    """Overwrite a page's b-tree header and first cells with garbage, as a bad sector would."""
    with path.open("r+b") as handle:
        handle.seek(page * PAGE_SIZE)
        handle.write(b"\xee" * 64)
