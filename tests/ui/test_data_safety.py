"""Data safety through the real window: restore, delete with backup, damage, check, export/import."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.learner import AttemptDraft
from app.main import build_tutor
from app.paths import resolve_paths
from app.store.backups import list_backups
from app.ui.dialogs import ConfirmDialog, OpenFileDialog, ProfileChoice, ProfileDialog, SaveFileDialog
from app.ui.safety_dialogs import BackupRow, DamageDialog, InfoDialog, RestoreDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from db_damage import pages_holding, smash_page  # noqa: E402

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def _draft(n: int, text: str = "") -> AttemptDraft:
    """An answer to a real item of the shipped bank (cm-conv-001 ... cm-conv-005)."""
    return AttemptDraft(item_id=f"cm-conv-{n % 5 + 1:03d}", bank_id="icd10cm-conventions", item_type="short_answer", topic="icd10cm",
                        response=text or str(n), score=1.0, max_score=1.0, correct=True, seconds=3.0,
                        answered_at=NOW, findings=())


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Confirmations answer yes; information boxes are recorded instead of shown."""
    told: list[str] = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, parent, title, text, action: told.append(text) or True))
    monkeypatch.setattr(InfoDialog, "ask", classmethod(lambda cls, parent, title, text: told.append(text)))
    return told


def ticking(start: datetime = NOW):  # type: ignore[no-untyped-def]
    """A clock that moves a second on each reading, as time does between two clicks."""
    ticks = iter(range(10**6))
    return lambda: start + timedelta(seconds=next(ticks))


def _tutor(qtbot, folder: Path, clock=None):  # type: ignore[no-untyped-def]
    tutor = build_tutor(resolve_paths(str(folder)), now=clock or ticking(), quiet=True)
    qtbot.addWidget(tutor.window)
    return tutor


