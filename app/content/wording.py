"""Spotting text that looks like pasted AMA CPT descriptor wording.

CPT descriptors are licensed; a bank may cite CPT code numbers but must describe them in
its own words. Descriptors have a recognisable style: formal stock phrases ("each
additional", "with or without", "list separately in addition to code for primary
procedure") and semicolon-joined descriptor sentences ("...; initial", "...; each
additional 10 sq cm") next to a five-character code. These are heuristics, so a hit is a
WARNING for a person to judge, never an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.content.bank_fields import BlockText, item_line, key_line
from app.content.bank_items import item_label

STRONG = ("list separately in addition to code for primary procedure", "(list separately in addition",
          "medically appropriate history and/or examination", "when using time for code selection",
          "minutes must be met or exceeded", "total time is spent on the date of the encounter")
PHRASES = (
    "each additional", "with or without", "single or multiple", "per day", "; initial", "; subsequent",
    "; each", "including", "when performed", "separate procedure", "unilateral or bilateral",
    "by any method", "requiring", "per session", "first lesion", "complete procedure", "each 15 minutes",
    "multiple or complicated", "simple or complex", "intermediate or complex", "(eg,", "simple or single",
    "complicated or multiple", "level of medical decision making", "incision and drainage of abscess",
)
CPT_NUMBER = re.compile(r"(?<![\w.])(?:\d{5}|\d{4}[FTU])(?![\w.])")
SEMICOLON_DESCRIPTOR = re.compile(r";\s+[a-z]")


def descriptor_phrases(text: str) -> list[str]:
    """The descriptor-style phrases a line of text uses, or [] when it reads as own words."""
    lowered = " ".join(text.lower().split())
    strong = [phrase for phrase in STRONG if phrase in lowered]
    if strong:
        return strong[:1]
    found = [phrase for phrase in PHRASES if phrase in lowered]
    if not CPT_NUMBER.search(text):
        return []
    if SEMICOLON_DESCRIPTOR.search(lowered) and found:
        return found
    return found if len(found) >= 2 else []


def _texts(node: object, field: str, line: int) -> Iterator[tuple[str, int, str]]:
    """(field, line, text) for every text value under `node`, with the naming the loader uses."""
    if isinstance(node, str):
        yield field, line, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{field}.{key}" if field else str(key), key_line(node, key, line))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{field}[{index}]", item_line(node, index, line))


def bank_texts(tree: object) -> Iterator[tuple[str, int, str]]:
    """Every text of a parsed bank, items named by their id as in loader messages."""
    if not isinstance(tree, dict):
        return
    for key, value in tree.items():
        if key == "items" and isinstance(value, list):
            for index, node in enumerate(value):
                label = item_label(node, index) if isinstance(node, dict) else f"items[{index}]"
                yield from _texts(node, label, item_line(value, index, key_line(tree, key)))
        else:
            yield from _texts(value, str(key), key_line(tree, key))


def text_line(text: str, start: int, needle_line: int) -> int:
    """File line of a text's n-th line: block scalars (| or >) start on the next line."""
    if isinstance(text, BlockText) or type(text).__name__ in ("LiteralScalarString", "FoldedScalarString"):
        return start + 1 + needle_line  # the fast reader's block text, or ruamel's
    return start


def descriptor_hits(tree: object) -> Iterator[tuple[str, int, list[str]]]:
    """(field, line, phrases) for every line of bank text that reads like a CPT descriptor."""
    for field, line, text in bank_texts(tree):
        for number, part in enumerate(str(text).splitlines() or [""]):
            phrases = descriptor_phrases(part)
            if phrases:
                yield field, text_line(text, line, number), phrases
