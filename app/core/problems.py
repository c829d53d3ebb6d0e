"""Content problems: one message that names the file, the line and the field.

Loaders collect problems instead of raising on the first one, so an instructor sees every
mistake in one run and the app can still load the rest of the content.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {prefix}{self.message}"


class ContentError(Exception):
    """Raised by loaders when a file cannot be used at all; carries its problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
