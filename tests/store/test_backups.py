"""Backups on real files: consistent copies, rotation, restore that can itself be undone."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.learner import AttemptDraft
from app.store.backups import (
    BackupError,
    BackupInfo,
    daily_backup,
    list_backups,
    make_backup,
    restore_backup,
    to_keep,
)
from app.store.database import open_learner_db
from app.store.learners import LearnerStore

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def _draft(n: int) -> AttemptDraft:
    return AttemptDraft(item_id=f"i{n}", bank_id="b", item_type="single_choice", topic="icd10cm", response=n,
                        score=1.0, max_score=1.0, correct=True, seconds=3.0, answered_at=NOW, findings=())


@pytest.fixture
def store(tmp_path: Path) -> LearnerStore:
    store = LearnerStore(open_learner_db(tmp_path / "learner.sqlite3"))
    ana = store.create_profile("Ana")
    for n in range(3):
        store.record_attempt(ana.id, _draft(n))
    return store


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM attempts").fetchone()[0])
    finally:
        conn.close()


def test_backup_is_a_complete_sqlite_file_while_the_app_keeps_writing(store: LearnerStore, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    first = make_backup(store.db, folder, "daily", NOW)
    store.record_attempt(1, _draft(9))
    assert _count(first.path) == 3 and first.reason == "daily" and first.size == first.path.stat().st_size
    assert sqlite3.connect(first.path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [b.path for b in list_backups(folder)] == [first.path]
    assert not [p for p in folder.iterdir() if p.name.endswith(".partial")]


def test_daily_backup_only_once_a_day(store: LearnerStore, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    assert daily_backup(store.db, folder, NOW) is not None
    assert daily_backup(store.db, folder, NOW + timedelta(hours=5)) is None
    assert daily_backup(store.db, folder, NOW + timedelta(days=1)) is not None
    assert len(list_backups(folder)) == 2


def test_rotation_keeps_recent_daily_and_weekly() -> None:
    made = [NOW - timedelta(hours=6 * n) for n in range(4 * 60)]  # four a day for 60 days
    backups = [BackupInfo(Path(f"b{n}"), when, "close", 1) for n, when in enumerate(made)]
    kept = to_keep(backups, NOW)
    kept_times = sorted((b.made_at for b in backups if b.path in kept), reverse=True)
    assert kept_times[:5] == made[:5]  # the newest few, whatever their kind
    days = {t.date() for t in kept_times}
    assert {(NOW - timedelta(days=d)).date() for d in range(7)} <= days
    weeks = {t.isocalendar()[:2] for t in kept_times}
    assert len(weeks) == 4 and len(kept) <= 5 + 7 + 4
    assert made[-1] not in kept_times  # two months old: rotated out


def test_rotation_deletes_old_files_on_disk(store: LearnerStore, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    for day in range(40, 0, -1):
        make_backup(store.db, folder, "daily", NOW - timedelta(days=day))
    left = list_backups(folder)
    assert 7 <= len(left) <= 5 + 7 + 4
    assert left[0].made_at == NOW - timedelta(days=1)


def test_restore_replaces_data_in_place_and_backs_up_the_current_state_first(store: LearnerStore, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    old = make_backup(store.db, folder, "daily", NOW)
    store.record_attempt(1, _draft(10))
    store.create_profile("Ben")
    before = restore_backup(store.db, old.path, folder, NOW + timedelta(minutes=1))
    assert [p.name for p in store.profiles()] == ["Ana"]  # the same connection sees the restored data
    assert len(store.attempts(1)) == 3
    assert before.reason == "before-restore" and _count(before.path) == 4
    store.record_attempt(1, _draft(11))  # and keeps working
    restore_backup(store.db, before.path, folder, NOW + timedelta(minutes=2))
    assert [p.name for p in store.profiles()] == ["Ana", "Ben"]


def test_a_damaged_backup_is_refused_and_nothing_changes(store: LearnerStore, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    bad = make_backup(store.db, folder, "daily", NOW)
    data = bytearray(bad.path.read_bytes())
    data[4096 + 0:4096 + 8] = b"\xff" * 8  # page 2's header: not a b-tree page any more
    bad.path.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        restore_backup(store.db, bad.path, folder, NOW)
    assert len(store.attempts(1)) == 3
