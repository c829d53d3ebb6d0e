"""How long the window is blocked by the largest text the limits allow, and by refused text.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/render_limits.py
Prints Markdown-to-HTML plus QTextBrowser.setHtml time for: a table at MAX_TABLE_ROWS, lists at
MAX_NESTING and MAX_LIST_ITEMS, MAX_SOURCE_CHARS of paragraphs, a 1 MB lesson, and an 8,000-row table (shown as a notice).
Target (issue 9, point 8): under 1 s each on the window's thread.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from PySide6.QtWidgets import QApplication, QTextBrowser

    from app.content.limits import MAX_LIST_ITEMS, MAX_NESTING, MAX_SOURCE_CHARS, MAX_TABLE_ROWS
    from app.content.render import markdown_to_html

    app = QApplication.instance() or QApplication(sys.argv)
    table = lambda rows: "| code | meaning |\n|---|---|\n" + "".join(  # noqa: E731
        f"| E11.{n % 10} | a row of text number {n} |\n" for n in range(rows))
    cases = {
        f"table of {MAX_TABLE_ROWS} rows (the limit)": table(MAX_TABLE_ROWS),
        f"{MAX_LIST_ITEMS} list items nested {MAX_NESTING} deep (the limits)": "\n".join(
            "".join("  " * d + f"- item {d}\n" for d in range(MAX_NESTING)) for _ in range(MAX_LIST_ITEMS // MAX_NESTING)),
        f"{MAX_SOURCE_CHARS // 1000}k characters of paragraphs (the limit)": (
            "A paragraph of lesson text about coding conventions. " * 20 + "\n\n") * (MAX_SOURCE_CHARS // 1100),
        "table of 8,000 rows (refused: a notice)": table(8_000),
        "1 MB lesson (refused: a notice)": ("Lesson text. " * 80 + "\n\n") * 1000,
    }
    browser = QTextBrowser()
    browser.resize(900, 700)
    for name, text in cases.items():
        markdown_to_html.cache_clear()
        started = time.perf_counter()
        browser.setHtml(markdown_to_html(text))
        browser.document().size()  # force the layout Qt would do before painting
        app.processEvents()
        print(f"{name}: {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
