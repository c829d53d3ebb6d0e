"""The author view's form for one item of any type.

The form works on plain dicts in the bank's YAML shape. `load(item)` fills the fields;
`values(original)` returns the edited item, starting from the original dict so that keys
the form does not show (ids of alternatives, extra notes) are kept as they were.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.topics import TOPICS

DIFFICULTIES = ("easy", "medium", "hard")
CHOICE_TYPES = ("single_choice", "multiple_response")
Column = tuple[str, str, str]  # (key, header, kind: text | bool | number | list)

OPTION_COLUMNS: list[Column] = [("text", "Option", "text"), ("correct", "Right", "bool"),
                                ("weight", "Weight %", "number"), ("feedback", "Feedback", "text")]
NUMERIC_COLUMNS: list[Column] = [("value", "Value", "number"), ("tolerance", "Tolerance", "number"),
                                 ("weight", "Weight", "number"), ("feedback", "Feedback", "text")]
PAIR_COLUMNS: list[Column] = [("prompt", "Prompt", "text"), ("answer", "Answer", "text")]
SHORT_COLUMNS: list[Column] = [("text", "Accepted answer", "text"), ("weight", "Weight %", "number"),
                               ("feedback", "Feedback", "text")]
LINE_COLUMNS: list[Column] = [("code_set", "Code set", "text"), ("code", "Code (A | B for alternatives)", "text"),
                              ("first", "First", "bool"), ("optional", "Optional", "bool"),
                              ("modifiers", "Modifiers", "list"), ("units", "Units", "number"),
                              ("comment", "Comment", "text")]
FORBIDDEN_COLUMNS: list[Column] = [("code_set", "Code set", "text"), ("code", "Must not report", "text"),
                                   ("reason", "Reason", "text")]


def _number(text: str) -> int | float | str:
    try:
        value = float(text)
    except ValueError:
        return text  # left for the checker to report, never silently dropped
    return int(value) if value.is_integer() else value


class RowsTable(QWidget):
    """An editable table of dict rows with add/remove buttons."""

    changed = Signal()

    def __init__(self, columns: list[Column], title: str):
        super().__init__()
        self.columns = columns
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels([c[1] for c in columns])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # follows the text size
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(150)  # room for a few rows without scrolling
        self.table.itemChanged.connect(lambda _: self.changed.emit())
        add, remove = QPushButton("Add row"), QPushButton("Remove row")
        add.clicked.connect(self.add_row)
        remove.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        inner.addWidget(self.table)
        inner.addLayout(buttons)
        QVBoxLayout(self).addWidget(box)
        self.layout().setContentsMargins(0, 0, 0, 0)

    def _cell(self, kind: str, value: object) -> QTableWidgetItem:
        if kind == "bool":
            cell = QTableWidgetItem()
            cell.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            cell.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
            return cell
        if kind == "list" and isinstance(value, list):
            # modifier alternatives ([["59", "XS"]]) are shown and edited as "59|XS", which the loader reads too
            return QTableWidgetItem(", ".join("|".join(map(str, v)) if isinstance(v, list) else str(v) for v in value))
        return QTableWidgetItem("" if value is None else str(value))

    def set_rows(self, rows: list[dict]) -> None:  # type: ignore[type-arg]
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, (key, _, kind) in enumerate(self.columns):
                self.table.setItem(r, c, self._cell(kind, row.get(key)))
        self.table.blockSignals(False)

    def rows(self) -> list[dict]:  # type: ignore[type-arg]
        found = []
        for r in range(self.table.rowCount()):
            row: dict[str, object] = {}
            for c, (key, _, kind) in enumerate(self.columns):
                cell = self.table.item(r, c)
                if kind == "bool":
                    if cell is not None and cell.checkState() == Qt.CheckState.Checked:
                        row[key] = True
                    continue
                text = cell.text().strip() if cell is not None else ""
                if text:
                    row[key] = (_number(text) if kind == "number"
                                else [p.strip() for p in text.split(",") if p.strip()] if kind == "list" else text)
            if row:
                found.append(row)
        return found

    def add_row(self) -> None:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for c, (_, _, kind) in enumerate(self.columns):
            self.table.setItem(row, c, self._cell(kind, None))
        self.table.blockSignals(False)
        self.table.setCurrentCell(row, 0)

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def set_text(self, row: int, column_key: str, text: str) -> None:
        """Set one cell as if typed (used by tests and by quick fixes)."""
        column = [c[0] for c in self.columns].index(column_key)
        self.table.item(row, column).setText(text)


def _case_rows(key: dict) -> tuple[list[dict], list[dict]]:  # type: ignore[type-arg]
    lines, forbidden = [], []
    for section in key.get("sections") or []:
        if not isinstance(section, dict):
            continue
        code_set = section.get("code_set", "")
        for line in section.get("lines") or []:
            row = {k: v for k, v in line.items() if k not in ("code", "any_of")}
            row["code"] = " | ".join(line["any_of"]) if isinstance(line.get("any_of"), list) else line.get("code", "")
            lines.append({"code_set": code_set, **row})
        forbidden += [{"code_set": code_set, **f} for f in section.get("forbidden") or [] if isinstance(f, dict)]
    return lines, forbidden


def _case_key(original: dict, lines: list[dict], forbidden: list[dict]) -> dict:  # type: ignore[type-arg]
    """Rebuild `key.sections` from the rows, keeping each section's label and order flag."""
    old = {s.get("code_set"): s for s in original.get("sections") or [] if isinstance(s, dict)}
    order = list(dict.fromkeys([r.get("code_set", "") for r in lines + forbidden]))
    sections = []
    for code_set in order:
        section = {k: v for k, v in old.get(code_set, {}).items() if k not in ("lines", "forbidden")}
        section["code_set"] = code_set
        section["lines"] = []
        for row in (r for r in lines if r.get("code_set", "") == code_set):
            line = {k: v for k, v in row.items() if k not in ("code_set", "code")}
            codes = [c.strip() for c in str(row.get("code", "")).split("|") if c.strip()]
            line = ({"any_of": codes} if len(codes) > 1 else {"code": codes[0] if codes else ""}) | line
            section["lines"].append(line)
        rules = [{k: v for k, v in r.items() if k != "code_set"} for r in forbidden if r.get("code_set", "") == code_set]
        if rules:
            section["forbidden"] = rules
        sections.append(section)
    return {k: v for k, v in original.items() if k != "sections"} | {"sections": sections}


