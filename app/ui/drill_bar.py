"""The "Drills" row of the practice page: kind (or mixed), chapter or code range, count.

A passive view: pressing Start emits `start_requested(kind, range, count)`; the drill
controller (app/ui/drill_controller.py) generates the items and starts the session. Kept to
one compact row so the practice page still fits an 800x600 window.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

ALL_RANGES = "Any code"


class DrillBar(QWidget):
    start_requested = Signal(str, str, int)  # kind, code range ("" for all), count

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = _combo(14, "Which kind of drill: one kind, or mixed")
        self.range = _combo(12, "A chapter, or type a code range such as E08-E13, S52 or the PCS table 0DT")
        self.range.setEditable(True)
        self.range.lineEdit().setPlaceholderText("E08-E13")
        self.count = QSpinBox()
        self.count.setRange(1, 100)
        self.count.setValue(10)
        self.count.setToolTip("How many items")
        self.start = QPushButton("Start drills")
        self.start.clicked.connect(self._start)
        self.range.lineEdit().returnPressed.connect(self._start)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Drills:"))
        layout.addWidget(self.kind, 3)
        layout.addWidget(self.range, 3)
        layout.addWidget(self.count)
        layout.addWidget(self.start)

    def set_kinds(self, kinds: list[tuple[str, str]]) -> None:
        """(name, label) pairs; the first is selected."""
        self.kind.clear()
        for name, label in kinds:
            self.kind.addItem(label, name)

    def set_ranges(self, ranges: list[tuple[str, str]]) -> None:
        """(range, label) pairs such as ("E00-E89", "Chapter 4: Endocrine..."); "Any code" comes first."""
        self.range.clear()
        self.range.addItem(ALL_RANGES, "")
        for value, label in ranges:
            self.range.addItem(label, value)
            self.range.setItemData(self.range.count() - 1, f"{label} ({value})", 3)  # Qt.ToolTipRole

    def chosen_range(self) -> str:
        """The chosen chapter's range, or what was typed (a typed label of the list counts as chosen)."""
        text = self.range.currentText().strip()
        index = self.range.findText(text)
        if index >= 0:
            return str(self.range.itemData(index) or "")
        return text

    def choose(self, kind: str, code_range: str = "", count: int = 10) -> None:
        """Set the three choices (tests and a remembered drill use this)."""
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        index = self.range.findData(code_range)
        if index >= 0:
            self.range.setCurrentIndex(index)
        else:
            self.range.setEditText(code_range)
        self.count.setValue(count)

    def _start(self) -> None:
        self.start_requested.emit(str(self.kind.currentData() or "mixed"), self.chosen_range(), self.count.value())


def _combo(characters: int, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    combo.setToolTip(tip)
    return combo
