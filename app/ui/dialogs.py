"""Small dialogs with an `ask()` class method that returns plain values (convention 12)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
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
        self.create = QPushButton("Create and start")
        self.create.clicked.connect(self._create)
        self.new_name.returnPressed.connect(self._create)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.start = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start.setText("Start studying")
        buttons.accepted.connect(self._start)
        buttons.rejected.connect(self.reject)
        self.message = QLabel()
        self.message.setObjectName("dialogMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.hide()
        row = QHBoxLayout()
        row.addWidget(self.new_name, 1)
        row.addWidget(self.create)
        layout = QVBoxLayout(self)
        first_run = not profiles
        layout.addWidget(QLabel("Welcome! Type your name to create your profile, then start studying."
                                if first_run else "Choose your profile, or create a new one."))
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._creating = False
        if first_run:  # nothing to choose: the name field is the whole dialog
            self.list.hide()
            self.create.hide()
            self.new_name.setText(_login_name())
            self.new_name.selectAll()
            self.new_name.setFocus()

    def _create(self) -> None:
        if self.new_name.text().strip():
            self._creating = True
            self.accept()
        else:
            self._say("Type a name for the new learner first.")

    def _start(self) -> None:
        """Start with the chosen profile; with none to choose, create the one named."""
        if self.list.count() and self.list.currentItem() is not None and not self.list.isHidden():
            self.accept()
        elif self.new_name.text().strip():
            self._create()
        else:
            self._say("Type your name to create your profile (it can be changed later).")
            self.new_name.setFocus()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def choice(self) -> ProfileChoice | None:
        if self._creating:
            return ProfileChoice(new_name=self.new_name.text().strip())
        entry = self.list.currentItem()
        return ProfileChoice(profile_id=int(entry.data(256))) if entry else None

    @classmethod
    def ask(cls, profiles: list[Profile], current: int | None, parent: QWidget | None = None) -> ProfileChoice | None:
        dialog = cls(profiles, current, parent)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _login_name() -> str:
    """A starting suggestion for the first profile: the computer's user name, capitalised."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        return "Student"
    return name.replace(".", " ").replace("_", " ").title() if name and name != "root" else "Student"


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


class Folders:
    """Where file dialogs start: the last folder used, else the user's documents folder
    (never the program's folder). The composition root restores and saves `last`."""

    last: Path | None = None
    on_change: Callable[[Path], None] | None = None

    @classmethod
    def start(cls) -> Path:
        if cls.last is not None and cls.last.is_dir():
            return cls.last
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    @classmethod
    def used(cls, path: Path) -> Path:
        cls.last = path.parent
        if cls.on_change is not None:
            cls.on_change(path.parent)
        return path


class SaveFileDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, suggested: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, str(Folders.start() / suggested), filters)
        return Folders.used(Path(path)) if path else None


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
        # Wide enough for whole bank titles (it opened 278 px wide), within a small screen.
        self.resize(min(900, max(480, self.list.sizeHintForColumn(0) + 80)), 320)

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
        path, _ = QFileDialog.getOpenFileName(parent, title, str(Folders.start()), filters)
        return Folders.used(Path(path)) if path else None


class UnsavedDialog:
    """Save / Discard / Cancel for edits that are not saved yet; returns "save", "discard" or "cancel"."""

    @classmethod
    def ask(cls, parent: QWidget | None, name: str) -> str:
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                          f"The bank “{name}” has changes that are not saved.", parent=parent)
        box.setInformativeText("Save them before going on?")
        save = box.addButton(QMessageBox.StandardButton.Save)
        discard = box.addButton(QMessageBox.StandardButton.Discard)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"
