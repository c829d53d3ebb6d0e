"""Builds the coding-case answer widget for the practice page and wires its code links.

The practice page only knows a `CaseFactory` (CodingCase -> AnswerWidget). This module
closes over the code set (for completion), the code browser and the main window, so a
click on a code in the results opens it in the browser page. Wiring lives here, called
from the composition root, so `CaseEntry` stays a passive view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtWidgets import QWidget

from app.core.codeset import CodeSet
from app.core.models import CodingCase
from app.ui.case_entry import CaseEntry


class CodeOpener(Protocol):
    def open_code(self, code: str, system: object = None) -> bool: ...


class PageShower(Protocol):
    def show_page(self, widget: QWidget) -> None: ...


def case_factory(codes: CodeSet, browser: CodeOpener, window: PageShower) -> Callable[[CodingCase], CaseEntry]:
    """A factory that makes a `CaseEntry` per case; code links open the browser page."""

    def open_in_browser(code: str) -> None:
        browser.open_code(code)  # an unknown code leaves a message in the browser's status line
        window.show_page(browser)  # type: ignore[arg-type]

    def make(case: CodingCase) -> CaseEntry:
        entry = CaseEntry(case, codes)
        entry.code_clicked.connect(open_in_browser)
        return entry

    return make
