"""The data-safety controller: backups at start and close, restore, check, profile export/import.

Built and wired by the composition root (app/main.py). It holds no view of its own: menu
actions arrive as signals from the main window, questions go through dialogs' `ask()`, and
every write runs through DataOps so failures are reported in one place and views refresh.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.paths import AppPaths
from app.store import backups as backup_store
from app.store.integrity import full_check, quick_check, recover
from app.store.learners import LearnerStore
from app.store.transfer import TransferReport, export_profile, import_profile
from app.ui.dialogs import ConfirmDialog, OpenFileDialog, SaveFileDialog
from app.ui.operations import DataOps
from app.ui.safety_dialogs import BackupRow, DamageDialog, InfoDialog, RestoreDialog

log = logging.getLogger(__name__)
PROFILE_FILTER = "MedCode Tutor profiles (*.medcode-profile)"


class DataSafety:
    """Keeps the learner's data recoverable; talks to the tutor only through `profile_changed`."""

    def __init__(self, paths: AppPaths, store: LearnerStore, ops: DataOps, window,  # type: ignore[no-untyped-def]
                 now: Callable[[], datetime], current_profile: Callable[[], int | None],
                 profile_changed: Callable[[], None]):
        self.paths, self.store, self.ops, self.window, self.now = paths, store, ops, window, now
        self.current_profile, self.profile_changed = current_profile, profile_changed
        self.damage: list[str] = []

    # -- start and close ----------------------------------------------------------------
    def at_start(self) -> None:
        """Quick check, then the day's backup (never a backup of a file known to be damaged)."""
        self.damage = quick_check(self.store.db)
        if self.damage:
            log.warning("learner data damaged: %s", "; ".join(self.damage[:5]))
            self.window.statusBar().showMessage(
                "⚠ The learner data has damage: use Tools ▸ Check database to repair it.", 0)
            return
        self.ops.run("make the daily backup",
                     lambda: backup_store.daily_backup(self.store.db, self.paths.backups_dir, self.now()))

    def at_close(self) -> None:
        if not self.damage:
            self.ops.run("make a backup at close",
                         lambda: backup_store.make_backup(self.store.db, self.paths.backups_dir, "close", self.now()))

    def backup_now(self, reason: str) -> backup_store.BackupInfo | None:
        """A backup before something that cannot be undone; None (and a message) when it failed."""
        return self.ops.run("make a backup first",
                            lambda: backup_store.make_backup(self.store.db, self.paths.backups_dir, reason, self.now()))

    # -- restore ------------------------------------------------------------------------
    def rows(self) -> list[BackupRow]:
        return [BackupRow(b.path, b.made_at, b.size, b.reason) for b in backup_store.list_backups(self.paths.backups_dir)]

    def restore(self) -> bool:
        chosen = RestoreDialog.ask(self.rows(), self.window)
        if chosen is None:
            return False
        when = next(r.made_at for r in self.rows() if r.path == chosen)
        text = (f"Replace all learners' data with the backup of {when.astimezone():%d %b %Y %H:%M}? "
                "The data as it is now is backed up first.")
        if not ConfirmDialog.ask(self.window, "Restore a backup", text, "Restore"):
            return False
        return self._replace_with(chosen)

    def _replace_with(self, source: Path) -> bool:
        before = self.ops.run("restore the backup", lambda: backup_store.restore_backup(
            self.store.db, source, self.paths.backups_dir, self.now()), "profiles")
        if before is None:
            return False
        self.damage = quick_check(self.store.db)
        self.profile_changed()
        self.window.statusBar().showMessage(f"Restored. The data from before is kept as {before.path.name}.", 10000)
        return True

    # -- check database -------------------------------------------------------------------
    def check_database(self) -> str:
        """Full integrity check; on damage, recover into a new file and offer it or the newest backup."""
        problems = full_check(self.store.db)
        if not problems:
            self.damage = []
            InfoDialog.ask(self.window, "Check database", "No damage found: all learner data is sound.")
            return "sound"
        target = self.paths.data_dir / f"learner-recovered-{self.now():%Y%m%d-%H%M%S}.sqlite3"
        report = self.ops.run("save the readable data", lambda: recover(self.paths.learner_db, target))
        if report is None:
            return "failed"
        sound = [b for b in backup_store.list_backups(self.paths.backups_dir) if b.reason != "before-recovery"]
        newest = f"{sound[0].made_at.astimezone():%d %b %Y %H:%M}" if sound else None
        text = f"{len(problems)} problem(s) found. {report.summary()}"
        choice = DamageDialog.ask(self.window, text, newest)
        if choice == DamageDialog.KEEP:
            return "kept"
        self._keep_damaged_copy()
        source = report.path if choice == DamageDialog.USE_RECOVERED else sound[0].path
        return choice if self._replace_with(source) else "failed"

    def _keep_damaged_copy(self) -> None:
        """The damaged file itself, copied byte for byte: the backup API may stop at a bad page."""
        import shutil

        target = self.paths.backups_dir / backup_store.backup_name(self.now(), "damaged")

        def copy() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.paths.learner_db, target)

        self.ops.run("keep a copy of the damaged data", copy)

    # -- moving a learner -------------------------------------------------------------------
    def export_profile(self) -> Path | None:
        pid = self.current_profile()
        profile = self.store.profile(pid) if pid is not None else None
        if profile is None:
            return None
        suggested = f"{profile.name.replace(' ', '-').lower()}.medcode-profile"
        path = SaveFileDialog.ask(self.window, "Export profile", suggested, PROFILE_FILTER)
        if path is None:
            return None
        report = self.ops.run("export the profile", lambda: export_profile(self.store.db, profile.id, path, self.now()))
        if report is None:
            return None
        InfoDialog.ask(self.window, "Export profile", f"“{profile.name}” was saved to {path}.\n\n"
                       "Open it on the other computer with Profile ▸ Import profile….")
        return path

    def import_profile(self) -> TransferReport | None:
        path = OpenFileDialog.ask(self.window, "Import profile", PROFILE_FILTER)
        if path is None or self.backup_now("before-import") is None:
            return None

        def merge() -> TransferReport:
            with tempfile.TemporaryDirectory() as work:
                return import_profile(self.store.db, path, Path(work))

        report = self.ops.run("import the profile", merge, "profiles")
        if report is not None:
            InfoDialog.ask(self.window, "Import profile", report.summary())
            self.profile_changed()
        return report
