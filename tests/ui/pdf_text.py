"""Read text back from a PDF written by QPdfWriter, without pdftotext or QtPdf.

Neither poppler nor PySide6.QtPdf (an Addons module) is available on every machine, so
the report test decodes the PDF itself: inflate the streams, read each font's ToUnicode
CMap, and map the glyph codes shown with Tj through the font in use. Enough for Qt's own
output (one glyph per Tj, Identity-H fonts); not a general PDF reader.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _inflate(body: bytes) -> bytes:
    found = STREAM.search(body)
    if not found:
        return b""
    raw = found.group(1)
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return raw


def _cmap(text: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for start, end, rest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
            first, last = int(start, 16), int(end, 16)
            if rest.startswith(b"["):
                targets = re.findall(rb"<([0-9A-Fa-f]+)>", rest)
                for offset, dst in enumerate(targets):
                    mapping[first + offset] = bytes.fromhex(dst.decode()).decode("utf-16-be")
            else:
                base = int(rest.strip(b"<>"), 16)
                for code in range(first, last + 1):
                    mapping[code] = chr(base + code - first)
    return mapping


def pdf_pages_and_text(path: Path) -> tuple[int, str]:
    """(number of pages, the text of all pages with glyph runs joined)."""
    data = path.read_bytes()
    objects = {int(n): body for n, body in OBJECT.findall(data)}
    pages = sum(1 for body in objects.values() if re.search(rb"/Type\s*/Page\b(?!s)", body))
    unicode_of = {n: _cmap(_inflate(objects[int(m.group(1))]))
                  for n, body in objects.items() if (m := re.search(rb"/ToUnicode (\d+) 0 R", body))}
    font_names: dict[bytes, dict[int, str]] = {}
    for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", data):
        target = objects.get(int(number), b"")
        descendant = re.search(rb"/DescendantFonts \[(\d+) 0 R\]", target)
        cmap = unicode_of.get(int(number)) or (unicode_of.get(int(descendant.group(1))) if descendant else None)
        if cmap:
            font_names[name] = cmap
    text: list[str] = []
    for body in objects.values():
        content = _inflate(body)
        if b" Tj" not in content:
            continue
        font: dict[int, str] = {}
        for token in re.finditer(rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]+)> Tj|(BT|ET)", content):
            if token.group(1):
                font = font_names.get(token.group(1), {})
            elif token.group(2):
                hexes = token.group(2)
                for i in range(0, len(hexes), 4):
                    text.append(font.get(int(hexes[i:i + 4], 16), ""))
            else:
                text.append(" ")
    return pages, "".join(text)