def test_daily_backup_at_start_and_restore_from_the_menu(qtbot, data_dir: Path, said, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tutor = _tutor(qtbot, data_dir)
    ana = tutor.store.create_profile("Ana")
    tutor.set_profile(ana)
    assert [b.reason for b in list_backups(data_dir / "backups")] == ["daily"]
    for n in range(3):
        tutor.store.record_attempt(ana.id, _draft(n))
    kept = tutor.safety.backup_now("manual")
    tutor.store.record_attempt(ana.id, _draft(9))
    tutor.store.create_profile("Ben")
    offered: list[list[BackupRow]] = []
    monkeypatch.setattr(RestoreDialog, "ask", classmethod(lambda cls, rows, parent=None: offered.append(rows) or kept.path))
    with qtbot.waitSignal(tutor.ops.changed):
        tutor.window.restore_requested.emit()
    assert offered[0][0].path == kept.path and offered[0][0].size > 0  # newest first, with its size
    assert len(tutor.store.attempts(ana.id)) == 3 and [p.name for p in tutor.store.profiles()] == ["Ana"]
    assert "backed up first" in said[0]
    assert tutor.pages.progress.isEnabled() and tutor.profile.name == "Ana"
    assert list_backups(data_dir / "backups")[0].reason == "before-restore"
    tutor.window.close()
    assert list_backups(data_dir / "backups")[0].reason == "close"


def test_deleting_a_learner_makes_a_backup_first_and_says_so(qtbot, data_dir: Path, said) -> None:  # type: ignore[no-untyped-def]
    tutor = _tutor(qtbot, data_dir)
    tutor.store.create_profile("Ben")
    ana = tutor.store.create_profile("Ana")
    tutor.set_profile(ana)
    tutor.store.record_attempt(ana.id, _draft(1))
    tutor.window.profile_delete_requested.emit()
    assert "A backup of all learners' data is made first" in said[0]
    backup = list_backups(data_dir / "backups")[0]
    assert backup.reason == "before-delete"
    import sqlite3

    assert sqlite3.connect(backup.path).execute("SELECT count(*) FROM attempts").fetchone()[0] == 1
    assert tutor.profile.name == "Ben" and "backup from just before" in tutor.window.statusBar().currentMessage()


def _damaged_folder(folder: Path) -> tuple[int, int]:
    """Ana and Ben, with one of Ben's pages smashed on disk."""
    from app.store.database import open_learner_db
    from app.store.learners import LearnerStore

    store = LearnerStore(open_learner_db(folder / "learner.sqlite3"))
    ana, ben = store.create_profile("Ana"), store.create_profile("Ben")
    for n in range(5):
        store.record_attempt(ana.id, _draft(n))
    for n in range(200):
        store.record_attempt(ben.id, _draft(n, f"BEN-MARKER {n} " + "x" * 300))
    store.set_settings({"last_profile": str(ana.id)})
    store.db.close()
    path = folder / "learner.sqlite3"
    pages = pages_holding(path, b"BEN-MARKER")
    smash_page(path, pages[len(pages) // 2])
    return ana.id, ben.id


def test_damage_in_one_learner_never_locks_out_the_others_and_check_repairs_it(qtbot, data_dir: Path, said, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ana, ben = _damaged_folder(data_dir)
    tutor = _tutor(qtbot, data_dir)  # starts: the quick check reports, it does not refuse
    assert tutor.safety.damage and "Check database" in tutor.window.statusBar().currentMessage()
    assert tutor.profile.name == "Ana" and not list_backups(data_dir / "backups")  # no backup of damage
    failures: list[str] = []
    tutor.ops.failed.connect(failures.append)
    tutor.set_profile(tutor.store.profile(ben))  # the damaged learner: a message, no exception
    # Progress now comes from aggregates, so the damaged page may not even be read; when a read
    # does hit it, the learner is told where the repair is, and nothing is raised.
    assert all("Check database" in failure for failure in failures)
    tutor.set_profile(tutor.store.profile(ana))
    assert tutor.pages.progress.isEnabled() and len(tutor.store.attempts(ana)) == 5

    asked: list[str] = []
    monkeypatch.setattr(DamageDialog, "ask", classmethod(
        lambda cls, parent, text, newest: asked.append(text) or DamageDialog.USE_RECOVERED))
    tutor.window.check_database_requested.emit()
    assert "problem(s) found. Recovered" in asked[0]
    assert tutor.safety.damage == []
    from app.store.integrity import full_check

    assert full_check(tutor.store.db) == []
    assert 150 < len(tutor.store.attempts(ben)) < 200 and len(tutor.store.attempts(ana)) == 5
    assert {b.reason for b in list_backups(data_dir / "backups")} >= {"damaged", "before-restore"}
    tutor.window.check_database_requested.emit()
    assert said[-1].startswith("No damage found")


def test_export_on_one_computer_import_on_another(qtbot, tmp_path: Path, data_dir: Path, said, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lab = _tutor(qtbot, data_dir)
    ana = lab.store.create_profile("Ana")
    lab.set_profile(ana)
    for n in range(4):
        lab.store.record_attempt(ana.id, _draft(n))
    lab.store.mark_lesson_read(ana.id, "cpt/01-sections", NOW)
    target = tmp_path / "ana.medcode-profile"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, parent, title, suggested, filters: target))
    lab.window.export_profile_requested.emit()
    assert target.is_file() and "Import profile" in said[-1]

    laptop_dir = tmp_path / "laptop"
    laptop = _tutor(qtbot, laptop_dir, clock=ticking(NOW + timedelta(days=1)))
    zed = laptop.store.create_profile("Zed")
    laptop.set_profile(zed)
    monkeypatch.setattr(OpenFileDialog, "ask", classmethod(lambda cls, parent, title, filters: target))
    for _ in range(2):  # twice: the second time adds nothing
        with qtbot.waitSignal(laptop.ops.changed):
            laptop.window.import_profile_requested.emit()
    assert said[-2].startswith("Imported into new learner “Ana”: added 4 answers")
    assert re.match(r"Imported into “Ana”: added nothing new; \d+ row\(s\) were already here", said[-1])
    moved = next(p for p in laptop.store.profiles() if p.name == "Ana")
    assert len(laptop.store.attempts(moved.id)) == 4 and laptop.store.lesson_reads(moved.id)
    assert list_backups(laptop_dir / "backups")[0].reason == "before-import"


def test_restore_dialog_lists_date_size_and_reason(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [BackupRow(tmp_path / f"b{n}", NOW - timedelta(days=n), 61_440 * (n + 1), reason)
            for n, reason in enumerate(["close", "daily", "before-delete", "before-migration"])]
    dialog = RestoreDialog(rows)
    qtbot.addWidget(dialog)
    dialog.resize(640, 360)
    assert dialog.table.rowCount() == 4 and dialog.chosen() == rows[0].path
    assert dialog.table.item(1, 1).text() == "120 KB" and dialog.table.item(2, 2).text() == "before deleting a learner"
    dialog.table.selectRow(3)
    assert dialog.chosen() == rows[3].path
    empty = RestoreDialog([])
    qtbot.addWidget(empty)
    assert not empty.buttons.buttons()[0].isEnabled() or empty.chosen() is None


def test_menus_offer_restore_export_import_and_check(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    titles = {menu.title().replace("&", ""): [a.text().replace("&", "") for a in menu.actions()]
              for menu in (action.menu() for action in window.menuBar().actions())}
    assert {"Export profile…", "Import profile…", "Restore…"} <= set(titles["Profile"])
    assert "Check database" in titles["Tools"]
