"""The coding-case answer: structured entry rows per key section, then per-row verdicts.

The learner types one code per row (with modifiers and units for CPT/HCPCS), helped by
completion from the code-set search. `response()` gives one text per key section in the
key's order (the contract `grade` accepts). After grading, each row is coloured by its
finding's verdict and shows the finding's sentence; key lines not matched are listed
under their section. Every code in the results is a link: `code_clicked` asks the
composition root to open it in the code browser. The view never grades.
"""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.codeset import CodeSet, CodeSystem
from app.core.models import CodingCase, Finding, GradeResult, KeySection
from app.ui.answers import AnswerWidget

SECTION_NAMES = {
    CodeSystem.ICD10CM: "Diagnoses",
    CodeSystem.ICD10PCS: "Procedures",
    CodeSystem.CPT: "Procedures",
    CodeSystem.HCPCS: "Supplies and services",
}
AMBER = {"less_specific", "wrong_seventh_character", "wrong_laterality", "related_code", "wrong_position",
         "units_wrong", "not_billable", "excludes1_conflict", "sequencing_rule"}
RED = {"invalid_code", "forbidden", "extra", "unreadable", "missing"}
PAIR = {"excludes1_conflict", "sequencing_rule"}
SEVERITY = {"correct": 0, "amber": 1, "red": 2}
MARK = {"correct": "✓", "amber": "⚠", "red": "✗"}
# Text on tinted backgrounds: every pair is above 4.5:1 contrast (WCAG AA).
STYLE = """
QFrame#caseRow { border-left: 4px solid transparent; border-radius: 3px; }
QFrame#caseRow[verdict="correct"] { background: #e6f4ea; border-left-color: #1e7b34; }
QFrame#caseRow[verdict="amber"] { background: #fff4d6; border-left-color: #b26a00; }
QFrame#caseRow[verdict="red"] { background: #fdecea; border-left-color: #b3261e; }
QLabel[badge="correct"] { background: #1e7b34; color: white; border-radius: 3px; padding: 1px 6px; font-weight: 600; }
QLabel[badge="amber"] { background: #8a5300; color: white; border-radius: 3px; padding: 1px 6px; font-weight: 600; }
QLabel[badge="red"] { background: #b3261e; color: white; border-radius: 3px; padding: 1px 6px; font-weight: 600; }
QLabel#rowFeedback, QLabel#sectionFeedback { color: #1f2933; }
QLabel#sectionHint { color: #4a5a6a; font-weight: normal; }
QLineEdit[readOnly="true"], QSpinBox[readOnly="true"] { background: transparent; border: 1px solid #c9d5e2; }
"""
SEPARATORS = re.compile(r"[,;\s]+")


def verdict_kind(verdict: str) -> str:
    """Colour family of a verdict: "correct", "amber" (partly right) or "red" (wrong)."""
    if verdict == "correct":
        return "correct"
    if verdict in RED:
        return "red"
    return "amber"  # every other verdict (modifier_*, new ones) is a partial mistake


def verdict_text(verdict: str) -> str:
    """Short badge text: the verdict name in words, with a mark so colour is not the only cue."""
    words = verdict.replace("_", " ").replace("seventh", "7th")
    return f"{MARK[verdict_kind(verdict)]} {words}"


def code_link(code: str) -> str:
    return f"<a href='code:{escape(code, quote=True)}'>{escape(code)}</a>"


def finding_html(finding: Finding) -> str:
    """The finding's sentence with the codes it names turned into links."""
    text = escape(finding.message)
    for code in {c for c in (finding.code, finding.related) if c}:
        text = re.sub(rf"(?<![\w.]){re.escape(escape(code))}(?![\w.])", code_link(code), text)
    cited = [c for c in (finding.code, finding.related) if c and c not in finding.message]
    if cited:
        text += " (" + ", ".join(code_link(c) for c in cited) + ")"
    return text


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _modifiers(text: str) -> list[str]:
    return [m for m in re.split(r"[\s,;\-]+", text.strip().upper()) if m]


