"""The progress report as PDF: summary, charts and the per-area table (QPdfWriter + QTextDocument).

Charts are drawn with QPainter into images, so the report needs only QtGui: it works in the
GUI and headless (`medcode report`, offscreen). Page 1 has the summary and the charts, page
2 the per-area table and the readiness detail, so an instructor can file it as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen, QTextDocument

from app.core.dashboard import DashboardData, area_weeks
from app.core.readiness import MINIMUM_ANSWERED

CHART_SIZE = (900, 300)


def _bars(title: str, labels: Sequence[str], values: Sequence[float], top: float, unit: str) -> QImage:
    """A simple labelled bar chart, enough for paper."""
    width, height = CHART_SIZE
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(QFont("Sans", 11))
    painter.drawText(QRectF(0, 0, width, 28), Qt.AlignmentFlag.AlignCenter, title)
    left, bottom, plot_h = 60, height - 40, height - 80
    painter.setPen(QPen(QColor("#444444")))
    painter.drawLine(left, bottom, width - 10, bottom)
    painter.drawText(QRectF(0, 30, left - 6, 20), Qt.AlignmentFlag.AlignRight, f"{top:g}{unit}")
    painter.drawText(QRectF(0, bottom - 10, left - 6, 20), Qt.AlignmentFlag.AlignRight, f"0{unit}")
    count = max(1, len(values))
    slot = (width - left - 20) / count
    painter.setFont(QFont("Sans", 7))
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar_h = plot_h * min(1.0, value / top) if top else 0
        x = left + index * slot + slot * 0.15
        painter.fillRect(QRectF(x, bottom - bar_h, slot * 0.7, bar_h), QColor("#3182bd"))
        if count <= 16 or index % max(1, count // 10) == 0:
            painter.drawText(QRectF(x - slot, bottom + 4, slot * 2.7, 30), Qt.AlignmentFlag.AlignHCenter, label)
    painter.end()
    return image


def chart_images(data: DashboardData) -> dict[str, QImage]:
    """The report's charts: accuracy per area, the forecast and the weekly study time."""
    areas = [(label, weeks[-1][2]) for label, weeks in sorted(area_weeks(data.accuracy).items())]
    return {
        "areas": _bars("Latest weekly accuracy by CPC area (%)", [a[:14] for a, _ in areas],
                       [100 * v for _, v in areas], 100, "%"),
        "forecast": _bars("Reviews planned for the next 30 days", [d.strftime("%d %b") for d, _, _ in data.forecast],
                          [p for _, _, p in data.forecast], max([1] + [p for _, _, p in data.forecast]), ""),
        "time": _bars("Seconds per answer, by week", [w.strftime("%d %b") for w, _, _ in data.time_per_item],
                      [s for _, _, s in data.time_per_item], max([1.0] + [s for _, _, s in data.time_per_item]), " s"),
    }


def report_html(name: str, data: DashboardData, today: date) -> str:
    answers, accuracy, days = data.totals
    rows = "".join(
        f"<tr><td>{escape(label)}</td><td align='right'>{n}</td><td align='right'>{(f'{acc:.0%}' if n else '—')}</td>"
        f"<td align='right'>{ability.theta:+.2f} ± {ability.sd:.2f}</td></tr>"
        for (label, n, acc), ability in zip(data.area_rows, data.readiness.areas, strict=True)
    )
    return f"""<html><body style="font-family: sans-serif">
<h1>Progress report: {escape(name)}</h1>
<p>MedCode Tutor, {today.isoformat()}</p>
<h2>Summary</h2>
<p>{answers} answers on {days} study days; overall accuracy {accuracy:.0%}.</p>
<p><b>Readiness.</b> {escape(data.readiness.sentence())}</p>
<h2>Charts</h2>
<p><img src="chart://areas" width="600"></p>
<p><img src="chart://forecast" width="600"></p>
<p><img src="chart://time" width="600"></p>
<h2 style="page-break-before: always">Per-area table (CPC blueprint)</h2>
<table border="1" cellspacing="0" cellpadding="4" width="100%">
<tr><th>Area</th><th>Answers</th><th>Accuracy</th><th>Ability (EAP, logits)</th></tr>
{rows}
</table>
<p>Ability is the Rasch estimate per area (docs/readiness.md); 0 is an average item.
The readiness estimate is shown once {MINIMUM_ANSWERED} items of the CPC areas have been answered.</p>
</body></html>"""


def write_pdf(path: Path, name: str, data: DashboardData, today: date) -> None:
    """Write the report; the file appears only when complete (written beside it, then renamed)."""
    partial = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(partial))
    writer.setTitle(f"Progress report: {name}")
    writer.setCreator("MedCode Tutor")
    writer.setResolution(150)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    document = QTextDocument()
    for key, image in chart_images(data).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart://{key}"), image)
    document.setHtml(report_html(name, data, today))
    document.setPageSize(QSizeF(writer.width(), writer.height()))
    document.print_(writer)
    del writer
    partial.replace(path)
