"""The coding-case answer's parts: verdict colours and words, one entry row, and the factory.

The practice page only knows a `CaseFactory` (CodingCase -> AnswerWidget). `case_factory`
closes over the code set (for completion), the code browser and the main window, so a
click on a code in the results opens it in the browser page. The wiring lives here,
called from the composition root, so `CaseEntry` (app/ui/case_entry.py) stays passive.
Verdicts are shown by colour AND by a marked badge in words, never by colour alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.codeset import CodeSet
from app.core.models import CodingCase, Finding

if TYPE_CHECKING:
    from app.ui.case_entry import CaseEntry

AMBER = {"less_specific", "wrong_seventh_character", "wrong_laterality", "related_code", "wrong_position",
         "units_wrong", "not_billable", "excludes1_conflict", "sequencing_rule"}
RED = {"invalid_code", "forbidden", "extra", "unreadable", "missing"}
SEVERITY = {"correct": 0, "amber": 1, "red": 2}
MARK = {"correct": "✓", "amber": "⚠", "red": "✗"}
# Tints are translucent, so rows read in the light and the dark theme (text keeps the
# palette's colour); badges are white on a solid colour, every pair above 4.5:1 (WCAG AA).
STYLE = """
QFrame#caseRow { border-left: 4px solid transparent; border-radius: 3px; }
QFrame#caseRow[verdict="correct"] { background: rgba(30, 123, 52, 0.16); border-left-color: #1e7b34; }
QFrame#caseRow[verdict="amber"] { background: rgba(230, 160, 0, 0.18); border-left-color: #b26a00; }
QFrame#caseRow[verdict="red"] { background: rgba(200, 40, 30, 0.14); border-left-color: #b3261e; }
QLabel[badge="correct"] { background: #1e7b34; color: white; border-radius: 3px; padding: 1px 8px; margin-right: 4px; font-weight: 600; }
QLabel[badge="amber"] { background: #8a5300; color: white; border-radius: 3px; padding: 1px 8px; margin-right: 4px; font-weight: 600; }
QLabel[badge="red"] { background: #b3261e; color: white; border-radius: 3px; padding: 1px 8px; margin-right: 4px; font-weight: 600; }
QLabel#sectionHint, QLabel#codeTitle { color: #7b8794; font-weight: normal; }
QLineEdit[readOnly="true"], QSpinBox[readOnly="true"] { background: transparent; border: 1px solid #7f93a8; }
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
    """The finding's sentence with the codes it names turned into links (modifiers stay text)."""
    text = escape(finding.message)
    about_modifier = finding.verdict.startswith("modifier") or finding.verdict == "wrong_side"
    codes = [finding.code] + ([finding.related] if not about_modifier else [])
    codes = [code for code in dict.fromkeys(codes) if code and finding.verdict != "unreadable"]
    for code in codes:
        text = re.sub(rf"(?<![\w.]){re.escape(escape(code))}(?!\w|\.\w)", code_link(code), text)
    cited = [c for c in codes if c not in finding.message]
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
        # Never squash a row below its natural height: the scroll area scrolls instead.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.code = QLineEdit()
        self.code.setObjectName("codeField")
        self.code.setPlaceholderText("code")
        self.code.setMinimumWidth(110)
        self.code.setMaximumWidth(180)
        self.title = QLabel()
        self.title.setObjectName("codeTitle")
        self.title.setMinimumWidth(80)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.modifiers: QLineEdit | None = None
        self.units: QSpinBox | None = None
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setObjectName("removeRow")
        self.remove.setToolTip("Remove this row")
        self.remove.setAccessibleName("Remove row")
        self.remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes code → modifiers → units → next row
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
        line.addWidget(self.code)
        if billing:
            self.modifiers = QLineEdit()
            self.modifiers.setObjectName("modifiersField")
            self.modifiers.setPlaceholderText("modifiers, e.g. RT 59")
            self.modifiers.setMaximumWidth(170)
            self.units = QSpinBox()
            self.units.setObjectName("unitsField")
            self.units.setRange(1, 999)
            self.units.setPrefix("units ")
            line.addWidget(self.modifiers)
            line.addWidget(self.units)
        line.addWidget(self.title, 1)
        line.addWidget(self.badge)
        line.addWidget(self.remove)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 3, 6, 3)
        box.setSpacing(2)
        box.addLayout(line)
        box.addWidget(self.feedback)

    def set_accessible(self, section: str, number: int) -> None:
        """Names a screen reader reads: "Diagnoses code 2", "Diagnoses code 2 modifiers"."""
        self.code.setAccessibleName(f"{section} code {number}")
        if self.modifiers is not None and self.units is not None:
            self.modifiers.setAccessibleName(f"{section} code {number} modifiers")
            self.units.setAccessibleName(f"{section} code {number} units")

    def show_title(self, title: str) -> None:
        """The typed code's title from the code set (what an open code book would show)."""
        self.title.setText(title)
        self.title.setToolTip(title)

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

    def set_text(self, text: str) -> None:
        """The reverse of `text()`: split "27786-RT-59x2" over the row's fields."""
        units = re.search(r"[xX*]([0-9]{1,3})$", text) if self.units is not None else None
        if units is not None and self.units is not None:
            self.units.setValue(max(1, int(units.group(1))))
            text = text[:units.start()]
        code, *modifiers = text.split("-") if self.modifiers is not None else [text]
        self.code.setText(code.strip())
        if self.modifiers is not None:
            self.modifiers.setText(" ".join(m.strip().upper() for m in modifiers))

    def last_field(self) -> QWidget:
        return self.units if self.units is not None else self.code

    def fields(self) -> list[QWidget]:
        """The row's entry fields in Tab order."""
        return [f for f in (self.code, self.modifiers, self.units) if f is not None]

    def lock(self) -> None:
        for field in (self.code, self.modifiers, self.units):
            if field is not None:
                field.setReadOnly(True)
                if isinstance(field, QLineEdit):
                    field.setPlaceholderText("")
                _repolish(field)
        self.remove.hide()

    def mark(self, findings: list[Finding], links: QObject) -> None:
        """Colour the row by its worst finding and show every finding's sentence."""
        if not findings:
            return
        worst = max((verdict_kind(f.verdict) for f in findings), key=SEVERITY.__getitem__)
        self.setProperty("verdict", worst)
        self.title.clear()  # the sentence below names the code and its title in full
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


class CodeOpener(Protocol):
    def open_code(self, code: str, system: object = None) -> bool: ...
    def open_from(self, code: str, origin: str, go_back: Callable[[], None], system: object = None) -> bool: ...


class PageShower(Protocol):
    def show_page(self, page: Any) -> None: ...
    def current_page(self) -> Any: ...
    def title_of(self, page: Any) -> str: ...


class BuiltOnDemand(Protocol):
    """A page built when first needed (`app.ui.main_window.LazyPage`)."""

    def widget(self) -> Any: ...


def code_page_opener(window: PageShower, browser: BuiltOnDemand) -> Callable[[str], None]:
    """Open a code in the code-browser page (built now if it was not yet) and show that page.

    The browser remembers the page the link was followed from (a practice item, say), so
    its Back button returns there, with the item and its result still shown, rather than
    being disabled.
    """

    def open_code(code: str) -> None:
        here = window.current_page()
        opener: CodeOpener = browser.widget()
        if here is None or here is opener:
            opener.open_code(code)  # an unknown code leaves a message in the browser's status line
        else:
            opener.open_from(code, window.title_of(here), lambda: window.show_page(here))
        window.show_page(browser)

    return open_code


def case_factory(codes: CodeSet, open_code: Callable[[str], object]) -> Callable[[CodingCase], CaseEntry]:
    """A factory that makes a `CaseEntry` per case; a click on a code calls `open_code(code)`."""
    from app.ui.case_entry import CaseEntry

    def make(case: CodingCase) -> CaseEntry:
        entry = CaseEntry(case, codes)
        entry.code_clicked.connect(open_code)
        return entry

    return make
