"""The Help menu: keyboard shortcuts, where data is kept, About, and the first-run tour.

Each topic is a small dialog built from plain values (paths, versions), so it can be
shown and tested without the rest of the app. `HelpController` is wired by the
composition root to the main window's `help_requested` signal.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.codeset import CodeSet, CodeSystem
from app.paths import AppPaths

SHORTCUTS = (
    ("Everywhere", (("Ctrl+= / Ctrl+-", "Larger / smaller text"), ("Ctrl+0", "Normal text size"),
                    ("Ctrl+Shift+S", "Switch learner"), ("F1", "This list"), ("Ctrl+Q", "Quit"))),
    ("Practice", (("1 – 9", "Choose option 1 to 9"), ("Enter", "Submit a multiple-choice answer"),
                  ("N", "Next item"))),
    ("Coding cases", (("Tab", "Code → modifiers → units → next row"), ("Enter", "Next row (adds one at the end)"),
                      ("Ctrl+Enter", "Submit the case"), ("Ctrl+Backspace", "Remove the row"))),
    ("Author view", (("Ctrl+S", "Save the bank"),)),
)

CPT_NOTICE = ("CPT® is a registered trademark of the American Medical Association (AMA). MedCode Tutor "
              "ships no AMA CPT descriptors: CPT codes appear only as numbers with our own short "
              "wording. A licensed CPT file you own can be imported and stays on this computer.")

TOUR = (
    ("1 · Read a lesson", "Pick a lesson under <b>Lessons</b>. It is marked read when you reach its end "
     "(or after a minute). <b>Practise this lesson</b> starts the items that go with it."),
    ("2 · Practise and get feedback", "Under <b>Practice</b>, choose a scope and press <b>Start practice</b>. "
     "Each answer is scored at once; coding cases mark every code you entered and show the answer key."),
    ("3 · Look codes up, see your progress", "The <b>Code browser</b> is an offline code book (ICD-10-CM, "
     "ICD-10-PCS, HCPCS, CPT numbers). <b>Progress</b> shows what you have read and answered. "
     "Text size and colours are in the <b>View</b> menu; this tour is in <b>Help</b>."),
)


def shortcuts_html() -> str:
    parts = []
    for area, rows in SHORTCUTS:
        cells = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows)
        parts.append(f"<h3>{escape(area)}</h3><table cellpadding='3'>{cells}</table>")
    return "".join(parts)


def data_html(paths: AppPaths) -> str:
    rows = (("Your answers, profiles and settings", paths.learner_db),
            ("Question-bank packages you installed", paths.banks_dir),
            ("Licensed code files you imported", paths.user_codes_db),
            ("Code-set cache (rebuilt when deleted)", paths.codes_db))
    cells = "".join(f"<tr><td>{escape(label)}</td><td><code>{escape(str(path))}</code></td></tr>"
                    for label, path in rows)
    return ("<p>Everything stays on this computer; nothing is sent anywhere.</p>"
            f"<table cellpadding='3'>{cells}</table>"
            "<p>To keep your work, copy the data folder. To use another folder, start the app with "
            "<code>--data-dir PATH</code> or set <code>MEDCODE_DATA_DIR</code>.</p>")


def about_html(version: str, codes: CodeSet) -> str:
    names = ((CodeSystem.ICD10CM, "ICD-10-CM"), (CodeSystem.ICD10PCS, "ICD-10-PCS"),
             (CodeSystem.HCPCS, "HCPCS Level II"), (CodeSystem.CPT, "CPT"))
    versions = "".join(f"<tr><td>{name}</td><td>{escape(codes.version(system) or '—')}</td></tr>"
                       for system, name in names)
    return (f"<h2>MedCode Tutor {escape(version)}</h2><p>An offline tutor for medical billing and coding.</p>"
            f"<h3>Code sets</h3><table cellpadding='3'>{versions}</table>"
            "<h3>Licences</h3><ul><li>MedCode Tutor: MIT licence.</li>"
            "<li>ICD-10-CM (CDC) and ICD-10-PCS (CMS): US government works in the public domain.</li>"
            "<li>HCPCS Level II: curated here from public CMS facts (no CDT D-codes).</li>"
            "<li>Qt for Python (PySide6): LGPLv3.</li></ul>"
            f"<h3>CPT notice</h3><p>{escape(CPT_NOTICE).replace('®', '&reg;')}</p>"
            "<p>All practice cases are synthetic: no real patient data.</p>")


class TextDialog(QDialog):
    """A titled page of rich text with a Close button, wide enough to read."""

    def __init__(self, title: str, html: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(560, 440)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)


class TourDialog(QDialog):
    """Three screens for a newcomer, with Back / Next / Done."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Welcome to MedCode Tutor")
        self.resize(520, 300)
        self.pages = QStackedWidget()
        for title, text in TOUR:
            page = QLabel(f"<h2>{title}</h2><p>{text}</p>")
            page.setWordWrap(True)
            page.setAlignment(Qt.AlignmentFlag.AlignTop)
            self.pages.addWidget(page)
        self.back, self.next = QPushButton("Back"), QPushButton("Next")
        self.back.clicked.connect(lambda: self.go(-1))
        self.next.clicked.connect(lambda: self.go(1))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.back)
        row.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(row)
        self.go(0)

    def go(self, step: int) -> None:
        index = self.pages.currentIndex() + step
        if index >= self.pages.count():
            self.accept()
            return
        self.pages.setCurrentIndex(max(0, index))
        self.back.setEnabled(self.pages.currentIndex() > 0)
        self.next.setText("Done" if self.pages.currentIndex() == self.pages.count() - 1 else "Next")
        self.next.setDefault(True)


class HelpController(QObject):
    """Opens the Help menu's topics; `opened` holds the last dialog (for tests and screenshots)."""

    def __init__(self, parent: QWidget, paths: AppPaths, codes: CodeSet, version: str):
        super().__init__(parent)
        self.parent_widget, self.paths, self.codes, self.version = parent, paths, codes, version
        self.opened: QDialog | None = None

    def show(self, topic: str) -> QDialog:
        if topic == "tour":
            dialog: QDialog = TourDialog(self.parent_widget)
        else:
            title, html = {
                "shortcuts": ("Keyboard shortcuts", shortcuts_html),
                "data": ("Where your data is kept", lambda: data_html(self.paths)),
                "about": ("About MedCode Tutor", lambda: about_html(self.version, self.codes)),
            }[topic]
            dialog = TextDialog(title, html(), self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.opened = dialog
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()  # window-modal without a nested event loop: quitting the app still works
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.opened is dialog:
            self.opened = None
