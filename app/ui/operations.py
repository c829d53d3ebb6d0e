"""The one path for writes started from the UI (DESIGN.md convention 8).

Every write goes through `DataOps.run`: errors are reported in one place (a message box
naming what failed), and `changed` tells subscribed views to refresh. Views therefore
never need to know which other views show the same data.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

T = TypeVar("T")
log = logging.getLogger(__name__)

# What a write may raise that the learner should hear about instead of a crash.
EXPECTED_ERRORS = (OSError, sqlite3.Error, ValueError)


class DataOps(QObject):
    changed = Signal(str)  # what changed: "profiles", "attempts", "lessons", "settings", "banks"
    failed = Signal(str)  # the message shown to the user

    def __init__(self, parent_widget: Callable[[], QWidget | None], quiet: bool = False):
        super().__init__()
        self._parent = parent_widget
        self.quiet = quiet  # tests and headless runs: no modal boxes, the signal still fires
        # Called after a database error, to end what a failed statement left open (the
        # composition root passes app.store.database.settle for the learner database).
        self.after_database_error: Callable[[], None] | None = None

    def run(self, what: str, action: Callable[[], T], changes: str = "") -> T | None:
        """Run one write; on an expected failure, tell the user and return None."""
        try:
            result = action()
        except EXPECTED_ERRORS as error:
            message = f"Could not {what}: {error}"
            if isinstance(error, sqlite3.Error) and self.after_database_error is not None:
                self._settle()
            log.warning(message)
            self.failed.emit(message)
            if not self.quiet:
                QMessageBox.warning(self._parent(), "MedCode Tutor", message)
            return None
        if changes:
            self.changed.emit(changes)
        return result

    def _settle(self) -> None:
        try:
            self.after_database_error()  # type: ignore[misc]
        except sqlite3.Error as error:  # the report of the first error matters more
            log.warning("could not end the failed transaction: %s", error)
