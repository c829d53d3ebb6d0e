"""Exam results: the score, pass or fail, section scores and times, and a review of every item.

The review shows, for each item, the learner's answer, the key and the rationale; coding
cases list the per-code verdicts in words. `review_html` builds one item's page from the
stored answer and grade, so a past exam from the history reviews the same way as a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.content.render import LESSON_CSS, markdown_to_html
from app.core.exam_forms import ExamForm, Navigation
from app.core.models import (
    CodingCase,
    Item,
    Matching,
    MultipleResponse,
    Numeric,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from app.store.exams import StoredExam
from app.ui.case_answer import verdict_text
from app.ui.practice_page import key_html


def clock_text(seconds: float) -> str:
    """H:MM:SS, rounded up, so the countdown shows 0:00:00 only when time is really up."""
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


@dataclass(frozen=True)
class ReviewRow:
    position: int
    label: str  # list text: "12 ✗ Surgery 20000 series: Closed treatment…"
    html: str  # the item's review page
    verdict: str  # "right", "partly", "wrong", "blank"


def _letter_list(item: SingleChoice | MultipleResponse, chosen: list[int], order: tuple[int, ...]) -> str:
    shown = list(order) or list(range(len(item.options)))
    return "; ".join(f"{shown.index(i) + 1}. {escape(item.options[i].text)}" for i in chosen if i in shown) or "—"


def answer_text(item: Item, response: object, order: tuple[int, ...]) -> str:
    """The learner's answer in words (HTML), as it was shown during the exam."""
    if response in (None, "", [], {}):
        return "<i>blank</i>"
    if isinstance(item, (SingleChoice, MultipleResponse)):
        chosen = response if isinstance(response, list) else [response]
        return _letter_list(item, [c for c in chosen if isinstance(c, int)], order)
    if isinstance(item, TrueFalse):
        return "True" if response else "False"
    if isinstance(item, Matching) and isinstance(response, dict):
        return "; ".join(f"{escape(p.prompt)} → {escape(str(response.get(str(i), '—')))}" for i, p in enumerate(item.pairs))
    if isinstance(item, CodingCase) and isinstance(response, list):
        return "<br>".join(f"{escape(s.label or s.code_set.label)}: {escape(str(t)) or '—'}"
                           for s, t in zip(item.key.sections, response))
    return escape(str(response))


def key_text(item: Item, order: tuple[int, ...]) -> str:
    if isinstance(item, (SingleChoice, MultipleResponse)):
        right = [i for i, o in enumerate(item.options) if o.correct or o.weight > 0]
        return _letter_list(item, right, order)
    if isinstance(item, TrueFalse):
        return "True" if item.answer else "False"
    if isinstance(item, Numeric):
        return " or ".join(f"{a.value:g}" + (f" ± {a.tolerance:g}" if a.tolerance else "") for a in item.answers if a.weight > 0)
    if isinstance(item, ShortAnswer):
        return " or ".join(escape(a.text) for a in item.answers if a.weight > 0)
    if isinstance(item, Matching):
        return "; ".join(f"{escape(p.prompt)} → {escape(p.answer)}" for p in item.pairs)
    return ""


def verdict_of(score: float | None, max_score: float | None, answered: bool) -> str:
    if not answered:
        return "blank"
    if score is None or not max_score:
        return "wrong"
    return "right" if score >= max_score - 1e-9 else "partly" if score > 0 else "wrong"


MARKS = {"right": "✓", "partly": "◐", "wrong": "✗", "blank": "○"}
WORDS = {"right": "Right", "partly": "Partly right", "wrong": "Not right", "blank": "Blank (no answer)"}


def review_html(item: Item, position: int, section: str, response: object, order: tuple[int, ...],
                score: float | None, max_score: float | None, findings: tuple[tuple[str, str, str], ...]) -> str:
    verdict = verdict_of(score, max_score, response not in (None, "", [], {}))
    points = f" ({score:g} of {max_score:g})" if score is not None and max_score else ""
    parts = [f"<h3>Item {position + 1} · {escape(section)}</h3>",
             f"<p class='{'right' if verdict == 'right' else 'partial' if verdict == 'partly' else 'wrong'}'>"
             f"{MARKS[verdict]} {WORDS[verdict]}{points}</p>", markdown_to_html(item.stem)]
    if isinstance(item, CodingCase):
        parts.append(markdown_to_html(item.note))
    parts.append(f"<p><b>Your answer:</b> {answer_text(item, response, order)}</p>")
    if isinstance(item, CodingCase):
        parts.append(key_html(item))
        if findings:
            parts.append("<h3>Per-code verdicts</h3><ul>" + "".join(
                f"<li><b>{escape(verdict_text(v))}</b> {escape(code)}: {escape(message)}</li>"
                for v, code, message in findings) + "</ul>")
    else:
        parts.append(f"<p><b>Key:</b> {key_text(item, order)}</p>")
    if item.meta.rationale:
        parts.append("<h3>Rationale</h3>" + markdown_to_html(item.meta.rationale))
    return "".join(parts)


