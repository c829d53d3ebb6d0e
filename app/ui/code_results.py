"""The code browser's search results: the list, "did you mean", and paging ("show more" / "show all").

Passive: it lists the hits it is given and reports clicks as signals; the browser asks the
code set. A search stops at a page of results, so a wide prefix ("S52.5", hundreds of
codes) would otherwise never reach its last codes (S52.521A): "Show more" asks for the
next page, "Show all" for everything up to `ALL_LIMIT`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from app.core.codeset import CodeSystem

if TYPE_CHECKING:
    from app.codesets.forgiving import Found

NODE_ROLE = Qt.ItemDataRole.UserRole
PAGE_SIZE = 60
ALL_LIMIT = 10_000  # "Show all" stops here: no query a learner types needs more in a list
SHORT_LABELS = {
    CodeSystem.ICD10CM: "", CodeSystem.ICD10PCS: "PCS", CodeSystem.HCPCS: "HCPCS", CodeSystem.CPT: "CPT",
}


class ResultsPane(QWidget):
    """The list of hits with the "did you mean" line above it and the paging buttons below."""

    more_requested = Signal(int)  # the new limit
    suggestion_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.limit = PAGE_SIZE
        self.list = QListWidget()
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName("Search results")
        self.note = QLabel()
        self.note.setObjectName("pageHint")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.RichText)
        self.note.linkActivated.connect(self.suggestion_chosen.emit)
        self.note.hide()
        self.more = QPushButton(f"Show {PAGE_SIZE * 3} more")
        self.all = QPushButton("Show all")
        self.more.clicked.connect(lambda: self.more_requested.emit(self.limit + PAGE_SIZE * 3))
        self.all.clicked.connect(lambda: self.more_requested.emit(ALL_LIMIT))
        buttons = QHBoxLayout()
        buttons.addWidget(self.more)
        buttons.addWidget(self.all)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._show_paging(False)

    def clear(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.list.blockSignals(False)
        self.note.hide()
        self._show_paging(False)

    def show_found(self, found: Found, query: str, limit: int) -> None:
        """List the hits (keeping the selected row when a page is added) and say how they were found."""
        row = self.list.currentRow() if limit > self.limit else -1
        self.limit = limit
        self.list.blockSignals(True)
        self.list.clear()
        for hit in found.hits:
            mark = "✓" if hit.billable else "·"
            where = f"{SHORT_LABELS[hit.system]} " if hit.system is not CodeSystem.ICD10CM else ""
            item = QListWidgetItem(f"{mark} {where}{hit.code}   {hit.title}", self.list)
            item.setData(NODE_ROLE, (hit.code, hit.system.value))
            kind = "billable" if hit.billable else "not billable (header)"
            item.setToolTip(f"{hit.system.label} {hit.code}: {hit.title}\n{kind}")
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self._note(found, query)
        self._show_paging(len(found.hits) >= limit and limit < ALL_LIMIT)

    def row_of(self, code: str, system: CodeSystem) -> int:
        for index in range(self.list.count()):
            if self.list.item(index).data(NODE_ROLE) == (code, system.value):
                return index
        return -1

    def select_quietly(self, row: int) -> None:
        """Select a row (or none, -1) without reopening its code."""
        self.list.blockSignals(True)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)

    def _note(self, found: Found, query: str) -> None:
        if found.suggestion and not found.partial:
            text = (f"Nothing matches “{escape(query)}”. Did you mean "
                    f"<a href=\"{escape(found.suggestion)}\">{escape(found.suggestion)}</a>? Showing its results.")
        elif found.partial:
            said = f"“{escape(found.suggestion)}”" if found.suggestion else f"“{escape(query)}”"
            text = f"No code has every word of {said}; showing codes with some of them."
        else:
            self.note.hide()
            return
        self.note.setText(text)
        self.note.show()

    def _show_paging(self, visible: bool) -> None:
        self.more.setVisible(visible)
        self.all.setVisible(visible)
