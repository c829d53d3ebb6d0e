"""The floor for benchmarks/startup.py: the least a PySide6 program does to show the same lesson.

Run: python benchmarks/startup_floor.py LESSON.md

It reads the lesson file, turns its Markdown into HTML with the same `markdown` library and
extensions the app uses, shows it in a QTextBrowser inside a QMainWindow of the app's size,
and quits after the first paint pass, exactly as `medcode --quit-after-first-paint` does.
Nothing of the app is imported.
"""

from __future__ import annotations

import sys
from pathlib import Path

import markdown
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser


class QuitAfterFirstPaint(QObject):
    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app, self.armed = app, True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if self.armed and event.type() == QEvent.Type.Paint:
            self.armed = False
            QTimer.singleShot(0, self.app.quit)
        return False


def main() -> int:
    text = Path(sys.argv[1]).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1] if text.startswith("---") else text  # after the front matter
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1100, 760)
    reader = QTextBrowser()
    reader.setHtml(markdown.markdown(body, extensions=["tables", "sane_lists"]))
    window.setCentralWidget(reader)
    app.installEventFilter(QuitAfterFirstPaint(app))
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
