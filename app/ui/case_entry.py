"""The coding-case answer: structured entry rows per key section, then per-row verdicts.

The learner types one code per row (with modifiers and units for CPT/HCPCS), helped by
completion from the code-set search. `response()` gives one text per key section in the
key's order (the contract `grade` accepts). After grading, each row is coloured by its
finding's verdict and shows the finding's sentence; key lines not matched are listed
under their section. Every code in the results is a link: `code_clicked` asks the
composition root to open it in the code browser. The view never grades.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.codes import compact, shapes_for
from app.core.codeset import CodeSet, CodeSystem
from app.core.models import CodingCase, Finding, GradeResult, KeySection
from app.ui.answers import AnswerWidget
from app.ui.case_answer import SEPARATORS, STYLE, EntryRow, finding_html, verdict_text

SECTION_NAMES = {
    CodeSystem.ICD10CM: "Diagnoses",
    CodeSystem.ICD10PCS: "Procedures",
    CodeSystem.CPT: "Procedures",
    CodeSystem.HCPCS: "Supplies and services",
}
PAIR = {"excludes1_conflict", "sequencing_rule"}
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
MAX_HEIGHT = 320
POPUP_WIDTH = 560  # pixels the entry asks for before it scrolls


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
        row.code.textChanged.connect(lambda _text: self.show_title(row))
        for field in row.fields():
            field.installEventFilter(self.owner)
        if row.modifiers is not None:
            row.modifiers.returnPressed.connect(lambda: self._advance(row, typed=False))
        if focus:
            row.code.setFocus()
        self._renumber()
        self.owner.fit_height()
        return row

    def _renumber(self) -> None:
        name = self.title().split(" (")[0]
        for number, row in enumerate(self.rows, start=1):
            row.set_accessible(name, number)

    def remove_row(self, row: EntryRow) -> None:
        if len(self.rows) == 1:
            row.code.clear()
            return
        self.rows.remove(row)
        self.rows_box.removeWidget(row)
        row.deleteLater()
        self._renumber()
        self.owner.answered.emit()

    def _complete(self, row: EntryRow) -> None:
        """Completion from the code-set search, refreshed 150 ms after the last key press."""
        model = QStringListModel(row)
        completer = QCompleter(model, row)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.popup().setMinimumWidth(POPUP_WIDTH)  # wider than the code field: titles must be readable
        # The row is the context: if it is removed before the timer fires, Qt drops the call
        # (a Python slot must never run against a deleted row).
        completer.activated.connect(lambda chosen: QTimer.singleShot(0, row, lambda: self._chosen(row, chosen)))
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

    def show_title(self, row: EntryRow) -> None:
        info = self.codes.lookup(row.code_text(), self.section.code_set) if row.code_text() else None
        row.show_title(info.title if info is not None else "")

    def _chosen(self, row: EntryRow, chosen: str) -> None:
        row.code.setText(chosen.split()[0] if chosen.split() else "")
        self.owner.answered.emit()

    def _edited(self, row: EntryRow, text: str) -> None:
        """Typing: refresh completions; a typed list ("E11.9, I10 ") spreads over rows.

        A space only separates codes (tokens with a digit): "torus fract" stays one
        word search for the completer.
        """
        self.owner.answered.emit()
        parts = [p for p in SEPARATORS.split(text) if p]
        codes_only = all(any(c.isdigit() for c in part) for part in parts)
        separated = len(parts) > 1 or bool(parts and SEPARATORS.search(text[-1:] or "x"))
        if separated and (codes_only or any(c in text for c in ",;")):
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

    def _advance(self, row: EntryRow, typed: bool = True) -> None:
        """Enter (and Tab from a row's last field): go to the next row, adding one after a
        filled last row. It never submits: Ctrl+Enter does, from anywhere in the case."""
        if row not in self.rows or (typed and not row.code_text() and row is self.rows[-1]):
            return
        index = self.rows.index(row)
        if index + 1 == len(self.rows):
            if row.code_text():
                self.add_row(focus=True)
        else:
            self.rows[index + 1].code.setFocus()

    def row_of(self, field: QObject) -> EntryRow | None:
        return next((row for row in self.rows if field in row.fields()), None)

    def texts(self) -> list[str]:
        return [text for row in self.rows if (text := row.text())]

    def filled_rows(self) -> list[EntryRow]:
        """Rows in the order the scorer numbers the section's codes (empty rows skipped)."""
        return [row for row in self.rows if row.code_text()]

    def lock(self) -> None:
        """Read-only rows; empty rows go away (the results list what was left out)."""
        for row in self.rows:
            row.lock()
            row.setVisible(bool(row.code_text()))
        self.add.hide()

    def show_findings(self, per_row: dict[int, list[Finding]], loose: list[Finding]) -> None:
        """Mark rows (keyed by `id(row)`); list missing key lines and unplaced findings below."""
        for row in self.rows:
            row.mark(per_row.get(id(row), []), self.owner)
        missing = [f"<li>{finding_html(f)}</li>" for f in loose if f.verdict == "missing"]
        others = [f"<li><b>{escape(verdict_text(f.verdict))}</b> — {finding_html(f)}</li>"
                  for f in loose if f.verdict != "missing"]
        parts = []
        if missing:
            parts.append(f"<b>✗ Missing</b> (in the key, not in your answer):<ul>{''.join(missing)}</ul>")
        if others:
            parts.append(f"<ul>{''.join(others)}</ul>")
        if parts:
            self.feedback.setText("".join(parts))
            self.feedback.show()


def _same_code(row: EntryRow, code: str) -> bool:
    wanted = compact(code)
    return bool(wanted) and wanted in (compact(row.code_text()), compact(row.text()))


def _readable(row: EntryRow) -> bool:
    """Whether the scorer counts this row as an entry (it numbers entries, not unreadable tokens)."""
    return bool(shapes_for(compact(row.code_text())))


class CaseEntry(AnswerWidget):
    """The answer widget for a `CodingCase`."""

    code_clicked = Signal(str)
    submit_label = "Submit (Ctrl+Enter)"  # Enter moves between rows; one documented key submits
    enter_submits = False

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
        self.inner = inner
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.fit_height()

    def fit_height(self) -> None:
        """Ask the page for room to show every row (up to a limit; beyond it the area scrolls)."""
        inner = getattr(self, "inner", None)
        if inner is not None:
            inner.adjustSize()
            self.setMinimumHeight(min(inner.sizeHint().height() + 6, MAX_HEIGHT))

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
        self.fit_height()

    def set_code(self, section: int, row: int, text: str) -> None:
        """Fill one row from "CODE[-MOD...][xN]" (rows are added as needed); for scripts and tests."""
        group = self.sections[section]
        while len(group.rows) <= row:
            group.add_row()
        group.rows[row].set_text(text)
        self.answered.emit()

    def show_result(self, result: GradeResult) -> None:
        """Put each finding on its row, under its section, or at the bottom.

        The scorer numbers entries across all sections of a list response (empty rows and
        unreadable tokens are not numbered); the finding's code confirms the row.
        """
        entries = [(group, row) for group in self.sections for row in group.filled_rows() if _readable(row)]
        per_row: dict[int, list[Finding]] = {}
        loose: dict[int, list[Finding]] = {}
        general: list[str] = []
        for finding in result.findings:
            group = self._group(finding.section)
            rows = [] if finding.verdict == "missing" else self._rows_for(finding, group, entries)
            for row in rows:
                per_row.setdefault(id(row), []).append(finding)
            if not rows and group is not None:
                loose.setdefault(id(group), []).append(finding)
            elif not rows:
                general.append(f"<b>{escape(verdict_text(finding.verdict))}</b> — {finding_html(finding)}")
        for group in self.sections:
            group.show_findings(per_row, loose.get(id(group), []))
        if general:
            self.general.setText("<br>".join(general))
            self.general.show()
        self.fit_height()

    def _group(self, code_set: str) -> SectionGroup | None:
        return next((group for group in self.sections if group.section.code_set.value == code_set), None)

    def _rows_for(self, finding: Finding, group: SectionGroup | None,
                  entries: list[tuple[SectionGroup, EntryRow]]) -> list[EntryRow]:
        """The row a finding concerns, plus the partner row of a pair finding."""
        pool = [row for g, row in entries if group is None or g is group]
        candidates = []
        if finding.learner_index is not None:
            index = finding.learner_index
            candidates += [entries[index][1]] if 0 <= index < len(entries) else []
            candidates += [pool[index]] if 0 <= index < len(pool) else []
        every = group.filled_rows() if group is not None else [r for g in self.sections for r in g.filled_rows()]
        found = next((row for row in [*candidates, *every] if _same_code(row, finding.code)), None)
        rows = [found] if found is not None else candidates[:1]
        if finding.verdict in PAIR and finding.related:
            rows += [row for row in pool if _same_code(row, finding.related) and row not in rows]
        return rows

    # -- links and keys -----------------------------------------------------------------
    def open_link(self, href: str) -> None:
        if href.startswith("code:"):
            self.code_clicked.emit(href.removeprefix("code:"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys in the rows. Plain Enter belongs to the row (next row), never to the page;
        Ctrl+Enter goes on to the page and submits. Tab from a row's last field goes to the
        next row's code (a row is added after a filled last row)."""
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return super().eventFilter(watched, event)
        key, ctrl = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
        found = [(group, row) for group in self.sections if (row := group.row_of(watched)) is not None]
        if not found or found[0][1].code.isReadOnly():
            return super().eventFilter(watched, event)
        group, row = found[0]
        if key in ENTER_KEYS and not ctrl:
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()
                return True
            if watched is row.units:  # a spin box has no returnPressed
                group._advance(row, typed=False)
                return True
        if kind == QEvent.Type.KeyPress and key == Qt.Key.Key_Tab and watched is row.last_field():
            if row is not group.rows[-1] or row.code_text():
                group._advance(row, typed=False)
                return True
        return super().eventFilter(watched, event)
