"""Guard against the PySide6 build that leaks references to None (data-safety issue, point 1).

PySide6-Essentials 6.12.0 on Python 3.11 drops one reference to `None` on every Qt call that
returns nothing. After a few hundred answers the count reaches zero and the interpreter aborts
with `Fatal Python error: none_dealloc`. pyproject.toml keeps that combination out; these tests
fail if it comes back (on Python 3.12+ `None` is immortal, so the count cannot move at all).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QTextBrowser

REPO = Path(__file__).resolve().parents[2]
CALLS = 10_000
MARGIN = 50


def test_void_qt_calls_leave_the_none_refcount_alone(qtbot) -> None:  # type: ignore[no-untyped-def]
    label, table, browser = QLabel(), QTableWidget(2, 2), QTextBrowser()
    for widget in (label, table, browser):
        qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for n in range(CALLS // 4):
        label.setText(str(n))
        table.setItem(n % 2, 0, QTableWidgetItem("x"))
        browser.setHtml("<p>x</p>")
        label.clear()
    after = sys.getrefcount(None)
    assert abs(after - before) <= MARGIN, (
        f"{CALLS} void Qt calls moved sys.getrefcount(None) from {before} to {after}: "
        "this PySide6 build leaks None and will abort the app (see docs/data-safety.md)"
    )


def _pyside_requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = [Requirement(text) for text in project["dependencies"]]
    return [r for r in found if r.name.lower() == "pyside6-essentials"]


def _allowed(python_version: str, pyside: str) -> bool:
    env = default_environment() | {"python_version": python_version, "python_full_version": python_version + ".0"}
    applicable = [r for r in _pyside_requirements() if r.marker is None or r.marker.evaluate(env)]
    assert applicable, f"no PySide6-Essentials requirement applies on Python {python_version}"
    return all(r.specifier.contains(pyside, prereleases=True) for r in applicable)


def test_the_dependency_excludes_the_leaking_combination() -> None:
    assert not _allowed("3.11", "6.12.0")
    assert _allowed("3.11", "6.11.3")
    assert _allowed("3.12", "6.12.0")
    assert _allowed("3.13", "6.12.0")
