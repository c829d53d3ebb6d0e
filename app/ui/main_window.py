"""The main window: navigation between the areas, menus, and the status line.

Passive like every view: menu actions become signals that the tutor controller handles.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

TEXT_SIZES = (10, 11, 12, 13, 14, 16, 18, 20, 24)
DEFAULT_TEXT_SIZE = 12


class MainWindow(QMainWindow):
    profile_switch_requested = Signal()
    profile_create_requested = Signal()
    profile_rename_requested = Signal()
    profile_delete_requested = Signal()
    text_size_changed = Signal(int)
    closing = Signal(QByteArray)  # the geometry to remember
    problems_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("MedCode Tutor")
        self.resize(1100, 760)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.pages = QStackedWidget()
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(body)
        self.profile_label = QLabel()
        self.problems_label = QLabel()
        self.problems_label.setObjectName("problemsLabel")
        self.statusBar().addPermanentWidget(self.problems_label)
        self.statusBar().addPermanentWidget(self.profile_label)
        self.text_size = DEFAULT_TEXT_SIZE
        self._menus()

    def _menus(self) -> None:
        profile = self.menuBar().addMenu("&Profile")
        for text, signal, keys in (
            ("&Switch learner…", self.profile_switch_requested, "Ctrl+Shift+S"),
            ("&New learner…", self.profile_create_requested, ""),
            ("&Rename learner…", self.profile_rename_requested, ""),
            ("&Delete learner…", self.profile_delete_requested, ""),
        ):
            action = QAction(text, self)
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(signal.emit)
            profile.addAction(action)
        profile.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        profile.addAction(quit_action)
        view = self.menuBar().addMenu("&View")
        for text, step, keys in (("&Larger text", 1, "Ctrl++"), ("&Smaller text", -1, "Ctrl+-")):
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(keys)] + ([QKeySequence("Ctrl+=")] if step > 0 else []))
            action.triggered.connect(lambda _checked=False, s=step: self.step_text_size(s))
            view.addAction(action)
        reset = QAction("&Normal text size", self)
        reset.setShortcut(QKeySequence("Ctrl+0"))
        reset.triggered.connect(lambda: self.set_text_size(DEFAULT_TEXT_SIZE, emit=True))
        view.addAction(reset)
        view.addSeparator()
        problems = QAction("Content &problems…", self)
        problems.triggered.connect(self.problems_requested.emit)
        view.addAction(problems)

    def add_page(self, title: str, widget: QWidget) -> None:
        self.pages.addWidget(widget)
        QListWidgetItem(title, self.nav)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)

    def show_page(self, widget: QWidget) -> None:
        self.nav.setCurrentRow(self.pages.indexOf(widget))

    def show_profile(self, name: str) -> None:
        self.profile_label.setText(f"Learner: {name}")
        self.setWindowTitle(f"MedCode Tutor — {name}")

    def show_problem_count(self, count: int) -> None:
        self.problems_label.setText(f"⚠ {count} content problem(s): View ▸ Content problems" if count else "")

    def step_text_size(self, step: int) -> None:
        sizes = list(TEXT_SIZES)
        nearest = min(range(len(sizes)), key=lambda i: abs(sizes[i] - self.text_size))
        self.set_text_size(sizes[max(0, min(len(sizes) - 1, nearest + step))], emit=True)

    def set_text_size(self, points: int, emit: bool = False) -> None:
        self.text_size = points
        font = self.font()
        font.setPointSize(points)
        self.setFont(font)
        if emit:
            self.text_size_changed.emit(points)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        self.closing.emit(self.saveGeometry())
        super().closeEvent(event)


def restore_geometry(window: QMainWindow, saved: bytes | None) -> bool:
    return bool(saved) and window.restoreGeometry(QByteArray(saved))


