"""The author view: open a bank, filter its items, edit them with a live preview and checks.

`AuthorPage` is the passive view. `BankEditor` is its controller: it owns the open
`BankDocument`, the undo stack and the live check (the same checker as `medcode bank
check`), and is wired by the composition root like every other controller.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.content.bank_document import BankDocument
from app.content.render import LESSON_CSS, markdown_to_html
from app.core.problems import Problem, Severity
from app.ui.item_form import CHOICE_TYPES, ItemForm

TYPES = ("single_choice", "multiple_response", "true_false", "numeric", "matching", "short_answer", "coding_case")


def preview_html(item: dict) -> str:  # type: ignore[type-arg]
    """The item roughly as the learner sees it, then the rationale they see after answering."""
    parts = [f"<p class='meta'>{escape(str(item.get('type', '')).replace('_', ' '))}"
             f" · {escape(str(item.get('topic', '')))}</p>", markdown_to_html(str(item.get("stem", "")))]
    kind = item.get("type")
    if kind == "coding_case":
        parts.append("<h4>Record</h4>" + markdown_to_html(str(item.get("note", ""))))
    if kind in CHOICE_TYPES:
        rows = [f"<li>{escape(str(o.get('text', '')))}{' ✔' if o.get('correct') else ''}</li>"
                for o in item.get("options") or [] if isinstance(o, dict)]
        parts.append("<ol>" + "".join(rows) + "</ol>")
    if kind == "matching":
        rows = [f"<tr><td>{escape(str(p.get('prompt', '')))}</td><td>{escape(str(p.get('answer', '')))}</td></tr>"
                for p in item.get("pairs") or [] if isinstance(p, dict)]
        parts.append("<table>" + "".join(rows) + "</table>")
    parts.append("<h4>Rationale (shown after answering)</h4>" + markdown_to_html(str(item.get("rationale", ""))))
    return f"<style>{LESSON_CSS}</style>" + "".join(parts)


class AuthorPage(QWidget):
    open_requested = Signal()
    new_requested = Signal()
    save_requested = Signal()
    item_selected = Signal(int)
    add_requested = Signal(str)
    delete_requested = Signal(int)

    def __init__(self, lesson_ids: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.form = ItemForm(lesson_ids)
        self.items, self.filter, self.type_filter = QListWidget(), QLineEdit(), QComboBox()
        self.filter.setPlaceholderText("Filter items by id or text…")
        self.type_filter.addItems(["all types", *TYPES])
        self.preview, self.problems = QTextBrowser(), QListWidget()
        self.preview.setOpenLinks(False)
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)  # whole messages, not one clipped line each
        self.problems.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.problems.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.file_label, self.status = QLabel("No bank open"), QLabel()
        self.open_button, self.save_button = QPushButton("Open bank…"), QPushButton("Save")
        self.new_button = QPushButton("New bank…")
        self.undo_button, self.redo_button = QPushButton("Undo"), QPushButton("Redo")
        self.new_type, self.add_button, self.delete_button = QComboBox(), QPushButton("Add"), QPushButton("Delete")
        self.new_type.addItems(list(TYPES))
        # The file's path can be long: it is cut short (full path in the tooltip) rather than
        # widening the page beyond an 800-pixel window.
        self.file_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.file_label.setMinimumWidth(60)
        self._layout()
        self.open_button.clicked.connect(self.open_requested.emit)
        self.new_button.clicked.connect(self.new_requested.emit)
        self.save_button.clicked.connect(self.save_requested.emit)
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.new_type.currentText()))
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.current_index()))
        self.items.currentItemChanged.connect(lambda cur, _: cur is not None and self.item_selected.emit(cur.data(Qt.ItemDataRole.UserRole)))
        self.filter.textChanged.connect(lambda _: self._apply_filter())
        self.type_filter.currentTextChanged.connect(lambda _: self._apply_filter())
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_requested.emit)

    def _layout(self) -> None:
        top = QHBoxLayout()
        for widget in (self.open_button, self.new_button, self.save_button, self.undo_button, self.redo_button):
            top.addWidget(widget)
        top.addWidget(self.file_label, 1)
        top.addWidget(self.status)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.type_filter)
        left_layout.addWidget(self.items, 1)
        left_layout.addWidget(self.new_type)  # on its own row: the left column stays narrow
        adder = QHBoxLayout()
        for widget in (self.add_button, self.delete_button):
            adder.addWidget(widget)
        left_layout.addLayout(adder)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.preview)
        right.addWidget(self.problems)
        split = QSplitter()
        split.setChildrenCollapsible(False)  # no column collapses to a sliver at 800 px
        for widget, stretch, least in ((left, 1, 0), (scroll, 3, 280), (right, 2, 120)):
            if least:
                widget.setMinimumWidth(least)
            split.addWidget(widget)
            split.setStretchFactor(split.count() - 1, stretch)
        self.editing = [left, scroll, right]
        self.empty_hint = QLabel("<b>Open or create a bank</b> to edit its items: "
                                 "<b>Open bank…</b> or <b>New bank…</b> above.")
        self.empty_hint.setObjectName("pageHint")
        self.empty_hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_hint)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.set_editable(False)

    def set_editable(self, editable: bool) -> None:
        """With no bank open nothing can be edited, saved or added, and the page says why."""
        for widget in [*self.editing, self.save_button]:
            widget.setEnabled(editable)
        self.empty_hint.setVisible(not editable)
        if not editable:
            self.file_label.setText("No bank open")
            self.preview.clear()
            self.items.clear()

    def show_items(self, rows: list[tuple[int, str, str, str]], select: int | None) -> None:
        """rows: (index, id, type, search text)."""
        self.items.blockSignals(True)
        self.items.clear()
        for index, item_id, kind, text in rows:
            entry = QListWidgetItem(f"{item_id}  ·  {kind.replace('_', ' ')}")
            entry.setData(Qt.ItemDataRole.UserRole, index)
            entry.setData(Qt.ItemDataRole.UserRole + 1, f"{item_id} {kind} {text}".lower())
            entry.setData(Qt.ItemDataRole.UserRole + 2, kind)
            self.items.addItem(entry)
            if index == select:
                self.items.setCurrentItem(entry)
        self.items.blockSignals(False)
        self._apply_filter()

    def _apply_filter(self) -> None:
        words, kind = self.filter.text().lower().split(), self.type_filter.currentText()
        for row in range(self.items.count()):
            entry = self.items.item(row)
            text = entry.data(Qt.ItemDataRole.UserRole + 1)
            visible = all(w in text for w in words) and kind in ("all types", entry.data(Qt.ItemDataRole.UserRole + 2))
            entry.setHidden(not visible)

    def visible_ids(self) -> list[str]:
        return [self.items.item(r).text().split()[0] for r in range(self.items.count()) if not self.items.item(r).isHidden()]

    def current_index(self) -> int:
        entry = self.items.currentItem()
        return int(entry.data(Qt.ItemDataRole.UserRole)) if entry is not None else -1

    def select_index(self, index: int) -> None:
        for row in range(self.items.count()):
            if self.items.item(row).data(Qt.ItemDataRole.UserRole) == index:
                self.items.setCurrentRow(row)
                return

    def show_problems(self, problems: list[Problem]) -> None:
        self.problems.clear()
        for problem in problems:
            entry = QListWidgetItem(str(problem))
            entry.setForeground(Qt.GlobalColor.darkYellow if problem.severity is Severity.WARNING else Qt.GlobalColor.red)
            self.problems.addItem(entry)
        if not problems:
            self.problems.addItem(QListWidgetItem("No problems found."))

    def problem_texts(self) -> list[str]:
        return [self.problems.item(r).text() for r in range(self.problems.count())]
