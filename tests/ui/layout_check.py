"""A reusable layout checker: no visible text clipped, no button hidden or covered.

It compares every visible widget's geometry with its own `sizeHint` (what it needs to
show its text), and every button with the visible area of its ancestors. Scroll areas
count as visible room: something the learner can scroll to is not hidden. Widgets that
ask to be elided (horizontal size policy Ignored) are skipped on width.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLabel,
    QSizePolicy,
    QTableView,
    QWidget,
)

TOLERANCE = 2  # pixels of rounding between a hint and the geometry a layout gives


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    text = text if len(text) < 50 else text[:47] + "…"
    return f"{type(widget).__name__}#{widget.objectName() or '-'} {text!r}"


def _clipped(widget: QWidget) -> str | None:
    size, hint = widget.size(), widget.sizeHint()
    policy = widget.sizePolicy().horizontalPolicy()
    if isinstance(widget, QLabel):
        if not widget.text().strip() or not widget.isVisible():
            return None
        if widget.wordWrap():
            need = widget.heightForWidth(size.width())
            if need > size.height() + TOLERANCE:
                return f"{_name(widget)} needs {need} px of height, has {size.height()}"
            return None
        if policy != QSizePolicy.Policy.Ignored and hint.width() > size.width() + TOLERANCE:
            return f"{_name(widget)} needs {hint.width()} px of width, has {size.width()}"
        if hint.height() > size.height() + TOLERANCE:
            return f"{_name(widget)} needs {hint.height()} px of height, has {size.height()}"
        return None
    if isinstance(widget, QAbstractButton) and not widget.text():
        return None  # an arrow or icon button (a tab bar's scroll arrows): no text to clip
    if isinstance(widget, (QAbstractButton, QComboBox)):
        need = widget.minimumSizeHint() if isinstance(widget, QComboBox) else hint
        if need.width() > size.width() + TOLERANCE or need.height() > size.height() + TOLERANCE:
            return f"{_name(widget)} needs {need.width()}x{need.height()}, has {size.width()}x{size.height()}"
    return None


def _hidden(widget: QWidget, window: QWidget) -> str | None:
    """A button outside the visible part of its ancestors (a scroll area's content counts)."""
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        grand = parent.parentWidget()
        if grand is not None and isinstance(grand.parentWidget(), QAbstractScrollArea):
            return None  # inside a scroll area's content: reachable by scrolling
        area = QRect(parent.mapTo(window, parent.rect().topLeft()), parent.size())
        if not area.contains(rect):
            return f"{_name(widget)} at {rect.getRect()} is cut off by {_name(parent)} {area.getRect()}"
        parent = grand
    return None


def _siblings_overlap(parent: QWidget) -> list[str]:
    found = []
    children = [c for c in parent.children() if isinstance(c, (QLabel, QAbstractButton, QComboBox))
                and c.isVisible() and not c.isWindow()]
    for i, first in enumerate(children):
        for second in children[i + 1:]:
            overlap = first.geometry().intersected(second.geometry())
            if overlap.width() > TOLERANCE and overlap.height() > TOLERANCE:
                found.append(f"{_name(first)} and {_name(second)} overlap")
    return found


def _table_columns(table: QTableView) -> list[str]:
    """Columns narrower than their contents, unless the column stretches or the table scrolls sideways."""
    header = table.horizontalHeader()
    model = table.model()
    if model is None or not header.isVisible():
        return []
    found = []
    for column in range(model.columnCount()):
        if header.isSectionHidden(column) or header.sectionResizeMode(column) == header.ResizeMode.Stretch:
            continue
        if column == model.columnCount() - 1 and header.stretchLastSection():
            continue
        need = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
        if need > header.sectionSize(column) + TOLERANCE:
            title = model.headerData(column, header.orientation())
            found.append(f"{_name(table)} column {title!r} needs {need} px, has {header.sectionSize(column)}")
    return found


def layout_problems(window: QWidget) -> list[str]:
    """Everything clipped, cut off or overlapping among the window's visible widgets."""
    # Widgets a page replaced are deleted later; they are not on screen, so do it now.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    problems: list[str] = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible() or (widget.isWindow() and widget is not window):
            continue
        problem = _clipped(widget)
        if isinstance(widget, QAbstractButton) and problem is None:
            problem = _hidden(widget, window)
        if problem:
            problems.append(problem)
        if isinstance(widget, QTableView):
            problems += _table_columns(widget)
        problems += _siblings_overlap(widget)
    return problems
