"""The exam screen's parts: the question grid, choices with strike-out, restoring answers, the trend.

Passive widgets: they show state and emit what the learner did. Strike-out marks an option
the learner has ruled out (right-click it, or Ctrl+number); it never changes the answer.
Grid cells show their state in words as well as colour (answered ✓, flagged ⚑, blank).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.models import MultipleResponse, SingleChoice
from app.ui.answers import AnswerWidget, MatchingAnswer, TextAnswer, TrueFalseAnswer

GRID_COLUMNS = 10
GRID_STYLE = """
QToolButton[cell="blank"] { background: #ffffff; border: 1px solid #9aa7b4; }
QToolButton[cell="answered"] { background: #d9ecff; border: 1px solid #2f6ea5; }
QToolButton[cell="flagged"] { background: #fff1c2; border: 2px solid #a15c00; }
QToolButton[cell="locked"] { background: #eceff2; color: #6b7785; border: 1px dashed #9aa7b4; }
QToolButton[current="true"] { font-weight: bold; border: 3px solid #1f2933; }
"""


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class QuestionGrid(QWidget):
    """One small button per item: blank, answered or flagged; click to jump there."""

    jump_requested = Signal(int)  # position

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setStyleSheet(GRID_STYLE)
        self.cells: list[QToolButton] = []
        self.layout_ = QGridLayout(self)
        self.layout_.setSpacing(3)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

    def set_count(self, count: int) -> None:
        for cell in self.cells:
            self.layout_.removeWidget(cell)
            cell.deleteLater()
        self.cells = []
        for position in range(count):
            cell = QToolButton()
            cell.setFixedSize(34, 28)
            cell.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            cell.clicked.connect(lambda _checked=False, n=position: self.jump_requested.emit(n))
            self.layout_.addWidget(cell, position // GRID_COLUMNS, position % GRID_COLUMNS)
            self.cells.append(cell)

    def show_state(self, position: int, answered: bool, flagged: bool, open_: bool, current: bool) -> None:
        cell = self.cells[position]
        state = "locked" if not open_ else "flagged" if flagged else "answered" if answered else "blank"
        cell.setText(f"{position + 1}{'⚑' if flagged else '✓' if answered else ''}")
        words = {"locked": "closed", "flagged": "flagged", "answered": "answered", "blank": "blank"}[state]
        cell.setToolTip(f"Item {position + 1}: {words}" + (" (answered)" if flagged and answered else ""))
        cell.setAccessibleName(f"Item {position + 1}, {words}")
        cell.setEnabled(open_)
        cell.setProperty("cell", state)
        cell.setProperty("current", "true" if current else "false")
        _repolish(cell)


class ExamChoice(AnswerWidget):
    """Single choice / multiple response in the draw's option order, with strike-out."""

    strike_toggled = Signal(int)  # option index

    def __init__(self, item: SingleChoice | MultipleResponse, order: tuple[int, ...]):
        super().__init__()
        self.item = item
        self.multiple = isinstance(item, MultipleResponse)
        self.order = list(order) or list(range(len(item.options)))
        self.group = QButtonGroup(self)
        self.group.setExclusive(not self.multiple)
        layout = QVBoxLayout(self)
        for position, index in enumerate(self.order, start=1):
            text = f"{position}.  {item.options[index].text}"
            button: QAbstractButton = QCheckBox(text) if self.multiple else QRadioButton(text)
            button.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            button.customContextMenuRequested.connect(lambda _pos, i=index: self.strike_toggled.emit(i))
            button.setToolTip("Right-click (or Ctrl+number) to strike this option out")
            self.group.addButton(button, index)
            layout.addWidget(button)
        layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_: self.answered.emit())

    def response(self) -> object:
        chosen = sorted(self.group.id(b) for b in self.group.buttons() if b.isChecked())
        return chosen if self.multiple else (chosen[0] if chosen else None)

    def has_answer(self) -> bool:
        return any(b.isChecked() for b in self.group.buttons())

    def pick(self, number: int) -> None:
        if 1 <= number <= len(self.order):
            button = self.group.button(self.order[number - 1])
            button.setChecked(not button.isChecked() if self.multiple else True)

    def option_at(self, number: int) -> int | None:
        """The option index shown with `number` (1-based), for the strike-out key."""
        return self.order[number - 1] if 1 <= number <= len(self.order) else None

    def set_response(self, response: object) -> None:
        chosen = response if isinstance(response, list) else [] if response is None else [response]
        with _quiet(self.group):
            for button in self.group.buttons():
                button.setChecked(self.group.id(button) in chosen)

    def show_struck(self, struck: set[int]) -> None:
        for button in self.group.buttons():
            font = button.font()
            font.setStrikeOut(self.group.id(button) in struck)
            button.setFont(font)
            button.setProperty("struck", self.group.id(button) in struck)
            name = button.text().split("  ", 1)[-1]
            button.setAccessibleName(("struck out: " if self.group.id(button) in struck else "") + name)


class _quiet:
    """Block a button group's signals while an answer is put back (it is not a new answer)."""

    def __init__(self, group: QButtonGroup):
        self.group = group

    def __enter__(self) -> None:
        self.group.blockSignals(True)

    def __exit__(self, *_exc: object) -> None:
        self.group.blockSignals(False)


def restore_response(widget: AnswerWidget, response: object) -> None:
    """Show a stored answer in a fresh answer widget (resume, or coming back to an item)."""
    widget.blockSignals(True)
    try:
        if isinstance(widget, ExamChoice):
            widget.set_response(response)
        elif isinstance(widget, TrueFalseAnswer) and isinstance(response, bool):
            widget.group.button(1 if response else 0).setChecked(True)
        elif isinstance(widget, TextAnswer) and response is not None:
            widget.edit.setText(str(response))
        elif isinstance(widget, MatchingAnswer) and isinstance(response, dict):
            for index, box in enumerate(widget.boxes):
                box.setCurrentIndex(max(0, box.findData(response.get(str(index)))))
        elif isinstance(response, list) and hasattr(widget, "set_code"):  # a coding case
            for section, text in enumerate(response):
                codes = [c.strip() for c in str(text).split(",") if c.strip()]
                for row, code in enumerate(codes):
                    widget.set_code(section, row, code)  # type: ignore[attr-defined]
    finally:
        widget.blockSignals(False)


class TrendChart(QWidget):
    """Percent per exam, oldest first, with the pass mark as a dashed line."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.points: list[float] = []
        self.pass_mark = 70.0
        self.setMinimumSize(260, 90)
        self.setAccessibleName("Exam score trend")

    def set_points(self, points: list[float], pass_mark: float) -> None:
        self.points, self.pass_mark = points, pass_mark
        self.setToolTip(" → ".join(f"{p:.0f}%" for p in points) or "No exams yet")
        self.update()

    def paintEvent(self, _event: object) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h, pad = self.width(), self.height(), 8
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QPen(QColor("#c9d5e2"), 1))
        painter.drawRect(0, 0, w - 1, h - 1)

        def y(percent: float) -> float:
            return h - pad - (h - 2 * pad) * percent / 100.0

        painter.setPen(QPen(QColor("#a15c00"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(pad, y(self.pass_mark)), QPointF(w - pad, y(self.pass_mark)))
        if not self.points:
            painter.setPen(QColor("#4a5a6a"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No exams yet")
            return
        step = (w - 2 * pad) / max(1, len(self.points) - 1)
        dots = [QPointF(pad + i * step, y(p)) for i, p in enumerate(self.points)]
        painter.setPen(QPen(QColor("#2f6ea5"), 2))
        for a, b in zip(dots, dots[1:]):
            painter.drawLine(a, b)
        for dot, percent in zip(dots, self.points):
            painter.setBrush(QColor("#1e7b34") if percent >= self.pass_mark else QColor("#b3261e"))
            painter.drawEllipse(dot, 4, 4)
