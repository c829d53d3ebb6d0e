"""Practice: one item at a time, submit, see the result and the rationale, next.

A passive view implementing `app.core.session.PracticeView`. It turns clicks and keys
into signals (`start_requested`, `submitted`, `next_requested`); the composition root
forwards them to the session, which calls back `show_item` / `show_result`.
Keys: 1-9 pick an option, Enter submits (Ctrl+Enter in a coding case, where Enter moves
between rows; Ctrl+Enter works everywhere), N goes to the next item.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.content.render import LESSON_CSS, markdown_to_html
from app.core.models import CodingCase, GradeResult, Item
from app.core.session import SessionSummary
from app.core.topics import topic_label
from app.ui.answers import AnswerWidget, answer_widget_for
from app.ui.case_answer import verdict_kind

DIFFICULTY = {1: "easy", 2: "medium", 3: "hard"}
CaseFactory = Callable[[CodingCase], AnswerWidget]


def _browser(minimum: int = 60) -> QTextBrowser:
    browser = QTextBrowser()
    browser.setOpenLinks(False)
    browser.setOpenExternalLinks(False)
    browser.document().setDefaultStyleSheet(LESSON_CSS)
    browser.setMinimumHeight(minimum)
    return browser


def key_html(item: CodingCase) -> str:
    """The answer key as a short list: "Diagnoses: E11.22 (first), N18.31, Z79.4 or Z79.84"."""
    rows = []
    for section in item.key.sections:
        lines = []
        for line in section.lines:
            text = " or ".join(line.codes)
            if line.modifiers:
                text += "-" + "-".join(line.modifiers)
            if line.units and line.units > 1:
                text += f" ×{line.units}"
            notes = [word for flag, word in ((line.first, "first"), (line.optional, "optional")) if flag]
            lines.append(escape(text) + (f" ({', '.join(notes)})" if notes else ""))
        label = section.label or section.code_set.label
        rows.append(f"<li><b>{escape(label)}:</b> {', '.join(lines)}</li>")
    return "<h3>Answer key</h3><ul>" + "".join(rows) + "</ul>"


PARTIAL_CREDIT = ("Partial credit: a coding case earns points for each right code line and a "
                  "multiple-response item for each right choice, so an item can score between 0 and its maximum.")


def verdict_head(result: GradeResult) -> str:
    """The overall verdict, never "Correct" while a line below is marked wrong or partly right."""
    marked = sum(1 for f in result.findings if verdict_kind(f.verdict) != "correct")
    if result.correct and not marked:
        return "<p class='right'>✓ Correct</p>"
    note = f" — {marked} line{'s' if marked != 1 else ''} marked below" if marked else ""
    if result.score > 0:
        return f"<p class='partial'>⚠ Partly right: {result.score:g} of {result.max_score:g} points{note}</p>"
    return f"<p class='wrong'>✗ Not right: {result.score:g} of {result.max_score:g} points{note}</p>"


def summary_html(summary: SessionSummary) -> str:
    """The session's total, item by item, so "7 of 9" can be followed."""
    rows = "".join(
        f"<tr><td>{n}</td><td>{escape(line.title or line.item_id)}</td>"
        f"<td align='right'>{line.score:g} / {line.max_score:g}</td>"
        f"<td>{'✓' if line.correct else '⚠' if line.score > 0 else '✗'}</td></tr>"
        for n, line in enumerate(summary.items, start=1))
    table = (f"<table><tr><th>#</th><th>Item</th><th>Points</th><th></th></tr>{rows}"
             f"<tr><td></td><td><b>Total</b></td><td align='right'><b>{summary.score:g} / {summary.max_score:g}</b></td>"
             "<td></td></tr></table>") if summary.items else ""
    return (f"<h2>Session complete</h2><p>You answered {summary.answered} item{'s' if summary.answered != 1 else ''}; "
            f"{summary.correct} fully right. Score {summary.score:g} of {summary.max_score:g} points "
            f"({summary.percent:.0f}%).</p>{table}<p class='meta'>{PARTIAL_CREDIT}</p>"
            "<p>Your answers are saved. Start another session above.</p>")


def result_html(item: Item, result: GradeResult) -> str:
    parts = [verdict_head(result)]
    if result.feedback:
        parts.append(markdown_to_html(result.feedback))
    if isinstance(item, CodingCase):
        # Each learner code is marked on its own row above, with its sentence; here only
        # the key itself, so the learner can compare at a glance.
        parts.append("<p>Your codes are marked above; missing key lines are listed under their section.</p>")
        parts.append(key_html(item))
    if item.meta.rationale:
        parts.append("<h3>Rationale</h3>" + markdown_to_html(item.meta.rationale))
    return "".join(parts)


