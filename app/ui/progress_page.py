"""Progress: lessons read, items answered, accuracy per topic, recent answers.

Students see item titles and topic names; the instructor's item statistics (facility,
options chosen) are behind a toggle. Double-clicking a recent answer asks to open it
with its feedback (`answer_opened`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from PySide6.QtCore import Qt, Signal

from app.core.progress import ProgressSummary
from app.core.topics import topic_label

ATTEMPT_ROLE = Qt.ItemDataRole.UserRole


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # no clipped "When" column
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


class ProgressPage(QWidget):
    export_requested = Signal()
    answer_opened = Signal(int)  # attempt id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.lessons_label = QLabel()
        self.items_label = QLabel()
        self.accuracy_label = QLabel()
        for label in (self.lessons_label, self.items_label, self.accuracy_label):
            label.setObjectName("bigFigure")
        self.answers_label = QLabel()  # "(14 answers)" under the big figure, not beside it
        figures = QGridLayout()
        figures.setHorizontalSpacing(24)
        for column, (caption, label) in enumerate(
            (("Lessons read", self.lessons_label), ("Items answered", self.items_label),
             ("Accuracy", self.accuracy_label))
        ):
            figures.addWidget(QLabel(caption), 0, column)
            figures.addWidget(label, 1, column)
            figures.setColumnStretch(column, 1)
        figures.addWidget(self.answers_label, 2, 1)
        self.topics = _table(["Topic", "Answers", "Items", "Accuracy"])
        self.recent = _table(["Item", "Topic", "Score", "Time", "When"])
        self.recent.setToolTip("Double-click an answer to see it again with its feedback.")
        self.recent.cellDoubleClicked.connect(self._open_row)
        self.items = _table(["Item", "Type", "Responses", "Facility", "Options chosen"])
        self.export = QPushButton("Export my results…")
        self.export.clicked.connect(self.export_requested.emit)
        topics_box = QGroupBox("By topic")
        QVBoxLayout(topics_box).addWidget(self.topics)
        recent_box = QGroupBox("Recent answers")
        QVBoxLayout(recent_box).addWidget(self.recent)
        layout = QVBoxLayout(self)
        layout.addLayout(figures)
        layout.addWidget(topics_box, 1)
        layout.addWidget(recent_box, 1)
        self.statistics = QCheckBox("Show item statistics (for instructors)")
        self.items_box = QGroupBox("Item statistics: first attempts, as in the result export")
        QVBoxLayout(self.items_box).addWidget(self.items)
        self.items_box.setVisible(False)
        self.statistics.toggled.connect(self.items_box.setVisible)
        layout.addWidget(self.statistics)
        layout.addWidget(self.items_box, 1)
        layout.addWidget(self.export)
        self._titles: dict[str, str] = {}

    def set_titles(self, titles: dict[str, str]) -> None:
        """Item id -> the title a student recognises (the item's title or its first words)."""
        self._titles = dict(titles)

    def _title(self, item_id: str) -> str:
        return self._titles.get(item_id, item_id)

    def _open_row(self, row: int, _column: int) -> None:
        cell = self.recent.item(row, 0)
        if cell is not None and cell.data(ATTEMPT_ROLE) is not None:
            self.answer_opened.emit(int(cell.data(ATTEMPT_ROLE)))

    def show_summary(self, summary: ProgressSummary) -> None:
        self.lessons_label.setText(f"{summary.lessons_read} of {summary.lessons_total}")
        self.items_label.setText(f"{summary.items_answered} of {summary.items_total}")
        self.answers_label.setText(f"{summary.attempts} answer{'' if summary.attempts == 1 else 's'} in all")
        self.accuracy_label.setText(f"{summary.accuracy:.0%}" if summary.attempts else "—")
        _fill(self.topics, [
            [t.label, str(t.attempts), str(t.items), f"{t.accuracy:.0%}"] for t in summary.topics
        ])
        _fill(self.recent, [
            [self._title(a.item_id), topic_label(a.topic), f"{a.score:g} / {a.max_score:g}", f"{a.seconds:.0f} s",
             a.answered_at.astimezone().strftime("%Y-%m-%d %H:%M")]
            for a in summary.recent
        ])
        for row, attempt in enumerate(summary.recent):
            self.recent.item(row, 0).setData(ATTEMPT_ROLE, attempt.id)
            self.recent.item(row, 0).setToolTip(attempt.item_id)

    def show_items(self, stats: list) -> None:  # type: ignore[type-arg]
        """Per-item figures (app.core.item_stats.ItemStatistics), the same as `stats items`."""
        _fill(self.items, [
            [s.key, s.type.replace("_", " "), str(s.responses), f"{s.facility:.1f}%",
             ", ".join(f"{n}×{text[:24]}" for text, n, _ in s.options if n)]
            for s in stats
        ])

    def item_rows(self) -> list[list[str]]:
        return [[self.items.item(r, c).text() for c in range(self.items.columnCount())]
                for r in range(self.items.rowCount())]

    def recent_item_ids(self) -> list[str]:
        return [self.recent.item(row, 0).toolTip() for row in range(self.recent.rowCount())]

    def recent_titles(self) -> list[str]:
        return [self.recent.item(row, 0).text() for row in range(self.recent.rowCount())]
