"""The mock-exam page: choose a form, sit it, see the results. A passive view.

Three screens in a stack: the start screen (forms, whether the banks can fill them, resume,
history and trend), the exam screen (countdown, question grid, item, buttons) and the results
(app/ui/exam_results.py). Every click and key becomes a signal that the exam controller
(app/ui/exam_controller.py) handles; the page never grades and never shows right or wrong
before the results. Keys: 1-9 choose, Ctrl+1-9 strike out, PgUp/PgDn previous/next,
Ctrl+F flag, Ctrl+B code browser, Ctrl+Return submit (docs/exams.md).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.content.render import LESSON_CSS, markdown_to_html
from app.core.models import CodingCase, Item, MultipleResponse, SingleChoice
from app.ui.answers import AnswerWidget, answer_widget_for
from app.ui.exam_results import ResultsView, clock_text
from app.ui.exam_widgets import ExamChoice, QuestionGrid, TrendChart, restore_response

CaseFactory = Callable[[CodingCase], AnswerWidget]


def _browser(minimum: int = 60) -> QTextBrowser:
    browser = QTextBrowser()
    browser.setOpenLinks(False)
    browser.document().setDefaultStyleSheet(LESSON_CSS)
    browser.setMinimumHeight(minimum)
    return browser


def _numbers(positions: list[int]) -> str:
    return ", ".join(str(n + 1) for n in positions) if positions else "none"


class SubmitDialog:
    """Confirm the end of a part or of the exam, listing blank and flagged items."""

    @classmethod
    def ask(cls, parent: QWidget | None, blank: list[int], flagged: list[int], final: bool) -> bool:
        what = "Submit the exam" if final else "Finish this part"
        after = ("You will see your score and the review of every item." if final
                 else "You cannot come back to this part.")
        text = (f"<p><b>Blank ({len(blank)}):</b> {_numbers(blank)}</p>"
                f"<p><b>Flagged for review ({len(flagged)}):</b> {_numbers(flagged)}</p><p>{after}</p>")
        box = QMessageBox(QMessageBox.Icon.Question, what, f"{what}?", parent=parent)
        box.setInformativeText(text)
        ok = box.addButton(what, QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Keep working", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is ok


class ExamPage(QWidget):
    form_selected = Signal(str)
    start_requested = Signal(str)  # form id
    resume_requested = Signal()
    abandon_requested = Signal()
    history_opened = Signal(int)  # exam id
    answer_changed = Signal(object)  # the response of the item shown (None: cleared)
    jump_requested = Signal(int)
    step_requested = Signal(int)  # -1 previous, +1 next
    flag_requested = Signal()
    strike_requested = Signal(int)  # option index
    finish_part_requested = Signal()
    submit_requested = Signal()
    open_book_requested = Signal()

    def __init__(self, case_factory: CaseFactory, parent: QWidget | None = None):
        super().__init__(parent)
        self._case_factory = case_factory
        self.answer: AnswerWidget | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_start())
        self.stack.addWidget(self._build_exam())
        self.results = ResultsView()
        self.stack.addWidget(self.results)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._shortcuts()

    # -- building -------------------------------------------------------------------------
    def _build_start(self) -> QWidget:
        self.resume_box = QLabel()
        self.resume_box.setObjectName("resumeBox")
        self.resume_box.setWordWrap(True)
        self.resume = QPushButton("Resume exam")
        self.resume.clicked.connect(self.resume_requested.emit)
        self.abandon = QPushButton("Abandon it…")
        self.abandon.clicked.connect(self.abandon_requested.emit)
        for widget in (self.resume_box, self.resume, self.abandon):
            widget.hide()  # shown only while a started exam waits
        banner = QHBoxLayout()
        banner.addWidget(self.resume_box, 1)
        banner.addWidget(self.resume)
        banner.addWidget(self.abandon)
        self.forms = QListWidget()
        self.forms.setMinimumWidth(200)
        self.forms.setMaximumWidth(280)
        self.forms.currentItemChanged.connect(
            lambda current, _old: current is not None and self.form_selected.emit(current.data(256)))
        self.details = _browser(120)
        self.start = QPushButton("Start exam")
        self.start.clicked.connect(self._start_clicked)
        right = QVBoxLayout()
        right.addWidget(self.details, 1)
        right.addWidget(self.start, 0, Qt.AlignmentFlag.AlignRight)
        choose = QHBoxLayout()
        choose.addWidget(self.forms)
        choose.addLayout(right, 1)
        self.history = QTableWidget(0, 5)
        self.history.setHorizontalHeaderLabels(["Date", "Form", "Score", "Result", "Time"])
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.history.cellDoubleClicked.connect(lambda row, _c: self.history_opened.emit(self.history.item(row, 0).data(256)))
        self.trend = TrendChart()
        bottom = QHBoxLayout()
        bottom.addWidget(self.history, 2)
        bottom.addWidget(self.trend, 1)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addLayout(banner)
        column.addWidget(QLabel("<b>Mock exams</b>: choose a form"))
        column.addLayout(choose, 5)
        column.addWidget(QLabel("<b>Your exams</b> (double-click one to review it)"))
        column.addLayout(bottom, 2)
        return page

    def _build_exam(self) -> QWidget:
        self.exam_title = QLabel()
        self.part_label = QLabel()
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        self.countdown.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.notice = QLabel()
        self.notice.setStyleSheet("color: #8a3b00; font-weight: bold;")
        top = QHBoxLayout()
        for widget, stretch in ((self.exam_title, 1), (self.part_label, 0), (self.notice, 0), (self.countdown, 0)):
            top.addWidget(widget, stretch)
        self.grid = QuestionGrid()
        self.grid.jump_requested.connect(self.jump_requested.emit)
        grid_scroll = QScrollArea()
        grid_scroll.setWidget(self.grid)
        grid_scroll.setWidgetResizable(True)
        grid_scroll.setMinimumWidth(390)
        legend = QLabel("✓ answered · ⚑ flagged · blank · grey: closed part")
        legend.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(grid_scroll, 1)
        side.addWidget(legend)
        side_widget = QWidget()
        side_widget.setLayout(side)
        self.header = QLabel()
        self.stem = _browser(50)
        self.note = _browser(80)
        self.answer_box = QVBoxLayout()
        question = QWidget()
        q = QVBoxLayout(question)
        q.setContentsMargins(0, 0, 0, 0)
        q.addWidget(self.header)
        q.addWidget(self.stem, 1)
        q.addWidget(self.note, 2)
        q.addLayout(self.answer_box, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(side_widget)
        splitter.addWidget(question)
        splitter.setStretchFactor(1, 3)
        self.previous = QPushButton("◀ Previous (PgUp)")
        self.flag = QPushButton("⚑ Flag (Ctrl+F)")
        self.flag.setCheckable(True)
        self.next = QPushButton("Next (PgDn) ▶")
        self.book = QPushButton("Code browser (Ctrl+B)")
        self.finish_part = QPushButton("Finish part…")
        self.submit = QPushButton("Submit exam… (Ctrl+Enter)")
        self.previous.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next.clicked.connect(lambda: self.step_requested.emit(1))
        self.flag.clicked.connect(lambda _checked=False: self.flag_requested.emit())
        self.book.clicked.connect(self.open_book_requested.emit)
        self.finish_part.clicked.connect(self.finish_part_requested.emit)
        self.submit.clicked.connect(self.submit_requested.emit)
        buttons = QHBoxLayout()
        for button in (self.previous, self.flag, self.next):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.book, self.finish_part, self.submit):
            buttons.addWidget(button)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addLayout(top)
        column.addWidget(splitter, 1)
        column.addLayout(buttons)
        return page

    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut

        def key(sequence: str, action: Callable[[], None]) -> None:
            QShortcut(QKeySequence(sequence), self, context=context).activated.connect(
                lambda: self.in_exam() and action())

        for number in range(1, 10):
            key(str(number), lambda n=number: self.pick(n))
            key(f"Ctrl+{number}", lambda n=number: self.strike_number(n))
        key("PgDown", lambda: self.step_requested.emit(1))
        key("PgUp", lambda: self.step_requested.emit(-1))
        key("Ctrl+F", self.flag_requested.emit)
        key("Ctrl+B", lambda: self.book.isVisible() and self.open_book_requested.emit())
        key("Ctrl+Return", self.submit_requested.emit)
        key("Ctrl+Enter", self.submit_requested.emit)

    def in_exam(self) -> bool:
        return self.stack.currentIndex() == 1

    # -- start screen -------------------------------------------------------------------
    def show_forms(self, forms: list[tuple[str, str]], selected: str = "") -> None:
        self.forms.blockSignals(True)
        self.forms.clear()
        for form_id, title in forms:
            entry = QListWidgetItem(title)
            entry.setData(256, form_id)
            self.forms.addItem(entry)
        self.forms.blockSignals(False)
        ids = [form_id for form_id, _ in forms]
        if ids:
            self.forms.setCurrentRow(ids.index(selected) if selected in ids else 0)
        self.stack.setCurrentIndex(0)

    def selected_form(self) -> str:
        current = self.forms.currentItem()
        return current.data(256) if current else ""

    def show_form(self, html: str, can_start: bool) -> None:
        self.details.setHtml(html)
        self.start.setEnabled(can_start)

    def show_running(self, text: str) -> None:
        """A started exam is waiting: offer to resume it (or to abandon it)."""
        for widget in (self.resume_box, self.resume, self.abandon):
            widget.setVisible(bool(text))
        self.resume_box.setText(text)
        if text:
            self.start.setEnabled(False)

    def show_history(self, rows: list[tuple[int, str, str, float, bool, str]], pass_mark: float) -> None:
        self.history.setRowCount(len(rows))
        for row, (exam_id, when, title, percent, passed, used) in enumerate(rows):
            cells = (when, title, f"{percent:.0f} %", "pass" if passed else "not passed", used)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(256, exam_id)
                self.history.setItem(row, column, cell)
        self.history.resizeColumnsToContents()
        self.history.resizeRowsToContents()
        self.trend.set_points([r[3] for r in rows], pass_mark)

    def _start_clicked(self) -> None:
        if self.selected_form():
            self.start_requested.emit(self.selected_form())

    # -- exam screen ----------------------------------------------------------------------
    def begin(self, title: str, count: int, open_book: bool) -> None:
        self.exam_title.setText(f"<b>{escape(title)}</b>")
        self.grid.set_count(count)
        self.book.setVisible(open_book)
        self.notice.setText("")
        self.stack.setCurrentIndex(1)

    def show_clock(self, remaining: float, warning: bool) -> None:
        self.countdown.setText(f"Time left {clock_text(remaining)}")
        self.countdown.setAccessibleName(f"Time left {clock_text(remaining)}")
        self.countdown.setStyleSheet(f"font-size: 16pt; font-weight: bold; color: {'#b3261e' if warning else '#1f2933'};")

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)

    def show_part(self, text: str, last_part: bool) -> None:
        self.part_label.setText(text)
        self.finish_part.setVisible(not last_part)
        self.submit.setVisible(last_part)

    def show_item(self, item: Item, position: int, total: int, section: str, order: tuple[int, ...],
                  response: object, flagged: bool, struck: set[int]) -> None:
        self.header.setText(f"<b>Item {position + 1} of {total}</b> · {escape(section)}")
        self.stem.setHtml(markdown_to_html(item.stem))
        is_case = isinstance(item, CodingCase)
        self.note.setVisible(is_case)
        self.note.setHtml(markdown_to_html(item.note) if is_case else "")
        if isinstance(item, (SingleChoice, MultipleResponse)):
            widget: AnswerWidget | None = ExamChoice(item, order)
            widget.strike_toggled.connect(self.strike_requested.emit)  # type: ignore[union-attr]
        else:
            widget = self._case_factory(item) if is_case else answer_widget_for(item, position)
        self._replace_answer(widget)
        if widget is not None:
            restore_response(widget, response)
            widget.answered.connect(self._answered)
        self.show_flag(flagged)
        self.show_struck(struck)
        self.stack.setCurrentIndex(1)

    def show_flag(self, flagged: bool) -> None:
        self.flag.setChecked(flagged)
        self.flag.setText("⚑ Flagged (Ctrl+F)" if flagged else "⚑ Flag (Ctrl+F)")

    def show_struck(self, struck: set[int]) -> None:
        if isinstance(self.answer, ExamChoice):
            self.answer.show_struck(struck)

    def show_cell(self, position: int, answered: bool, flagged: bool, open_: bool, current: bool) -> None:
        self.grid.show_state(position, answered, flagged, open_, current)

    def show_results(self) -> ResultsView:
        self.stack.setCurrentIndex(2)
        return self.results

    # -- learner actions -----------------------------------------------------------------
    def pick(self, number: int) -> None:
        if self.answer is not None:
            self.answer.pick(number)

    def strike_number(self, number: int) -> None:
        if isinstance(self.answer, ExamChoice) and (option := self.answer.option_at(number)) is not None:
            self.strike_requested.emit(option)

    def _answered(self) -> None:
        if self.answer is not None:
            self.answer_changed.emit(self.answer.response() if self.answer.has_answer() else None)

    def _replace_answer(self, widget: AnswerWidget | None) -> None:
        if self.answer is not None:
            self.answer_box.removeWidget(self.answer)
            self.answer.hide()  # at once: deleteLater waits for the event loop
            self.answer.deleteLater()
        self.answer = widget
        if widget is not None:
            self.answer_box.addWidget(widget)