class PracticePage(QWidget):
    start_requested = Signal(str)  # scope key chosen in the combo box
    submitted = Signal(object)  # the response
    next_requested = Signal()
    banks_requested = Signal()
    link_clicked = Signal(str)  # a `code:` link in the result or rationale: open it in the code browser

    def __init__(self, case_factory: CaseFactory, parent: QWidget | None = None):
        super().__init__(parent)
        self._case_factory = case_factory
        self.answer: AnswerWidget | None = None
        self._seed = 0
        self.scope = QComboBox()
        # Long scope names ("Lesson: Combination codes, …") shrink with the window rather than
        # pushing the buttons over the combo.
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scope.setMinimumContentsLength(16)
        self.start = QPushButton("Start practice")
        self.start.clicked.connect(lambda: self.start_requested.emit(self.scope.currentData() or ""))
        self.banks = QPushButton("Question banks…")
        self.banks.clicked.connect(self.banks_requested.emit)
        top = QHBoxLayout()
        top.addWidget(QLabel("Practise:"))
        top.addWidget(self.scope, 1)
        top.addWidget(self.start)
        top.addWidget(self.banks)
        self.stack = QStackedWidget()
        self.welcome = _browser()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self._build_item_view())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self._shortcuts()
        self.show_welcome("Choose what to practise and press <b>Start practice</b>.")

    def _build_item_view(self) -> QWidget:
        self.header = QLabel()
        self.header.setObjectName("itemHeader")
        self.stem = _browser(50)
        self.note = _browser(80)
        self.answer_box = QVBoxLayout()
        self.submit = QPushButton("Submit (Enter)")
        self.submit.setDefault(True)
        self.submit.clicked.connect(self._submit)
        self.next = QPushButton("Next (N)")
        self.next.clicked.connect(self.next_requested.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.submit)
        buttons.addWidget(self.next)
        question = QWidget()
        question_layout = QVBoxLayout(question)
        question_layout.setContentsMargins(0, 0, 0, 0)
        question_layout.addWidget(self.header)
        question_layout.addWidget(self.stem, 1)
        question_layout.addWidget(self.note, 2)
        question_layout.addLayout(self.answer_box, 2)
        question_layout.addLayout(buttons)
        self.result = _browser()
        self.result.anchorClicked.connect(
            lambda url: self.link_clicked.emit(url.toString(QUrl.ComponentFormattingOption.FullyDecoded)))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(question)
        splitter.addWidget(self.result)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for number in range(1, 10):
            shortcut = QShortcut(QKeySequence(str(number)), self, context=context)
            shortcut.activated.connect(lambda n=number: self.pick(n))
        for key in ("Return", "Enter"):
            QShortcut(QKeySequence(key), self, context=context).activated.connect(self._enter)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, context=context).activated.connect(self._submit)
        QShortcut(QKeySequence("N"), self, context=context).activated.connect(self._next_key)

    # -- filled by the composition root ---------------------------------------------
    def set_scopes(self, scopes: list[tuple[str, str]], selected: str = "") -> None:
        self.scope.clear()
        for key, label in scopes:
            self.scope.addItem(label, key)
        index = self.scope.findData(selected)
        self.scope.setCurrentIndex(max(index, 0))
        self.start.setEnabled(bool(scopes))

    def show_welcome(self, html: str) -> None:
        self.welcome.setHtml(html)
        self.stack.setCurrentIndex(0)

    # -- PracticeView -----------------------------------------------------------------
    def show_item(self, item: Item, position: int, total: int) -> None:
        self._seed += 1
        difficulty = DIFFICULTY.get(item.meta.difficulty, "")
        self.header.setText(
            f"<b>Item {position} of {total}</b> · {escape(topic_label(item.meta.topic))} · {difficulty}"
        )
        self.stem.setHtml(markdown_to_html(item.stem))
        is_case = isinstance(item, CodingCase)
        self.note.setVisible(is_case)
        self.note.setHtml(markdown_to_html(item.note) if is_case else "")
        self._replace_answer(self._case_factory(item) if is_case else answer_widget_for(item, self._seed))
        self.submit.setText(getattr(self.answer, "submit_label", "Submit (Enter)"))
        self.result.setHtml("")
        self.result.setVisible(False)
        self.submit.setEnabled(True)
        self.next.setEnabled(False)
        self.stack.setCurrentIndex(1)
        if self.answer is not None:
            focus = getattr(self.answer, "focus", None)
            (focus or self.answer.setFocus)()

    def show_result(self, item: Item, result: GradeResult) -> None:
        if self.answer is not None:
            self.answer.show_result(result)
            self.answer.lock()
        self.result.setHtml(result_html(item, result))
        self.result.setVisible(True)
        self.submit.setEnabled(False)
        self.next.setEnabled(True)
        self.next.setFocus()

    def show_finished(self, summary: SessionSummary) -> None:
        self.show_welcome(summary_html(summary))

    # -- user actions -------------------------------------------------------------------
    def pick(self, number: int) -> None:
        if self.answer is not None and self.submit.isEnabled():
            self.answer.pick(number)

    def _submit(self) -> None:
        if self.stack.currentIndex() != 1 or not self.submit.isEnabled() or self.answer is None:
            return
        if not self.answer.has_answer():
            self.result.setHtml("<p class='partial'>Choose or type an answer first.</p>")
            self.result.setVisible(True)
            return
        self.submitted.emit(self.answer.response())

    def _enter(self) -> None:
        """Plain Enter submits, except where the answer uses Enter itself (coding cases)."""
        if getattr(self.answer, "enter_submits", True):
            self._submit()

    def focus_first(self) -> None:
        """Reached from the sidebar: the keyboard goes to the answer, or to Next, or to Start."""
        if self.stack.currentIndex() == 1 and self.answer is not None and self.submit.isEnabled():
            focus = getattr(self.answer, "focus", None)
            (focus or self.answer.setFocus)()
        elif self.stack.currentIndex() == 1 and self.next.isEnabled():
            self.next.setFocus()
        else:
            self.start.setFocus()

    def _next_key(self) -> None:
        if self.next.isEnabled():
            self.next_requested.emit()

    def _replace_answer(self, widget: AnswerWidget | None) -> None:
        if self.answer is not None:
            self.answer_box.removeWidget(self.answer)
            self.answer.deleteLater()
        self.answer = widget
        if widget is not None:
            widget.submit_requested.connect(self._submit)
            self.answer_box.addWidget(widget)