class ItemForm(QWidget):
    """Fields for every item type; only the ones that apply to the loaded item are shown."""

    changed = Signal()

    def __init__(self, lesson_ids: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.id, self.title, self.tags = QLineEdit(), QLineEdit(), QLineEdit()
        self.type = QLineEdit()
        self.type.setReadOnly(True)
        self.topic, self.difficulty, self.lesson = QComboBox(), QComboBox(), QComboBox()
        self.topic.addItems(list(TOPICS))
        self.difficulty.addItems(list(DIFFICULTIES))
        self.lesson.setEditable(True)
        self.lesson.addItems([""] + sorted(lesson_ids))
        self.stem, self.note, self.rationale = QPlainTextEdit(), QPlainTextEdit(), QPlainTextEdit()
        self.answer = QComboBox()
        self.answer.addItems(["true", "false"])
        self.options = RowsTable(OPTION_COLUMNS, "Options")
        self.numeric = RowsTable(NUMERIC_COLUMNS, "Accepted values")
        self.pairs = RowsTable(PAIR_COLUMNS, "Pairs")
        self.short = RowsTable(SHORT_COLUMNS, "Accepted answers")
        self.key_lines = RowsTable(LINE_COLUMNS, "Answer key lines")
        self.forbidden = RowsTable(FORBIDDEN_COLUMNS, "Codes that must not be reported")
        self._layout()
        for edit in (self.id, self.title, self.tags):
            edit.editingFinished.connect(self.changed.emit)
        for combo in (self.topic, self.difficulty, self.answer):
            combo.activated.connect(lambda _: self.changed.emit())
        self.lesson.currentTextChanged.connect(lambda _: self.changed.emit())
        for table in (self.options, self.numeric, self.pairs, self.short, self.key_lines, self.forbidden):
            table.changed.connect(self.changed.emit)
        self._typing = QTimer(self, singleShot=True, interval=350)
        self._typing.timeout.connect(self.changed.emit)
        for text in (self.stem, self.note, self.rationale):
            text.textChanged.connect(self._typing.start)
        self.original: dict = {}  # type: ignore[type-arg]

    def _layout(self) -> None:
        form = QFormLayout()
        for label, widget in (("Id", self.id), ("Type", self.type), ("Topic", self.topic),
                              ("Difficulty", self.difficulty), ("Lesson", self.lesson), ("Tags", self.tags),
                              ("Title", self.title), ("Question", self.stem), ("Record (synthetic)", self.note),
                              ("Answer", self.answer), ("Rationale", self.rationale)):
            form.addRow(label, widget)
        for text in (self.stem, self.note, self.rationale):
            text.setMaximumHeight(110)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for table in (self.options, self.numeric, self.pairs, self.short, self.key_lines, self.forbidden):
            layout.addWidget(table)
        self.form = form

    def commit_text(self) -> None:
        """Report pending typing in the multi-line fields now (before a save, in tests)."""
        if self._typing.isActive():
            self._typing.stop()
            self.changed.emit()

    def load(self, item: dict) -> None:  # type: ignore[type-arg]
        self.original = item
        kind = str(item.get("type", ""))
        widgets = [self, *self.findChildren(QWidget)]
        for widget in widgets:
            widget.blockSignals(True)
        self.id.setText(str(item.get("id", "")))
        self.type.setText(kind)
        self.topic.setCurrentText(str(item.get("topic", "")))
        self.difficulty.setCurrentText(str(item.get("difficulty", "medium")))
        self.lesson.setCurrentText(str(item.get("lesson", "")))
        self.tags.setText(", ".join(str(t) for t in item.get("tags") or []))
        self.title.setText(str(item.get("title", "")))
        self.stem.setPlainText(str(item.get("stem", "")))
        self.note.setPlainText(str(item.get("note", "")))
        self.rationale.setPlainText(str(item.get("rationale", "")))
        self.answer.setCurrentText("true" if item.get("answer") is True else "false")
        self._load_tables(kind, item)
        for widget in widgets:
            widget.blockSignals(False)
        self._show_for(kind)

    def _load_tables(self, kind: str, item: dict) -> None:  # type: ignore[type-arg]
        self.options.set_rows(item.get("options") or [] if kind in CHOICE_TYPES else [])
        if kind == "numeric":
            answers = item.get("answers") or [{"value": item.get("answer"), "tolerance": item.get("tolerance")}]
            self.numeric.set_rows(answers)
        self.pairs.set_rows(item.get("pairs") or [] if kind == "matching" else [])
        self.short.set_rows(item.get("answers") or [] if kind == "short_answer" else [])
        lines, forbidden = _case_rows(item.get("key") or {}) if kind == "coding_case" else ([], [])
        self.key_lines.set_rows(lines)
        self.forbidden.set_rows(forbidden)

    def _show_for(self, kind: str) -> None:
        shown = {self.options: kind in CHOICE_TYPES, self.numeric: kind == "numeric",
                 self.pairs: kind == "matching", self.short: kind == "short_answer",
                 self.key_lines: kind == "coding_case", self.forbidden: kind == "coding_case"}
        for widget, visible in shown.items():
            widget.setVisible(visible)
        self.form.setRowVisible(self.note, kind == "coding_case")
        self.form.setRowVisible(self.answer, kind == "true_false")

    def values(self) -> dict:  # type: ignore[type-arg]
        """The edited item: the original dict with the form's fields written over it."""
        item = dict(self.original)
        kind = item.get("type", "")
        fields = {"id": self.id.text().strip(), "topic": self.topic.currentText(),
                  "difficulty": self.difficulty.currentText(), "lesson": self.lesson.currentText().strip(),
                  "title": self.title.text().strip(), "stem": self.stem.toPlainText(),
                  "rationale": self.rationale.toPlainText(),
                  "tags": [t.strip() for t in self.tags.text().split(",") if t.strip()]}
        if kind == "coding_case":
            fields["note"] = self.note.toPlainText()
        for key, value in fields.items():
            if value or key in ("id", "stem", "rationale", "topic"):
                item[key] = value
            else:
                item.pop(key, None)
        if "difficulty" not in self.original and item.get("difficulty") == "medium":
            item.pop("difficulty")  # the default; do not add a key the author never wrote
        return self._type_values(kind, item)

    def _type_values(self, kind: str, item: dict) -> dict:  # type: ignore[type-arg]
        if kind in CHOICE_TYPES:
            item["options"] = self.options.rows()
        elif kind == "true_false":
            item["answer"] = self.answer.currentText() == "true"
        elif kind == "numeric":
            rows = self.numeric.rows()
            if "answers" in self.original or len(rows) != 1:
                item["answers"] = rows
            else:
                item["answer"], item["tolerance"] = rows[0].get("value"), rows[0].get("tolerance")
        elif kind == "matching":
            item["pairs"] = self.pairs.rows()
        elif kind == "short_answer":
            item["answers"] = self.short.rows()
        elif kind == "coding_case":
            item["key"] = _case_key(self.original.get("key") or {}, self.key_lines.rows(), self.forbidden.rows())
        return item
