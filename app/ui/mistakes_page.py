"""The mistake log: every wrong or partly wrong answer with its verdicts, filtered.

Passive: the filters emit `filter_changed`; the study controller queries the store and
calls `show_mistakes`. "Practise these again" emits `practise_requested`.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.topics import topic_label
from app.core.mistakes import Mistake, MistakeFilter

PERIODS = (("Any time", None), ("Today", 0), ("Last 7 days", 6), ("Last 30 days", 29), ("Last 90 days", 89))


class MistakesPage(QWidget):
    filter_changed = Signal()
    practise_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.verdict = QComboBox()
        self.verdict.setAccessibleName("Verdict")
        self.topic = QComboBox()
        self.topic.setAccessibleName("Topic")
        self.period = QComboBox()
        self.period.setAccessibleName("Date")
        for label, days in PERIODS:
            self.period.addItem(label, days)
        for box in (self.verdict, self.topic, self.period):
            box.currentIndexChanged.connect(lambda _i: self.filter_changed.emit())
        filters = QHBoxLayout()
        for caption, box in (("Verdict:", self.verdict), ("Topic:", self.topic), ("When:", self.period)):
            filters.addWidget(QLabel(caption))
            filters.addWidget(box, 1)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["When", "Item", "Topic", "Score", "Verdicts"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel()
        self.practise = QPushButton("Practise these again")
        self.practise.clicked.connect(self.practise_requested.emit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.practise)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def set_choices(self, verdicts: list[str], topics: list[str]) -> None:
        """Fill the verdict and topic lists, keeping what was chosen if it is still there."""
        for box, values, label in ((self.verdict, verdicts, lambda v: v.replace("_", " ")),
                                   (self.topic, topics, topic_label)):
            current = box.currentData() or ""
            box.blockSignals(True)
            box.clear()
            box.addItem("All", "")
            for value in values:
                box.addItem(label(value), value)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)

    def current_filter(self, today: date) -> MistakeFilter:
        days = self.period.currentData()
        since = today - timedelta(days=days) if days is not None else None
        return MistakeFilter(self.verdict.currentData() or "", self.topic.currentData() or "", since, None)

    def show_mistakes(self, mistakes: list[Mistake]) -> None:
        self.table.setRowCount(len(mistakes))
        for row, m in enumerate(mistakes):
            values = [m.answered_at[:16].replace("T", " "), m.key, topic_label(m.topic),
                      f"{m.score:g} / {m.max_score:g}", ", ".join(v.replace("_", " ") for v in m.verdicts)]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.count_label.setText(f"{len(mistakes)} mistake{'s' if len(mistakes) != 1 else ''} shown")
        self.practise.setEnabled(bool(mistakes))

    def rows(self) -> list[list[str]]:
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]
