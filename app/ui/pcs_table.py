"""The ICD-10-PCS table view: build a code one character at a time, as coders do with the tables.

Section -> body system -> root operation -> body part -> approach -> device -> qualifier.
Each step offers only the values that lead to real codes (`codes.pcs_step(prefix)`), so a
learner can never build an invalid code here. Passive: it asks the code set and signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QListView, QPushButton, QVBoxLayout, QWidget

from app.core.codeset import CodeSystem

if TYPE_CHECKING:
    from app.ui.code_browser import BrowsableCodes

POSITIONS = 7
DEFAULT_AXES = ("Section", "Body system", "Root operation", "Body part", "Approach", "Device", "Qualifier")


class PcsTableView(QWidget):
    """Seven linked combo boxes; the last choice completes a valid ICD-10-PCS code."""

    code_chosen = Signal(str)  # a complete 7-character code

    def __init__(self, codes: BrowsableCodes, parent: QWidget | None = None):
        super().__init__(parent)
        self.codes = codes
        self.combos: list[QComboBox] = []
        self.labels: list[QLabel] = []
        form = QFormLayout()
        for position in range(POSITIONS):
            combo = QComboBox()
            combo.setMinimumContentsLength(18)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(lambda _i, p=position: self._chosen(p))
            _wrapping_popup(combo)
            label = QLabel(f"{position + 1}. {DEFAULT_AXES[position]}")
            form.addRow(label, combo)
            self.combos.append(combo)
            self.labels.append(label)
        self.result = QLabel("Choose the section to start.")
        self.result.setWordWrap(True)
        self.result.setObjectName("pcsResult")
        clear = QPushButton("Start again")
        clear.clicked.connect(self.clear)
        layout = QVBoxLayout(self)
        hint = QLabel("Only values that lead to valid codes are offered at each step.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(clear)
        layout.addStretch(1)
        self._filling = False
        self._fill(0)

    def prefix(self, upto: int = POSITIONS) -> str:
        """The characters chosen so far in positions before `upto` (stops at the first gap)."""
        chars = []
        for combo in self.combos[:upto]:
            value = combo.currentData()
            if not value:
                break
            chars.append(value)
        return "".join(chars)

    def choices(self, position: int) -> list[str]:
        """The values offered at `position` (1-7)."""
        combo = self.combos[position - 1]
        return [combo.itemData(i) for i in range(1, combo.count())]

    def select(self, position: int, value: str) -> bool:
        """Choose `value` at `position` (1-7); False when it is not a valid choice there."""
        combo = self.combos[position - 1]
        index = combo.findData(value.upper())
        if index < 1:
            return False
        combo.setCurrentIndex(index)
        return True

    def set_code(self, code: str) -> bool:
        """Fill all seven steps from a complete code (the browser follows the open code)."""
        self.clear()
        return all(self.select(position, char) for position, char in enumerate(code.upper()[:POSITIONS], 1))

    def clear(self) -> None:
        self.combos[0].setCurrentIndex(0)

    def _fill(self, index: int) -> None:
        """Offer the valid values for step `index` (0-based) and empty the steps after it."""
        self._filling = True
        try:
            for later in self.combos[index:]:
                later.clear()
                later.setEnabled(False)
            prefix = self.prefix(index)
            if index < POSITIONS and len(prefix) == index:
                step = self.codes.pcs_step(prefix)
                combo = self.combos[index]
                combo.addItem("Choose…", "")
                for value, meaning in step.choices:
                    combo.addItem(f"{value}  {meaning}", value)
                    combo.setItemData(combo.count() - 1, meaning, Qt.ItemDataRole.ToolTipRole)
                combo.setEnabled(bool(step.choices))
                self.labels[index].setText(f"{index + 1}. {step.axis}")
        finally:
            self._filling = False

    def _chosen(self, position: int) -> None:
        if self._filling:
            return
        if position + 1 < POSITIONS:
            self._fill(position + 1)
        code = self.prefix()
        if len(code) < POSITIONS:
            self.result.setText(f"So far: <b>{code or '-'}</b>; {POSITIONS - len(code)} more character(s).")
            return
        info = self.codes.lookup(code, CodeSystem.ICD10PCS)
        title = info.title if info is not None else "not a valid code"
        self.result.setText(f"Code: <b>{code}</b> — {title}")
        if info is not None:
            self.code_chosen.emit(code)


POPUP_WIDTH = 560  # pixels: long root-operation meanings wrap instead of spanning the screen


def _wrapping_popup(combo: QComboBox) -> None:
    """A drop-down list that wraps long meanings within a readable width."""
    view = QListView()
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    view.setUniformItemSizes(False)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    combo.setView(view)
    view.window().setMaximumWidth(POPUP_WIDTH)