class EntryRow(QFrame):
    """One code: a code field, and for CPT/HCPCS a modifiers field and a units box."""

    def __init__(self, billing: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("caseRow")
        self.code = QLineEdit()
        self.code.setObjectName("codeField")
        self.code.setPlaceholderText("code")
        self.code.setMinimumWidth(120)
        self.modifiers: QLineEdit | None = None
        self.units: QSpinBox | None = None
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setObjectName("removeRow")
        self.remove.setToolTip("Remove this row")
        self.remove.setAccessibleName("Remove row")
        self.badge = QLabel()
        self.badge.setObjectName("verdictBadge")
        self.badge.hide()
        self.feedback = QLabel()
        self.feedback.setObjectName("rowFeedback")
        self.feedback.setWordWrap(True)
        self.feedback.setTextFormat(Qt.TextFormat.RichText)
        self.feedback.hide()
        self._layout(billing)

    def _layout(self, billing: bool) -> None:
        line = QHBoxLayout()
        line.addWidget(self.code, 2)
        if billing:
            self.modifiers = QLineEdit()
            self.modifiers.setObjectName("modifiersField")
            self.modifiers.setPlaceholderText("modifiers, e.g. RT 59")
            self.units = QSpinBox()
            self.units.setObjectName("unitsField")
            self.units.setRange(1, 999)
            self.units.setPrefix("units ")
            line.addWidget(self.modifiers, 2)
            line.addWidget(self.units)
        line.addWidget(self.badge)
        line.addWidget(self.remove)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 3, 6, 3)
        box.setSpacing(2)
        box.addLayout(line)
        box.addWidget(self.feedback)

    def code_text(self) -> str:
        return re.sub(r"\s+", "", self.code.text()).upper()

    def text(self) -> str:
        """The row as response text: "27786-RT-59x2"; "" for an empty row."""
        code = self.code_text()
        if not code:
            return ""
        if self.modifiers is not None:
            code += "".join(f"-{m}" for m in _modifiers(self.modifiers.text()))
        if self.units is not None and self.units.value() > 1:
            code += f"x{self.units.value()}"
        return code

    def last_field(self) -> QWidget:
        return self.units if self.units is not None else self.code

    def lock(self) -> None:
        for field in (self.code, self.modifiers, self.units):
            if field is not None:
                field.setReadOnly(True)
                _repolish(field)
        self.remove.hide()

    def mark(self, findings: list[Finding], links: QObject) -> None:
        """Colour the row by its worst finding and show every finding's sentence."""
        if not findings:
            return
        worst = max((verdict_kind(f.verdict) for f in findings), key=SEVERITY.__getitem__)
        self.setProperty("verdict", worst)
        _repolish(self)
        first = findings[0] if len(findings) == 1 else max(findings, key=lambda f: SEVERITY[verdict_kind(f.verdict)])
        self.badge.setText(verdict_text(first.verdict))
        self.badge.setProperty("badge", verdict_kind(first.verdict))
        self.badge.setToolTip("Verdict: " + first.verdict.replace("_", " "))
        _repolish(self.badge)
        self.badge.show()
        lines = [f"<b>{escape(verdict_text(f.verdict))}</b> — {finding_html(f)}" for f in findings]
        self.feedback.setText("<br>".join(lines))
        self.feedback.linkActivated.connect(links.open_link)
        self.feedback.show()


