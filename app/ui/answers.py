"""Answer widgets, one per item type. Each returns the response the scorer expects.

Responses: single choice -> option index; multiple response -> sorted list of indices;
true/false -> bool; numeric and short answer -> the typed text; matching -> {prompt index:
chosen answer text}. Coding cases use the case-entry widget (app/ui/case_entry.py).
"""

from __future__ import annotations

import random

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.models import GradeResult, Item, Matching, MultipleResponse, Numeric, ShortAnswer, SingleChoice, TrueFalse


class AnswerWidget(QWidget):
    """Base: subclasses build their inputs and report `answered` when one is given."""

    answered = Signal()
    submit_requested = Signal()

    def response(self) -> object:
        raise NotImplementedError

    def has_answer(self) -> bool:
        return True

    def pick(self, number: int) -> None:
        """Number keys: choose the option shown with that number (1-based)."""

    def lock(self) -> None:
        self.setEnabled(False)

    def show_result(self, result: GradeResult) -> None:
        """Mark the inputs after grading; the page shows the words."""


class ChoiceAnswer(AnswerWidget):
    def __init__(self, item: SingleChoice | MultipleResponse, seed: int):
        super().__init__()
        self.item = item
        multiple = isinstance(item, MultipleResponse)
        order = list(range(len(item.options)))
        if item.shuffle:
            random.Random(seed).shuffle(order)
        self.order = order  # display position -> option index
        self.group = QButtonGroup(self)
        self.group.setExclusive(not multiple)
        layout = QVBoxLayout(self)
        for position, index in enumerate(order, start=1):
            text = f"{position}.  {item.options[index].text}"
            button: QAbstractButton = QCheckBox(text) if multiple else QRadioButton(text)
            self.group.addButton(button, index)
            layout.addWidget(button)
        layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_: self.answered.emit())

    def response(self) -> object:
        chosen = sorted(self.group.id(b) for b in self.group.buttons() if b.isChecked())
        if isinstance(self.item, MultipleResponse):
            return chosen
        return chosen[0] if chosen else None

    def has_answer(self) -> bool:
        return any(b.isChecked() for b in self.group.buttons())

    def pick(self, number: int) -> None:
        if 1 <= number <= len(self.order):
            button = self.group.button(self.order[number - 1])
            button.setChecked(not button.isChecked() if isinstance(self.item, MultipleResponse) else True)

    def show_result(self, result: GradeResult) -> None:
        for index, option in enumerate(self.item.options):
            button = self.group.button(index)
            if option.correct or option.weight > 0:
                button.setText(button.text() + "   ✓")
                button.setProperty("verdict", "right")
            elif button.isChecked():
                button.setProperty("verdict", "wrong")
            button.style().unpolish(button)
            button.style().polish(button)


class TrueFalseAnswer(AnswerWidget):
    def __init__(self, item: TrueFalse):
        super().__init__()
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        for number, (text, value) in enumerate((("True", 1), ("False", 0)), start=1):
            button = QRadioButton(f"{number}.  {text}")
            self.group.addButton(button, value)
            layout.addWidget(button)
        layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_: self.answered.emit())

    def response(self) -> object:
        checked = self.group.checkedId()
        return None if checked < 0 else bool(checked)

    def has_answer(self) -> bool:
        return self.group.checkedId() >= 0

    def pick(self, number: int) -> None:
        if number in (1, 2):
            self.group.button(1 if number == 1 else 0).setChecked(True)


class TextAnswer(AnswerWidget):
    """Numeric and short-answer items: one line of text."""

    def __init__(self, item: Numeric | ShortAnswer):
        super().__init__()
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Type your answer and press Enter")
        self.edit.returnPressed.connect(self.submit_requested.emit)
        self.edit.textChanged.connect(lambda _text: self.answered.emit())
        layout = QHBoxLayout(self)
        if isinstance(item, Numeric) and item.unit:
            layout.addWidget(QLabel(item.unit))
        layout.addWidget(self.edit, 1)

    def response(self) -> object:
        return self.edit.text().strip()

    def has_answer(self) -> bool:
        return bool(self.edit.text().strip())

    def focus(self) -> None:
        self.edit.setFocus()


class MatchingAnswer(AnswerWidget):
    def __init__(self, item: Matching, seed: int):
        super().__init__()
        answers = sorted({pair.answer for pair in item.pairs} | set(item.distractors))
        random.Random(seed).shuffle(answers)
        self.boxes: list[QComboBox] = []
        form = QFormLayout(self)
        for pair in item.pairs:
            box = QComboBox()
            box.addItem("— choose —", None)
            for answer in answers:
                box.addItem(answer, answer)
            box.currentIndexChanged.connect(lambda _i: self.answered.emit())
            form.addRow(QLabel(pair.prompt), box)
            self.boxes.append(box)

    def response(self) -> object:
        return {str(index): box.currentData() for index, box in enumerate(self.boxes) if box.currentData()}

    def has_answer(self) -> bool:
        return any(box.currentData() for box in self.boxes)


def answer_widget_for(item: Item, seed: int) -> AnswerWidget | None:
    """The input widget for an item, or None for coding cases (the page supplies those)."""
    if isinstance(item, (SingleChoice, MultipleResponse)):
        return ChoiceAnswer(item, seed)
    if isinstance(item, TrueFalse):
        return TrueFalseAnswer(item)
    if isinstance(item, (Numeric, ShortAnswer)):
        return TextAnswer(item)
    if isinstance(item, Matching):
        return MatchingAnswer(item, seed)
    return None