class ResultsView(QWidget):
    retake_requested = Signal()
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.sections = QTableWidget(0, 5)
        self.sections.setHorizontalHeaderLabels(["Section", "Items", "Answered", "Score", "Time"])
        self.sections.verticalHeader().setVisible(False)
        self.sections.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.sections.horizontalHeader().setStretchLastSection(True)
        self.items = QListWidget()
        self.items.currentRowChanged.connect(self._show_row)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.document().setDefaultStyleSheet(LESSON_CSS)
        review = QSplitter(Qt.Orientation.Horizontal)
        review.addWidget(self.items)
        review.addWidget(self.detail)
        review.setStretchFactor(1, 2)
        review.setSizes([300, 600])
        self.retake = QPushButton("Retake (new draw)")
        self.retake.clicked.connect(self.retake_requested.emit)
        self.back = QPushButton("Back to exams")
        self.back.clicked.connect(self.back_requested.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.retake)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.sections)
        splitter.addWidget(review)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.rows: list[ReviewRow] = []

    def show_summary(self, html: str) -> None:
        self.summary.setText(html)

    def show_sections(self, rows: list[tuple[str, int, int, float, str]]) -> None:
        self.sections.setRowCount(len(rows))
        for row, (title, items, answered, percent, used) in enumerate(rows):
            for column, text in enumerate((title, str(items), str(answered), f"{percent:.0f} %", used)):
                self.sections.setItem(row, column, QTableWidgetItem(text))
        self.sections.resizeColumnsToContents()
        self.sections.resizeRowsToContents()

    def show_review(self, rows: list[ReviewRow]) -> None:
        self.rows = rows
        self.items.clear()
        for row in rows:
            entry = QListWidgetItem(row.label)
            entry.setData(256, row.position)
            self.items.addItem(entry)
        if rows:
            self.items.setCurrentRow(0)

    def _show_row(self, row: int) -> None:
        self.detail.setHtml(self.rows[row].html if 0 <= row < len(self.rows) else "")


def form_html(form: ExamForm, rows: list) -> str:  # type: ignore[type-arg]
    """The start screen's description of a form and whether the banks can fill each section."""
    short = [(s, found) for s, found in rows if found < s.count]
    rules = [f"{form.count} items", f"{form.minutes // 60} h {form.minutes % 60:02d} min",
             f"pass mark {form.pass_mark:g} %", f"warning {form.warning_minutes} min before the end",
             "locked parts: no return to a finished part" if form.navigation is Navigation.LOCKED_PARTS else "free navigation",
             "the clock stops while the app is closed" if form.pause.value == "while_closed" else "the clock runs on, even while the app is closed",
             "code browser open (Ctrl+B)" if form.code_browser else "closed book: no code browser"]
    table = "".join(
        f"<tr><td>{escape(s.title)}</td><td align='right'>{s.count}</td><td align='right'>{found}</td>"
        f"<td>{'ok' if found >= s.count else f'<b>short by {s.count - found}</b>'}</td></tr>" for s, found in rows)
    verdict = ("<p class='right'>Your enabled banks can fill this form.</p>" if not short else
               f"<p class='wrong'><b>This form cannot be started yet:</b> {len(short)} section(s) are short by "
               f"{sum(s.count - f for s, f in short)} item(s) in your enabled banks. Install or enable more banks "
               "(Practice ▸ Question banks…). The exam is never filled with other items.</p>")
    return (f"<h2>{escape(form.title)}</h2><p>{escape(form.description)}</p><p>{' · '.join(rules)}</p>{verdict}"
            f"<table cellspacing='6'><tr><th align='left'>Section</th><th>Needs</th><th>Available</th><th></th></tr>"
            f"{table}</table>")


def summary_html(exam: StoredExam) -> str:
    answered = sum(1 for i in exam.items if i.response not in (None, "", [], {}))
    result = ("<span style='color:#1e7b34'>✓ PASS</span>" if exam.passed
              else "<span style='color:#b3261e'>✗ NOT PASSED</span>")
    return (f"<h2>{escape(exam.form.title)}: {exam.percent or 0:.1f} % {result}</h2>"
            f"<p>Pass mark {exam.form.pass_mark:g} % · {answered} of {len(exam.items)} answered · "
            f"time used {clock_text(exam.used_seconds)} of {clock_text(exam.form.minutes * 60)}. "
            "Each item counts one; a coding case earns the fraction of its key you coded right. "
            "Your answers are now in your practice history (wrong ones in the mistake log).</p>")