class SectionGroup(QGroupBox):
    """All rows of one key section, plus the section's feedback after grading."""

    def __init__(self, section: KeySection, codes: CodeSet, owner: CaseEntry):
        name = section.label or SECTION_NAMES.get(section.code_set, "Codes")
        super().__init__(f"{name} ({section.code_set.label})")
        self.setObjectName(f"section_{section.code_set.value}")
        self.section = section
        self.codes = codes
        self.owner = owner
        self.billing = section.code_set in (CodeSystem.CPT, CodeSystem.HCPCS)
        self.rows: list[EntryRow] = []
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(3)
        self.add = QPushButton("Add row")
        self.add.setObjectName("addRow")
        self.add.clicked.connect(lambda: self.add_row(focus=True))
        self.feedback = QLabel()
        self.feedback.setObjectName("sectionFeedback")
        self.feedback.setWordWrap(True)
        self.feedback.setTextFormat(Qt.TextFormat.RichText)
        self.feedback.linkActivated.connect(owner.open_link)
        self.feedback.hide()
        layout = QVBoxLayout(self)
        if section.ordered or any(line.first for line in section.lines):
            hint = QLabel("Order matters: list the first-listed (principal) code first.")
            hint.setObjectName("sectionHint")
            layout.addWidget(hint)
        layout.addLayout(self.rows_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.feedback)
        required = sum(1 for line in section.lines if not line.optional)
        for _ in range(max(required + 1, 3)):
            self.add_row()

    def add_row(self, focus: bool = False, after: EntryRow | None = None) -> EntryRow:
        row = EntryRow(self.billing)
        position = len(self.rows) if after is None else self.rows.index(after) + 1
        self.rows.insert(position, row)
        self.rows_box.insertWidget(position, row)
        row.remove.clicked.connect(lambda: self.remove_row(row))
        self._complete(row)
        row.code.returnPressed.connect(lambda: self._advance(row))
        row.code.textEdited.connect(lambda text: self._edited(row, text))
        row.last_field().installEventFilter(self.owner)
        if focus:
            row.code.setFocus()
        return row

    def remove_row(self, row: EntryRow) -> None:
        if len(self.rows) == 1:
            row.code.clear()
            return
        self.rows.remove(row)
        self.rows_box.removeWidget(row)
        row.deleteLater()
        self.owner.answered.emit()

    def _complete(self, row: EntryRow) -> None:
        """Completion from the code-set search, refreshed 150 ms after the last key press."""
        model = QStringListModel(row)
        completer = QCompleter(model, row)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(lambda chosen: QTimer.singleShot(0, lambda: self._chosen(row, chosen)))
        row.code.setCompleter(completer)
        timer = QTimer(row)
        timer.setSingleShot(True)
        timer.setInterval(150)
        timer.timeout.connect(lambda: self.refresh_completions(row))
        row.completions = model  # type: ignore[attr-defined]
        row.timer = timer  # type: ignore[attr-defined]

    def refresh_completions(self, row: EntryRow) -> None:
        text = row.code.text().strip()
        hits = self.codes.search(text, system=self.section.code_set, limit=15) if len(text) >= 2 else []
        row.completions.setStringList([f"{hit.code}  {hit.title}" for hit in hits])  # type: ignore[attr-defined]
        completer = row.code.completer()
        if hits and row.code.hasFocus() and completer is not None:
            completer.complete()

    def _chosen(self, row: EntryRow, chosen: str) -> None:
        row.code.setText(chosen.split()[0] if chosen.split() else "")
        self.owner.answered.emit()

    def _edited(self, row: EntryRow, text: str) -> None:
        """Typing: refresh completions; a typed separator spreads a list over new rows."""
        self.owner.answered.emit()
        parts = [p for p in SEPARATORS.split(text) if p]
        if len(parts) > 1 or (parts and SEPARATORS.search(text[-1:] or "x")):
            row.code.setText(parts[0])
            target = row
            for part in parts[1:]:
                target = self._next_row(target)
                target.code.setText(part)
            self._next_row(target).code.setFocus()
            return
        row.timer.start()  # type: ignore[attr-defined]

    def _next_row(self, row: EntryRow) -> EntryRow:
        index = self.rows.index(row)
        if index + 1 < len(self.rows) and not self.rows[index + 1].code_text():
            return self.rows[index + 1]
        return self.add_row(after=row)

    def _advance(self, row: EntryRow) -> None:
        """Enter: on a filled row go to the next row (adding one at the end); on an empty row submit."""
        if not row.code_text():
            self.owner.submit_requested.emit()
            return
        index = self.rows.index(row)
        if index + 1 == len(self.rows):
            self.add_row(focus=True)
        else:
            self.rows[index + 1].code.setFocus()

    def texts(self) -> list[str]:
        return [text for row in self.rows if (text := row.text())]

    def filled_rows(self) -> list[EntryRow]:
        """Rows in the order the scorer numbers the section's codes (empty rows skipped)."""
        return [row for row in self.rows if row.code_text()]

    def lock(self) -> None:
        for row in self.rows:
            row.lock()
        self.add.hide()

    def show_findings(self, findings: list[Finding]) -> None:
        rows = self.filled_rows()
        per_row: dict[int, list[Finding]] = {}
        section_lines: list[str] = []
        missing: list[str] = []
        for finding in findings:
            placed = self._place(finding, rows, per_row)
            if finding.verdict == "missing":
                missing.append(f"<li>{code_link(finding.code)} — {finding_html(finding)}</li>")
            elif not placed:
                section_lines.append(f"<li><b>{escape(verdict_text(finding.verdict))}</b> — {finding_html(finding)}</li>")
        for index, row_findings in per_row.items():
            rows[index].mark(row_findings, self.owner)
        parts = []
        if missing:
            parts.append(f"<b>✗ Missing</b> (in the key, not in your answer):<ul>{''.join(missing)}</ul>")
        if section_lines:
            parts.append(f"<ul>{''.join(section_lines)}</ul>")
        if parts:
            self.feedback.setText("".join(parts))
            self.feedback.show()

    def _place(self, finding: Finding, rows: list[EntryRow], per_row: dict[int, list[Finding]]) -> bool:
        """Attach a finding to its row(s); a pair finding also goes to its partner's row."""
        if finding.verdict == "missing":
            return False
        targets = []
        if finding.learner_index is not None and 0 <= finding.learner_index < len(rows):
            targets.append(finding.learner_index)
        if finding.verdict in PAIR and finding.related:
            targets += [i for i, row in enumerate(rows) if _same_code(row.code_text(), finding.related)]
        for index in dict.fromkeys(targets):
            per_row.setdefault(index, []).append(finding)
        return bool(targets)


