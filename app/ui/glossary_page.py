"""The glossary page: medical word parts and terms, searchable. Passive: the controller fills it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.glossary import GlossaryEntry

COLUMNS = ("Term", "Kind", "Meaning", "Built from", "Body system")


class GlossaryPage(QWidget):
    search_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search terms, word parts and meanings (for example: card, inflammation)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.search_changed)
        self.count = QLabel()
        self.count.setObjectName("pageHint")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)

    def show_entries(self, entries: list[GlossaryEntry], total: int) -> None:
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (entry.term, entry.kind.value, entry.meaning, " + ".join(entry.parts), entry.system)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        shown = f"{len(entries)} of {total} entries" if len(entries) != total else f"{total} entries"
        self.count.setText(shown if entries else "No entry matches. Try a shorter word or a word part.")

    def rows(self) -> list[str]:
        """The terms shown, in order (for tests and screen readers' summaries)."""
        return [self.table.item(row, 0).text() for row in range(self.table.rowCount())]
