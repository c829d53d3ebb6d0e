"""The dashboard: readiness, and five charts each with the table it is drawn from.

Charts are pyqtgraph (it runs on PySide6-Essentials); every chart has a plain table next
to it, so a screen reader gets the same figures. Passive: `show_dashboard` draws a
`DashboardData`; the report buttons emit signals for the study controller.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.dashboard import DashboardData, area_weeks, calendar_grid

pg.setConfigOptions(antialias=True, background="w", foreground="k")
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39")
ALL_AREAS = "All CPC areas together"
CHARTS = ("Accuracy by CPC area", "Study calendar", "30-day forecast", "True retention", "Time per item")


def _stamp(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def _plot(title: str, left: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
    plot.setTitle(title)
    plot.setLabel("left", left)
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setMinimumHeight(220)
    plot.setAccessibleName(f"Chart: {title} (the table beside it has the same figures)")
    return plot


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setAccessibleName(f"Table: {name}")
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


class DashboardPage(QWidget):
    pdf_requested = Signal()
    csv_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(self._readiness_box())
        layout.addWidget(self._chart_tabs(), 1)

    def _readiness_box(self) -> QGroupBox:
        self.readiness_label = QLabel()
        self.readiness_label.setWordWrap(True)
        self.readiness_label.setObjectName("bigFigure")
        self.totals_label = QLabel()
        pdf = QPushButton("Save progress report as PDF…")
        pdf.clicked.connect(self.pdf_requested.emit)
        csv_button = QPushButton("Save attempts as CSV…")
        csv_button.clicked.connect(self.csv_requested.emit)
        top = QGroupBox("Readiness")
        top_layout = QVBoxLayout(top)
        top_layout.addWidget(self.readiness_label)
        row = QHBoxLayout()
        row.addWidget(self.totals_label, 1)
        row.addWidget(pdf)
        row.addWidget(csv_button)
        top_layout.addLayout(row)
        return top

    def _chart_tabs(self) -> QTabWidget:
        """One tab per chart: the plot and, beside it, the table it is drawn from."""
        self.plots = {
            "accuracy": _plot(CHARTS[0], "accuracy %"), "calendar": pg.PlotWidget(),
            "forecast": _plot(CHARTS[2], "reviews"), "retention": _plot(CHARTS[3], "recalled %"),
            "time": _plot(CHARTS[4], "seconds per answer"),
        }
        self.plots["calendar"].setTitle(CHARTS[1])
        self.plots["calendar"].setAccessibleName(f"Chart: {CHARTS[1]} (the table beside it has the same figures)")
        self.tables = {
            "accuracy": _table(["Week", "Area", "Answers", "Accuracy"], CHARTS[0]),
            "calendar": _table(["Day", "Answers"], CHARTS[1]),
            "forecast": _table(["Day", "Due (FSRS)", "Planned (within the cap)"], CHARTS[2]),
            "retention": _table(["Week", "Mature first reviews", "Recalled", "Desired"], CHARTS[3]),
            "time": _table(["Week", "Timed answers", "Seconds per answer"], CHARTS[4]),
        }
        self.area = QComboBox()
        self.area.setAccessibleName("Area shown in the accuracy chart")
        self.area.currentIndexChanged.connect(lambda _i: self._draw_accuracy())
        self._series: dict[str, list[tuple[date, int, float]]] = {}
        self.tabs = QTabWidget()
        for key, title in zip(self.plots, CHARTS, strict=True):
            split = QSplitter(Qt.Orientation.Horizontal)
            if key == "accuracy":
                holder = QWidget()
                column = QVBoxLayout(holder)
                column.setContentsMargins(0, 0, 0, 0)
                column.addWidget(self.area)
                column.addWidget(self.plots[key], 1)
                split.addWidget(holder)
            else:
                split.addWidget(self.plots[key])
            split.addWidget(self.tables[key])
            split.setSizes([640, 320])
            self.tabs.addTab(split, title)
        return self.tabs

    def show_dashboard(self, data: DashboardData) -> None:
        self.readiness_label.setText(data.readiness.sentence())
        answers, accuracy, days = data.totals
        self.totals_label.setText(f"{answers} answers on {days} study day{'s' if days != 1 else ''}; "
                                  f"accuracy {accuracy:.0%}." if answers else "No answers yet.")
        self._accuracy(data)
        self._calendar(data)
        self._forecast(data)
        self._retention(data)
        self._time(data)

    def _accuracy(self, data: DashboardData) -> None:
        """Fill the area list and the table; the chart shows one area, or all areas together."""
        self._series = area_weeks(data.accuracy)
        overall: dict[date, list[float]] = {}
        for weeks in self._series.values():
            for week, answers, share in weeks:
                entry = overall.setdefault(week, [0, 0.0])
                entry[0] += answers
                entry[1] += answers * share
        self._series[ALL_AREAS] = [(w, int(n), c / n if n else 0.0) for w, (n, c) in sorted(overall.items())]
        current = self.area.currentText() or ALL_AREAS
        self.area.blockSignals(True)
        self.area.clear()
        self.area.addItems([ALL_AREAS] + sorted(k for k in self._series if k != ALL_AREAS))
        self.area.setCurrentIndex(max(0, self.area.findText(current)))
        self.area.blockSignals(False)
        rows = [[w.isoformat(), label, str(k), f"{a:.0%}"] for label, weeks in self._series.items()
                if label != ALL_AREAS for w, k, a in weeks]
        _fill(self.tables["accuracy"], sorted(rows))
        self._draw_accuracy()

    def _draw_accuracy(self) -> None:
        plot = self.plots["accuracy"]
        plot.clear()
        weeks = self._series.get(self.area.currentText(), [])
        plot.plot([_stamp(w) for w, _, _ in weeks], [100 * a for _, _, a in weeks],
                  pen=pg.mkPen(COLOURS[0], width=2), symbol="o", symbolSize=6, symbolBrush=COLOURS[0])
        plot.setTitle(f"{CHARTS[0]}: {self.area.currentText()}")
        plot.setYRange(0, 100)

    def _calendar(self, data: DashboardData) -> None:
        plot = self.plots["calendar"]
        plot.clear()
        grid, first_monday = calendar_grid(data.calendar)
        if grid:
            image = pg.ImageItem(np.array(grid, dtype=float))
            image.setColorMap(pg.colormap.get("CET-L18"))
            plot.addItem(image)
            plot.getAxis("left").setTicks([[(i + 0.5, d) for i, d in enumerate("MTWTFSS")]])
            plot.getAxis("bottom").setLabel(f"weeks from {first_monday.isoformat()}")
        plot.invertY(True)
        _fill(self.tables["calendar"], [[d.isoformat(), str(n)] for d, n in reversed(data.calendar)])

    def _forecast(self, data: DashboardData) -> None:
        plot = self.plots["forecast"]
        plot.clear()
        xs = [_stamp(d) for d, _, _ in data.forecast]
        plot.addItem(pg.BarGraphItem(x=xs, height=[n for _, n, _ in data.forecast], width=60000, brush="#9ecae1"))
        plot.plot(xs, [p for _, _, p in data.forecast], pen=pg.mkPen("#08519c", width=2), name="planned")
        _fill(self.tables["forecast"], [[d.isoformat(), str(n), str(p)] for d, n, p in data.forecast])

    def _retention(self, data: DashboardData) -> None:
        plot = self.plots["retention"]
        plot.clear()
        plot.plot([_stamp(w) for w, _, _ in data.retention], [100 * r for _, _, r in data.retention],
                  pen=pg.mkPen("#2ca02c", width=2), symbol="o", symbolSize=6)
        plot.addItem(pg.InfiniteLine(pos=100 * data.desired_retention, angle=0,
                                     pen=pg.mkPen("#d62728", style=Qt.PenStyle.DashLine),
                                     label=f"desired {data.desired_retention:.0%}"))
        plot.setYRange(50, 100)
        _fill(self.tables["retention"], [[w.isoformat(), str(n), f"{r:.0%}", f"{data.desired_retention:.0%}"]
                                         for w, n, r in data.retention])

    def _time(self, data: DashboardData) -> None:
        plot = self.plots["time"]
        plot.clear()
        xs = [_stamp(w) for w, _, _ in data.time_per_item]
        plot.addItem(pg.BarGraphItem(x=xs, height=[s for _, _, s in data.time_per_item], width=5 * 86400,
                                     brush="#fdae6b"))
        _fill(self.tables["time"], [[w.isoformat(), str(n), f"{s:.0f}"] for w, n, s in data.time_per_item])

    def table_rows(self, key: str) -> list[list[str]]:
        table = self.tables[key]
        return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
