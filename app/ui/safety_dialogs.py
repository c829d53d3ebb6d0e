"""Dialogs for data safety: pick a backup to restore, decide what to do about damage.

Each exposes an `ask()` class method returning plain values (DESIGN.md convention 12), so the
controller (app/ui/data_safety.py) is tested by replacing `ask`, and the dialogs themselves are
tested as widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

REASONS = {
    "daily": "daily, at start", "close": "when the app closed", "before-migration": "before an upgrade",
    "before-restore": "before a restore", "before-delete": "before deleting a learner",
    "before-import": "before importing a profile", "before-recovery": "before using recovered data",
    "manual": "made by hand",
}


@dataclass(frozen=True)
class BackupRow:
    path: Path
    made_at: datetime
    size: int
    reason: str


def size_text(size: int) -> str:
    """Sizes as a learner reads them: 60 KB, 1.4 MB."""
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"


class RestoreDialog(QDialog):
    """The backups, newest first, with date, size and why each was made."""

    def __init__(self, backups: list[BackupRow], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Restore a backup")
        self.setMinimumSize(560, 360)
        self.backups = backups
        self.table = QTableWidget(len(backups), 3)
        self.table.setHorizontalHeaderLabels(["Made", "Size", "Why"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, backup in enumerate(backups):
            made = QTableWidgetItem(f"{backup.made_at.astimezone():%a %d %b %Y  %H:%M}")
            made.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            size = QTableWidgetItem(size_text(backup.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, made)
            self.table.setItem(row, 1, size)
            self.table.setItem(row, 2, QTableWidgetItem(REASONS.get(backup.reason, backup.reason)))
        self.table.resizeColumnsToContents()
        if backups:
            self.table.selectRow(0)
        self.table.itemDoubleClicked.connect(lambda _item: self.accept())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Restore…")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(backups))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = ("Restoring replaces all learners' data with the backup. The data as it is now is "
                 "backed up first, so a restore can be undone from this list." if backups else
                 "There are no backups yet. One is made at start once a day and each time the app closes.")
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def chosen(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()].path if rows else None

    @classmethod
    def ask(cls, backups: list[BackupRow], parent: QWidget | None = None) -> Path | None:
        dialog = cls(backups, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


class DamageDialog:
    """Damage was found: use the recovered rows, restore the newest backup, or leave it for now."""

    USE_RECOVERED, USE_BACKUP, KEEP = "recovered", "backup", "keep"

    @classmethod
    def ask(cls, parent: QWidget | None, report: str, newest_backup: str | None) -> str:
        box = QMessageBox(QMessageBox.Icon.Warning, "The learner data is damaged", report, parent=parent)
        box.setInformativeText("Every readable row was copied to a new file. Use it, or go back to the "
                               "newest backup. Either way the damaged data is kept as a backup first.")
        recovered = box.addButton("Use recovered data", QMessageBox.ButtonRole.AcceptRole)
        backup: QPushButton | None = None
        if newest_backup:
            backup = box.addButton(f"Restore backup of {newest_backup}", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(recovered)
        box.exec()
        clicked = box.clickedButton()
        if clicked is recovered:
            return cls.USE_RECOVERED
        return cls.USE_BACKUP if backup is not None and clicked is backup else cls.KEEP


class InfoDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)
