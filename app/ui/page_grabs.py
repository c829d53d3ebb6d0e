"""Open every page of the main window and grab it: the screenshot set and the layout test.

The pages are found through the sidebar, so pages added later are included without
changing this module. `scripts/screenshots.py` saves the set into docs/images/pages;
tests/ui/test_layout_every_page.py saves it to a temporary folder and checks each grab's
layout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.ui.main_window import MainWindow

SIZES = ((800, 600), (1920, 1080))
THEMES = ("light", "dark")


def grab_pages(window: MainWindow, folder: Path, label: str,
               check: Callable[[MainWindow], list[str]] | None = None) -> dict[str, list[str]]:
    """Open each sidebar entry, save `<label>-<row>-<page>.png`; `check` reports per page."""
    found: dict[str, list[str]] = {}
    for row in range(window.nav.count()):
        name = window.nav.item(row).text()
        window.nav.setCurrentRow(row)
        QApplication.processEvents()
        window.grab().save(str(folder / f"{label}-{row}-{name.lower().replace(' ', '-')}.png"))
        found[name] = check(window) if check is not None else []
    return found


def grab_every_size_and_theme(tutor, folder: Path, text_size: int,  # type: ignore[no-untyped-def]
                              check: Callable[[MainWindow], list[str]] | None = None,
                              extra: Callable[[str], dict[str, list[str]]] | None = None) -> dict[str, list[str]]:
    """Every page at 800×600 and 1920×1080 in both themes at `text_size`; the appearance is
    put back to the saved choice afterwards. Returns the problems `check` found, by state."""
    window, appearance = tutor.window, tutor.appearance
    choice, size = appearance.choice, appearance.text_size
    appearance.set_text_size(text_size)
    problems: dict[str, list[str]] = {}
    try:
        for width, height in SIZES:
            for theme in THEMES:
                appearance.set_theme(theme)
                window.resize(width, height)
                QApplication.processEvents()
                label = f"{width}x{height}-{theme}"
                states = grab_pages(window, folder, label, check) | (extra(label) if extra else {})
                if (window.width(), window.height()) != (width, height):
                    states["window"] = [f"the window resized itself to {window.width()}x{window.height()}"]
                problems |= {f"{label} {name}": found for name, found in states.items() if found}
    finally:
        appearance.set_theme(choice)
        appearance.set_text_size(size)
    return problems
