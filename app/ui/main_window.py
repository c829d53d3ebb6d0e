"""The main window: navigation between the areas, menus, and the status line.

Passive like every view: menu actions become signals that the tutor controller handles.

Pages are built when first opened. The composition root adds a page as a title and a
function that builds it (`add_lazy_page`); the window shows an empty placeholder in its
place until the learner opens it (or code asks for it with `LazyPage.widget()`), so a page
the learner never opens costs neither its imports nor its construction at start.
"""

from __future__ import annotations

from collections.abc import Callable

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


class LazyPage:
    """A page that is built the first time it is shown or asked for.

    `widget()` builds it (once) and returns it; `when_built(callback)` runs `callback(widget)`
    then, or at once if it is built already: the place to connect a page's signals.
    """

    def __init__(self, stack: QStackedWidget, placeholder: QWidget, build: Callable[[], QWidget]):
        self._stack, self._placeholder, self._build = stack, placeholder, build
        self._widget: QWidget | None = None
        self._callbacks: list[Callable[[QWidget], None]] = []

    @property
    def built(self) -> bool:
        return self._widget is not None

    def widget(self) -> QWidget:
        if self._widget is None:
            widget = self._build()
            index = self._stack.indexOf(self._placeholder)
            current = self._stack.currentIndex()
            self._stack.insertWidget(index, widget)
            self._stack.removeWidget(self._placeholder)
            self._placeholder.deleteLater()
            self._stack.setCurrentIndex(current)
            self._widget = widget
            for callback in self._callbacks:
                callback(widget)
            self._callbacks.clear()
        return self._widget

    def when_built(self, callback: Callable[[QWidget], None]) -> None:
        if self._widget is None:
            self._callbacks.append(callback)
        else:
            callback(self._widget)


class MainWindow(QMainWindow):
    profile_switch_requested = Signal()
    profile_create_requested = Signal()
    profile_rename_requested = Signal()
    profile_delete_requested = Signal()
    text_size_changed = Signal(int)
    closing = Signal(QByteArray)  # the geometry to remember
    problems_requested = Signal()
    restore_requested = Signal()
    export_profile_requested = Signal()
    import_profile_requested = Signal()
    check_database_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("MedCode Tutor")
        self.resize(1100, 760)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.pages = QStackedWidget()
        self.lazy_pages: dict[int, LazyPage] = {}  # navigation row -> page built on first open
        self.nav.currentRowChanged.connect(self._open_row)
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
            ("", None, ""),
            ("&Export profile…", self.export_profile_requested, ""),
            ("&Import profile…", self.import_profile_requested, ""),
            ("Res&tore…", self.restore_requested, ""),
        ):
            if signal is None:
                profile.addSeparator()
                continue
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
        tools = self.menuBar().addMenu("&Tools")
        check = QAction("&Check database", self)
        check.triggered.connect(self.check_database_requested.emit)
        tools.addAction(check)

    def add_page(self, title: str, widget: QWidget) -> None:
        """A page built already (the first page, which the learner sees at start)."""
        self.pages.addWidget(widget)
        QListWidgetItem(title, self.nav)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)

    def add_lazy_page(self, title: str, build: Callable[[], QWidget]) -> LazyPage:
        """A page that `build()` makes the first time it is opened (see the module docstring)."""
        placeholder = QWidget()
        self.pages.addWidget(placeholder)
        page = LazyPage(self.pages, placeholder, build)
        self.lazy_pages[self.pages.indexOf(placeholder)] = page
        QListWidgetItem(title, self.nav)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)
        return page

    def show_page(self, page: QWidget | LazyPage) -> None:
        widget = page.widget() if isinstance(page, LazyPage) else page
        self.nav.setCurrentRow(self.pages.indexOf(widget))

    def _open_row(self, row: int) -> None:
        lazy = self.lazy_pages.get(row)
        if lazy is not None:
            lazy.widget()
        self.pages.setCurrentIndex(row)

    def current_page(self) -> QWidget | None:
        """The page on show (a code link remembers it so the browser's Back can return to it)."""
        return self.pages.currentWidget()

    def title_of(self, page: QWidget) -> str:
        """The navigation title of a page ("Practice")."""
        item = self.nav.item(self.pages.indexOf(page))
        return item.text() if item is not None else "the previous page"

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


