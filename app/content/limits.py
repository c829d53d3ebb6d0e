"""Limits on content that could freeze the window: rendered size, table rows, nesting depth.

Qt lays out rich text on the window's thread. A bank stem with an 8,000-row table froze the
practice page for 40 s (519 MB); a 5,000-row lesson table for 24 s. `bank check` and `bank
install` refuse text over these limits, naming the item and line, and the renderer shows a
short notice instead of text over them, so no content can block the window for long
(`benchmarks/render_limits.py` prints the time of the largest text allowed). Imports cap the
number of questions a file may hold before parsing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_TABLE_ROWS = 300  # rows in one Markdown table (a CPT section overview fits in 60)
MAX_NESTING = 8  # list or quote levels
MAX_LIST_ITEMS = 1_000  # list items in one text (Qt lays out deep lists slowly)
MAX_SOURCE_CHARS = 300_000  # Markdown characters in one text (a long lesson is 15,000)
MAX_RENDERED_CHARS = 600_000  # HTML characters one text may become
MAX_ITEMS = 5_000  # questions in one bank or one import file

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LIST = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s")
_QUOTE = re.compile(r"^\s*((?:>\s*)+)")


def text_problems(text: str) -> Iterator[tuple[int, str]]:
    """(0-based line within the text, why) for each limit the Markdown `text` goes over.

    A line scan, linear in the text, so it is safe to run on any input before rendering.
    """
    if len(text) > MAX_SOURCE_CHARS:
        yield 0, f"text is {len(text):,} characters; at most {MAX_SOURCE_CHARS:,} can be shown"
    lines = text.splitlines()
    table_start, rows, deepest, items = -1, 0, (0, 0), 0
    for number, line in enumerate(lines):
        if _SEPARATOR.match(line) and "-" in line and number > 0 and "|" in lines[number - 1] + line:
            table_start, rows = number - 1, 0
            continue
        if table_start >= 0 and "|" in line and line.strip():
            rows += 1
            if rows == MAX_TABLE_ROWS + 1:
                yield table_start, f"a table here has more than {MAX_TABLE_ROWS} rows; split it or shorten it"
            continue
        table_start = -1
        depth = _depth(line)
        if depth > deepest[0]:
            deepest = (depth, number)
        if _LIST.match(line):
            items += 1
            if items == MAX_LIST_ITEMS + 1:
                yield number, f"more than {MAX_LIST_ITEMS:,} list items; split the text"
    if deepest[0] > MAX_NESTING:
        yield deepest[1], f"lists or quotes nested {deepest[0]} levels deep; at most {MAX_NESTING} are allowed"


def _depth(line: str) -> int:
    quote = _QUOTE.match(line)
    quotes = quote.group(1).count(">") if quote else 0
    listed = _LIST.match(line)
    indent = len(listed.group(1).expandtabs(4)) // 2 + 1 if listed else 0
    return quotes + indent


def too_large_html(why: str) -> str:
    """What the window shows instead of text over the limits: a notice, never a frozen page."""
    from html import escape

    return (f"<p class=\"wrong\">This text is too large to show ({escape(why)}).</p>"
            "<p>Ask the author to shorten it; <code>medcode bank check</code> names the place.</p>")


def count_questions(text: str, kind: str) -> int:
    """About how many questions an import file holds, counted without parsing it.

    GIFT questions are separated by blank lines; Moodle XML has one <question> element each.
    """
    if kind == "moodle-xml":
        return text.count("<question ") + text.count("<question>")
    return sum(1 for block in re.split(r"\n[ \t\r]*\n", text) if "{" in block)