def _same_code(typed: str, code: str) -> bool:
    return typed.replace(".", "").upper() == code.replace(".", "").upper()


class CaseEntry(AnswerWidget):
    """The answer widget for a `CodingCase`."""

    code_clicked = Signal(str)

    def __init__(self, case: CodingCase, codes: CodeSet, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("caseEntry")
        self.setStyleSheet(STYLE)
        self.case = case
        inner = QWidget()
        column = QVBoxLayout(inner)
        self.sections = [SectionGroup(section, codes, self) for section in case.key.sections]
        for group in self.sections:
            column.addWidget(group)
        self.general = QLabel()
        self.general.setObjectName("generalFeedback")
        self.general.setWordWrap(True)
        self.general.linkActivated.connect(self.open_link)
        self.general.hide()
        column.addWidget(self.general)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # -- AnswerWidget -------------------------------------------------------------------
    def response(self) -> list[str]:
        return [", ".join(group.texts()) for group in self.sections]

    def has_answer(self) -> bool:
        return any(group.filled_rows() for group in self.sections)

    def focus(self) -> None:
        if self.sections and self.sections[0].rows:
            self.sections[0].rows[0].code.setFocus()

    def lock(self) -> None:
        for group in self.sections:
            group.lock()

    def show_result(self, result: GradeResult) -> None:
        by_section: dict[int, list[Finding]] = {}
        general: list[str] = []
        for finding in result.findings:
            index = next((i for i, g in enumerate(self.sections) if g.section.code_set.value == finding.section), None)
            if index is None:
                general.append(f"<b>{escape(verdict_text(finding.verdict))}</b> — {finding_html(finding)}")
            else:
                by_section.setdefault(index, []).append(finding)
        for index, findings in by_section.items():
            self.sections[index].show_findings(findings)
        if general:
            self.general.setText("<br>".join(general))
            self.general.show()

    # -- links and keys -----------------------------------------------------------------
    def open_link(self, href: str) -> None:
        if href.startswith("code:"):
            self.code_clicked.emit(href.removeprefix("code:"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tab from the last field of a filled last row adds a row and moves into it."""
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Tab:  # type: ignore[attr-defined]
            for group in self.sections:
                last = group.rows[-1] if group.rows else None
                if last is not None and watched is last.last_field() and last.code_text() and not last.code.isReadOnly():
                    group.add_row(focus=True)
                    return True
        return super().eventFilter(watched, event)
