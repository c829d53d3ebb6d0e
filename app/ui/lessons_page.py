"""Lessons: a module/lesson tree and a reading pane. Passive: it shows and it signals.

A lesson counts as read when the learner has scrolled to its end or kept it open for a
minute (`lesson_read`), not when it is merely clicked.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.content.render import LESSON_CSS, highlight_terms, link_codes, markdown_to_html
from app.core.lesson_search import LessonHit
from app.core.models import Lesson, Module

LESSON_ROLE = Qt.ItemDataRole.UserRole
READ_AFTER_MS = 60_000  # open this long, a lesson counts as read even if it was not scrolled


def lesson_html(lesson: Lesson) -> str:
    objectives = "".join(f"<li>{escape(text)}</li>" for text in lesson.objectives)
    return (
        f"<h1>{escape(lesson.title)}</h1>"
        f"<p class='meta'>{escape(lesson.module_title)} · about {lesson.minutes} minutes</p>"
        f"<div class='objectives'><b>You will be able to:</b><ul>{objectives}</ul></div>"
        f"{link_codes(markdown_to_html(_without_title(lesson)))}"
    )


def _without_title(lesson: Lesson) -> str:
    """The body without a leading `# Title` line: the page already shows the title."""
    lines = lesson.body.lstrip().splitlines()
    if lines and lines[0].startswith("# ") and lines[0][2:].strip() == lesson.title.strip():
        return "\n".join(lines[1:])
    return lesson.body


class LessonsPage(QWidget):
    lesson_selected = Signal(str)  # lesson id
    practise_requested = Signal(str)  # lesson id
    code_requested = Signal(str)  # a `code:` link in the lesson was followed
    search_requested = Signal(str)  # the text of the lesson search box
    lesson_read = Signal(str)  # lesson id: scrolled to the end, or open for a minute

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Modules and lessons"])
        self.tree.setMinimumWidth(220)  # the splitter starts wider (whole lesson titles); 800 px windows fit
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the lessons")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.search_requested)
        self.results = QListWidget()  # shown instead of the tree while a search is active
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)  # one hit from the next, at a glance
        self.results.hide()
        self.results.itemActivated.connect(self._result_chosen)
        self.results.itemClicked.connect(self._result_chosen)
        self._terms: tuple[str, ...] = ()
        self.reader = QTextBrowser()
        self.reader.setOpenLinks(False)  # nothing is ever fetched; internal links are signals
        self.reader.setOpenExternalLinks(False)
        self.reader.anchorClicked.connect(self._link_clicked)
        self.reader.document().setDefaultStyleSheet(LESSON_CSS)
        self.title = QLabel("Choose a lesson on the left.")
        self.title.setObjectName("pageHint")
        self.title.setWordWrap(True)  # a long module title wraps instead of widening the page
        self.practise = QPushButton("Practise this lesson")
        self.practise.setEnabled(False)
        self.practise.clicked.connect(lambda: self.practise_requested.emit(self._current or ""))
        self.next_lesson = QPushButton("Next lesson ▸")
        self.next_lesson.setEnabled(False)
        self.next_lesson.clicked.connect(self.go_next)
        self._read_timer = QTimer(self, singleShot=True, interval=READ_AFTER_MS)
        self._read_timer.timeout.connect(self._mark_read)
        self.reader.verticalScrollBar().valueChanged.connect(self._scrolled)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.practise)
        header.addWidget(self.next_lesson)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(header)
        right_layout.addWidget(self.reader, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.results, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([360, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._current: str | None = None
        self._items: dict[str, QTreeWidgetItem] = {}
        self._order: list[str] = []
        self._read: set[str] = set()

    def show_modules(self, modules: list[Module], read: set[str], practice: set[str],
                     scores: dict[str, tuple[int, int]] | None = None) -> None:
        """Fill the tree; lessons already read get a tick, lessons with items can be practised.

        `scores` maps a lesson id to (items whose last answer was right, items answered).
        """
        scores = scores or {}
        self.tree.clear()
        self._items.clear()
        self._practice = practice
        self._read = set(read)
        self._order = [lesson.id for module in modules for lesson in module.lessons]
        for module in modules:
            done = sum(1 for lesson in module.lessons if lesson.id in read)
            parent = QTreeWidgetItem([f"{module.title}  ({done}/{len(module.lessons)})"])
            parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(parent)
            for lesson in module.lessons:
                mark = "✓ " if lesson.id in read else ""
                right, answered = scores.get(lesson.id, (0, 0))
                score = f"  · {right}/{answered} right" if answered else ""
                child = QTreeWidgetItem([f"{mark}{lesson.title}{score}"])
                child.setData(0, LESSON_ROLE, lesson.id)
                status = "read" if lesson.id in read else "not read yet"
                done = f"; your last answers: {right} of {answered} items right" if answered else ""
                child.setToolTip(0, f"{lesson.minutes} minutes; {status}{done}")
                parent.addChild(child)
                self._items[lesson.id] = child
            parent.setExpanded(True)
        if self._current in self._items:
            self._items[self._current].setSelected(True)

    def select_lesson(self, lesson_id: str) -> None:
        item = self._items.get(lesson_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def show_lesson(self, lesson: Lesson) -> None:
        self._current = lesson.id
        self.title.setText(lesson.module_title)
        self.reader.setHtml(highlight_terms(lesson_html(lesson), self._terms))
        self.reader.verticalScrollBar().setValue(0)
        self.practise.setEnabled(lesson.id in getattr(self, "_practice", set()))
        self.next_lesson.setEnabled(self._next_id() is not None)
        self._read_timer.start()

    def _next_id(self) -> str | None:
        if self._current not in self._order:
            return None
        index = self._order.index(self._current) + 1
        return self._order[index] if index < len(self._order) else None

    def go_next(self) -> None:
        following = self._next_id()
        if following is not None:
            self.select_lesson(following)

    def _scrolled(self, value: int) -> None:
        bar = self.reader.verticalScrollBar()
        if self._current and bar.maximum() > 0 and value >= bar.maximum():
            self._mark_read()

    def _mark_read(self) -> None:
        self._read_timer.stop()
        if self._current and self._current not in self._read:
            self._read.add(self._current)
            self.lesson_read.emit(self._current)

    def current_lesson(self) -> str | None:
        return self._current

    def show_search_results(self, hits: list[LessonHit], terms: tuple[str, ...]) -> None:
        """List the lessons that match; an empty search brings the module tree back."""
        self._terms = terms
        self.results.clear()
        searching = bool(terms)
        self.tree.setVisible(not searching)
        self.results.setVisible(searching)
        if not searching:
            return
        if not hits:
            empty = QListWidgetItem("No lesson contains all of these words.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(empty)
        for hit in hits:
            item = QListWidgetItem(f"{hit.title}  ({hit.count} found)\n{hit.snippet}")
            item.setData(LESSON_ROLE, hit.lesson_id)
            item.setToolTip(hit.module_title)
            self.results.addItem(item)

    def _result_chosen(self, item: QListWidgetItem) -> None:
        lesson_id = item.data(LESSON_ROLE)
        if lesson_id:
            self._current = None  # show it again with the search words marked
            self.lesson_selected.emit(lesson_id)

    def _link_clicked(self, url: QUrl) -> None:
        """`code:E11.22` opens the code browser; `lesson:ID` opens another lesson."""
        scheme, target = url.scheme(), url.path() or url.toString().partition(":")[2]
        if scheme == "code" and target:
            self.code_requested.emit(target)
        elif scheme == "lesson" and target:
            self.lesson_selected.emit(target)

    def _selection_changed(self) -> None:
        selected = self.tree.selectedItems()
        lesson_id = selected[0].data(0, LESSON_ROLE) if selected else None
        if lesson_id and lesson_id != self._current:
            self.lesson_selected.emit(lesson_id)
