"""Small dialogs with an `ask()` class method that returns plain values (convention 12)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.learner import Profile


@dataclass(frozen=True)
class ProfileChoice:
    """Either an existing profile id or the name of a profile to create."""

    profile_id: int | None = None
    new_name: str = ""


class ProfileDialog(QDialog):
    """Pick who is studying; several students can share one lab computer."""

    def __init__(self, profiles: list[Profile], current: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Who is studying?")
        self.setMinimumWidth(360)
        self.list = QListWidget()
        for profile in profiles:
            entry = QListWidgetItem(profile.name)
            entry.setData(256, profile.id)
            self.list.addItem(entry)
            if profile.id == current:
                self.list.setCurrentItem(entry)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("New learner's name")
        create = QPushButton("Create and start")
        create.clicked.connect(self._create)
        self.new_name.returnPressed.connect(self._create)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start studying")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.new_name, 1)
        row.addWidget(create)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Choose your profile, or create a new one."))
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self._creating = False

    def _create(self) -> None:
        if self.new_name.text().strip():
            self._creating = True
            self.accept()

    def choice(self) -> ProfileChoice | None:
        if self._creating:
            return ProfileChoice(new_name=self.new_name.text().strip())
        entry = self.list.currentItem()
        return ProfileChoice(profile_id=int(entry.data(256))) if entry else None

    @classmethod
    def ask(cls, profiles: list[Profile], current: int | None, parent: QWidget | None = None) -> ProfileChoice | None:
        dialog = cls(profiles, current, parent)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


class NameDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value.strip() if ok and value.strip() else None


class ConfirmDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str, action: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
        confirm = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is confirm


class SaveFileDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, suggested: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return Path(path) if path else None


@dataclass(frozen=True)
class BankChoice:
    bank_id: str
    title: str
    items: int
    enabled: bool


class BanksDialog(QDialog):
    """Tick the banks to practise from; returns the ids that are switched on."""

    def __init__(self, banks: list[BankChoice], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Question banks")
        self.list = QListWidget()
        for bank in banks:
            entry = QListWidgetItem(f"{bank.title}  ({bank.items} items)")
            entry.setData(Qt.ItemDataRole.UserRole, bank.bank_id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if bank.enabled else Qt.CheckState.Unchecked)
            self.list.addItem(entry)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Practise from these banks:"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def enabled_ids(self) -> set[str]:
        return {
            self.list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        }

    @classmethod
    def ask(cls, banks: list[BankChoice], parent: QWidget | None = None) -> set[str] | None:
        dialog = cls(banks, parent)
        return dialog.enabled_ids() if dialog.exec() == QDialog.DialogCode.Accepted else None


class OpenFileDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
        return Path(path) if path else None
