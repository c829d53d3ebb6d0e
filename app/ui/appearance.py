"""Text size and colour theme for the whole application, applied through one stylesheet.

A stylesheet that names a font size wins over `QWidget.setFont`, so the text size is
written into the stylesheet itself (assets/style.qss is a template with `$name` fields),
together with the colours of the chosen theme. The theme is "system" (follow Qt's
`QStyleHints.colorScheme()`, and its changes), "light" or "dark". Documents shown in
QTextBrowsers take their text colour from the palette, so the palette is set as well.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEME_CHOICES = ("system", "light", "dark")
TEXT_SIZES = (10, 11, 12, 13, 14, 16, 18, 20, 24)
DEFAULT_TEXT_SIZE = 12
LARGEST_TEXT_SIZE = TEXT_SIZES[-1]

COLOURS: dict[str, dict[str, str]] = {
    "light": {
        "window": "#f7f9fc", "base": "#ffffff", "alternate": "#eef3f8", "text": "#1f2933",
        "border": "#c9d5e2", "nav": "#1d3b5a", "nav_text": "#e8eef5", "nav_selected": "#3f6f9f",
        "button": "#2b5f8f", "button_hover": "#356fa5",
        "button_disabled": "#b7c4d1", "button_disabled_text": "#eef2f6", "accent_text": "#1d3b5a",
        "warning": "#9a6700", "right": "#1e7b34", "wrong": "#b3261e", "header": "#e4ecf5",
        "highlight": "#3f6f9f", "link": "#1f5f99", "placeholder": "#6b7b8b",
    },
    "dark": {
        "window": "#1b1f24", "base": "#23282e", "alternate": "#2a3038", "text": "#e6ebf0",
        "border": "#46505c", "nav": "#14283d", "nav_text": "#dfe7f0", "nav_selected": "#3f6f9f",
        "button": "#3a6ea3", "button_hover": "#4a80b8",
        "button_disabled": "#3a434d", "button_disabled_text": "#8d99a6", "accent_text": "#a9c8ea",
        "warning": "#f0b849", "right": "#6fcf86", "wrong": "#ff8a80", "header": "#2f3a46",
        "highlight": "#3f6f9f", "link": "#8cc4ff", "placeholder": "#8d99a6",
    },
}


def stylesheet(template: str, theme: str, points: int) -> str:
    """The application stylesheet for a resolved theme ("light"/"dark") and a text size."""
    values = dict(COLOURS[theme], text_pt=f"{points}pt", big_pt=f"{round(points * 1.6)}pt")
    return Template(template).safe_substitute(values)


def palette(theme: str) -> QPalette:
    """A palette matching the stylesheet, for everything the stylesheet does not colour."""
    c = COLOURS[theme]
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: c["window"], QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.Base: c["base"], QPalette.ColorRole.AlternateBase: c["alternate"],
        QPalette.ColorRole.Text: c["text"], QPalette.ColorRole.Button: c["alternate"],
        QPalette.ColorRole.ButtonText: c["text"], QPalette.ColorRole.ToolTipBase: c["base"],
        QPalette.ColorRole.ToolTipText: c["text"], QPalette.ColorRole.Highlight: c["highlight"],
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Link: c["link"],
        QPalette.ColorRole.PlaceholderText: c["placeholder"], QPalette.ColorRole.Mid: c["border"],
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(c["placeholder"]))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(c["placeholder"]))
    return pal


def system_theme() -> str:
    """What the desktop asks for; "light" when it does not say."""
    hints = QGuiApplication.styleHints()
    return "dark" if hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark else "light"


class Appearance(QObject):
    """Holds the chosen theme and text size and applies them to the running application."""

    applied = Signal(str, int)  # resolved theme, text size in points

    def __init__(self, app: QApplication, template_path: Path):
        super().__init__()
        self.app = app
        self.template = template_path.read_text(encoding="utf-8") if template_path.is_file() else ""
        self.choice = "system"
        self.text_size = DEFAULT_TEXT_SIZE
        hints = QGuiApplication.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(self._system_changed)

    @property
    def theme(self) -> str:
        """The theme in effect: the choice, with "system" resolved."""
        return system_theme() if self.choice == "system" else self.choice

    def set_theme(self, choice: str) -> None:
        self.choice = choice if choice in THEME_CHOICES else "system"
        self.apply()

    def set_text_size(self, points: int) -> None:
        self.text_size = max(TEXT_SIZES[0], min(LARGEST_TEXT_SIZE, int(points)))
        self.apply()

    def apply(self) -> None:
        """Restyle the application; nothing is done when nothing changed (restyling every
        widget takes seconds on a slow machine)."""
        theme = self.theme
        sheet = stylesheet(self.template, theme, self.text_size)
        if sheet != self.app.styleSheet():
            self.app.setPalette(palette(theme))
            font = self.app.font()
            font.setPointSize(self.text_size)
            self.app.setFont(font)  # dialogs built without a stylesheet rule follow it too
            self.app.setStyleSheet(sheet)
        self.applied.emit(theme, self.text_size)

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self.apply()
