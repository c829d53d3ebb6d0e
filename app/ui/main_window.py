"""The main window: navigation between the areas, menus, and the status line.

Passive like every view: menu actions become signals that the tutor controller handles.

Pages are built when first opened. The composition root adds a page as a title and a
function that builds it (`add_lazy_page`); the window shows an empty placeholder in its
place until the learner opens it (or code asks for it with `LazyPage.widget()`), so a page
the learner never opens costs neither its imports nor its construction at start.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from app.ui.appearance import DEFAULT_TEXT_SIZE, TEXT_SIZES

THEMES = (("system", "&System colours"), ("light", "&Light"), ("dark", "&Dark"))
HELP_TOPICS = (("shortcuts", "&Keyboard shortcuts", "F1"), ("data", "&Where your data is kept", ""),
               ("tour", "First-run &tour", ""), ("about", "&About MedCode Tutor", ""))


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


class PageStack(QStackedWidget):
    """The pages; its size hints are the current page's, so one wide page (a chart, a table)
    does not make every other page scroll sideways."""

    def __init__(self) -> None:
        super().__init__()
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        page = self.currentWidget()
        return page.minimumSizeHint().expandedTo(page.minimumSize()) if page is not None else super().minimumSizeHint()


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
    theme_chosen = Signal(str)  # "system", "light" or "dark"
    help_requested = Signal(str)  # a key of HELP_TOPICS

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("MedCode Tutor")
        self.resize(1100, 760)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages = PageStack()
        self.lazy_pages: dict[int, LazyPage] = {}  # navigation row -> page built on first open
        self.nav.currentRowChanged.connect(self._open_row)
        # A window smaller than a page's minimum scrolls; pages never resize the window.
        self.scroll = QScrollArea()
        self.scroll.setObjectName("pageScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.pages)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.scroll, 1)
        self.setCentralWidget(body)
        self.profile_label = QLabel()
        self.problems_label = QLabel()
        self.problems_label.setObjectName("problemsLabel")
        self.statusBar().addPermanentWidget(self.problems_label)
        self.statusBar().addPermanentWidget(self.profile_label)
        self.text_size = DEFAULT_TEXT_SIZE
        # Each guard may keep the window open (unsaved work: Save / Discard / Cancel).
        self.close_guards: list[Callable[[], bool]] = []
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
        view.addSeparator()
        themes = view.addMenu("&Colours")
        self.theme_actions = QActionGroup(self)
        for key, text in THEMES:
            action = QAction(text, self, checkable=True, checked=key == "system")
            action.setData(key)
            action.triggered.connect(lambda _checked=False, k=key: self.theme_chosen.emit(k))
            self.theme_actions.addAction(action)
            themes.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        for key, text, keys in HELP_TOPICS:
            action = QAction(text, self)
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _checked=False, k=key: self.help_requested.emit(k))
            help_menu.addAction(action)

    def show_theme(self, choice: str) -> None:
        """Tick the theme in the View menu (after a restart, the saved one)."""
        for action in self.theme_actions.actions():
            action.setChecked(action.data() == choice)

    def fit_navigation(self) -> None:
        """Make the sidebar as wide as its longest entry at the current text size."""
        self.nav.ensurePolished()
        metrics = self.nav.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.nav.item(r).text()) for r in range(self.nav.count())), default=80)
        self.nav.setFixedWidth(widest + 52)  # item and list padding (style.qss), plus the frame

    def current_page(self) -> QWidget | None:
        return self.pages.currentWidget()

    def add_page(self, title: str, widget: QWidget) -> None:
        """A page built already (the first page, which the learner sees at start)."""
        self.pages.addWidget(widget)
        QListWidgetItem(title, self.nav)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)
        self.fit_navigation()

    def add_lazy_page(self, title: str, build: Callable[[], QWidget]) -> LazyPage:
        """A page that `build()` makes the first time it is opened (see the module docstring)."""
        placeholder = QWidget()
        self.pages.addWidget(placeholder)
        page = LazyPage(self.pages, placeholder, build)
        self.lazy_pages[self.pages.indexOf(placeholder)] = page
        QListWidgetItem(title, self.nav)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)
        self.fit_navigation()
        return page

    def show_page(self, page: QWidget | LazyPage) -> None:
        widget = page.widget() if isinstance(page, LazyPage) else page
        self.nav.setCurrentRow(self.pages.indexOf(widget))

    def _open_row(self, row: int) -> None:
        """Show the page (built on first open) and put the keyboard in it, so its shortcuts
        work without a click."""
        lazy = self.lazy_pages.get(row)
        if lazy is not None:
            lazy.widget()
        self.pages.setCurrentIndex(row)
        page = self.pages.currentWidget()
        if page is None:
            return
        first = getattr(page, "focus_first", None)
        if callable(first):
            first()
        else:
            page.setFocus(Qt.FocusReason.OtherFocusReason)

    def current_page(self) -> QWidget | None:
        """The page on show (a code link remembers it so the browser's Back can return to it)."""
        return self.pages.currentWidget()

    def title_of(self, page: QWidget) -> str:
        """The navigation title of a page ("Practice")."""
        item = self.nav.item(self.pages.indexOf(page))
        return item.text() if item is not None else "the previous page"

    def set_navigation_locked(self, locked: bool) -> None:
        """During a mock exam the learner stays on the exam page (the code browser opens in its own window)."""
        self.nav.setEnabled(not locked)
        self.menuBar().setEnabled(not locked)

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
        """Remember the size; the appearance controller applies it through the stylesheet."""
        self.text_size = points
        if emit:
            self.text_size_changed.emit(points)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        if not all(guard() for guard in self.close_guards):
            event.ignore()
            return
        self.closing.emit(self.saveGeometry())
        super().closeEvent(event)


def restore_geometry(window: QMainWindow, saved: bytes | None) -> bool:
    return bool(saved) and window.restoreGeometry(QByteArray(saved))


