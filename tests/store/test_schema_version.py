"""Schema version recorded; newer databases refused before any write; old releases upgrade intact."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.store.database import NewerDatabaseError, open_learner_db
from app.store.learners import LearnerStore
from app.store.migrations import MIGRATIONS, applied_migrations, schema_number

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CURRENT = max(schema_number(name) for name, _ in MIGRATIONS)
RELEASED = ["schema-001.sqlite3"]  # one file per released schema, oldest first


def _rows(path: Path) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"
                                            " AND name NOT LIKE 'sqlite_%' AND name != '_migrations'")]
        return {t: sorted(conn.execute(f"SELECT * FROM [{t}]").fetchall()) for t in tables}
    finally:
        conn.close()


def test_new_database_records_its_schema_version(tmp_path: Path) -> None:
    db = open_learner_db(tmp_path / "learner.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == CURRENT
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL: a commit survives power loss
    db.close()


@pytest.mark.parametrize("name", RELEASED)
def test_each_released_schema_upgrades_with_every_row_intact(tmp_path: Path, name: str) -> None:
    path = tmp_path / "learner.sqlite3"
    shutil.copyfile(FIXTURES / name, path)
    before = _rows(path)
    assert before["attempts"] and before["lesson_reads"] and before["settings"] and before["bank_choices"]
    backups: list[int] = []
    db = open_learner_db(path, before_migrating=lambda d: backups.append(len(applied_migrations(d))))
    assert backups == [1]  # the app is told before the schema changes, to make its backup
    assert applied_migrations(db) == [n for n, _ in MIGRATIONS]
    assert db.execute("PRAGMA user_version").fetchone()[0] == CURRENT
    db.close()
    after = _rows(path)
    for table, rows in before.items():
        width = len(rows[0]) if rows else 0
        assert sorted(row[:width] for row in after[table]) == rows, table  # new columns come last
    store = LearnerStore(open_learner_db(path))
    assert [p.name for p in store.profiles()] == ["Ana Lopez", "Ben"]
    assert len(store.attempts(1)) + len(store.attempts(2)) == len(before["attempts"])
    uids = [r[0] for r in store.db.execute("SELECT uid FROM attempts")]
    assert len(set(uids)) == len(uids) and all(len(u) == 32 for u in uids)
    store.db.close()


def test_a_newer_database_is_refused_and_never_written(tmp_path: Path) -> None:
    path = tmp_path / "learner.sqlite3"
    db = open_learner_db(path)
    db.execute("INSERT INTO _migrations (name, applied_at) VALUES ('950_from_the_future', 'x')")
    db.execute("PRAGMA user_version = 950")
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(NewerDatabaseError) as raised:
        open_learner_db(path)
    assert str(raised.value) == "this data was written by a newer MedCode Tutor (schema 950); please update"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not Path(f"{path}-wal").exists()


def test_an_unknown_migration_name_alone_marks_a_newer_database(tmp_path: Path) -> None:
    path = tmp_path / "learner.sqlite3"
    db = open_learner_db(path)
    db.execute("INSERT INTO _migrations (name, applied_at) VALUES ('990_renamed_columns', 'x')")
    db.close()
    with pytest.raises(NewerDatabaseError, match=r"schema 990\); please update"):
        open_learner_db(path)


def test_new_rows_get_a_uid_from_code_that_never_sets_one(tmp_path: Path) -> None:
    db = open_learner_db(tmp_path / "learner.sqlite3")
    store = LearnerStore(db)
    ana = store.create_profile("Ana")
    db.execute("INSERT INTO attempts (profile_id, bank_id, item_id, item_type, topic, response, score,"
               " max_score, correct, seconds, answered_at) VALUES (?, 'b', 'i', 't', 'x', '1', 1, 1, 1, 1, 'now')",
               [ana.id])
    assert db.execute("SELECT uid FROM attempts").fetchone()[0]
    assert db.execute("SELECT uid FROM profiles").fetchone()[0]
    db.close()
