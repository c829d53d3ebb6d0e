"""The fast bank reader: PyYAML's C parser (libyaml) events -> the tree the bank loader reads.

ruamel.yaml's round-trip loader is pure Python: about 10 ms per item on the reference
machine, so `bank check` of 1,000 items took over 10 s. libyaml parses the same file in a
small fraction of that and gives every event its start mark, so this module builds the
tree straight from the parser's events:

- mappings and lists are `MarkedMap` / `MarkedList` (dict / list) with an `lc` attribute
  that answers `line`, `key(k)` and `item(i)` exactly like ruamel's, 0-based, so the
  loader and the checker find the same line for every message;
- plain scalars are typed by the YAML 1.2 core schema, as ruamel reads them (`yes` stays
  text, `true` is a boolean, `2026` an int, `1.5` a float, `~` and nothing are null);
- block scalars (`|`, `>`) are `LiteralText` / `FoldedText` (str), as ruamel's
  `LiteralScalarString` / `FoldedScalarString`, so a message can point inside the block.

Anything outside the simple, common subset raises `NeedsReference`, and the caller reads the
file with the ruamel reader instead: a syntax error, an anchor, alias or tag, a second
document, a `%YAML` directive, a duplicate key, a complex key, deep nesting, and any plain
scalar that YAML 1.2 would read as an unusual number or a date (`0x1F`, `1_000`, `1e3`,
`2026-01-05`). So a bank that is fine loads fast, and every message about a bank that is
not is still ruamel's, word for word (tests/content/test_checker_broken.py).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from app.content.bank_fields import FoldedText, LiteralText

# libyaml is part of PyYAML's wheels; the pure-Python loader gives the same events, slower.
Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 64  # banks nest about 8 deep; deeper files go to the reference reader
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_SPECIAL_START = frozenset("-+.0123456789~nNtTfF<=")
_SIMPLE_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_SIMPLE_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
# YAML 1.2 core (as ruamel resolves it): anything else that is a number, a date, a merge key
_UNUSUAL = re.compile(
    r"""(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+
    |[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:(?:[Tt]|[ \t]+).*)?|<<|=)\Z""",
    re.X,
)


class NeedsReference(Exception):
    """The text is outside what the fast reader handles: read it with the ruamel reader."""


class LineCol:
    """Positions like ruamel's `.lc`: 0-based `line`/`col`, and `data` per key or index."""

    __slots__ = ("line", "col", "data")

    def __init__(self, line: int, col: int):
        self.line, self.col = line, col
        self.data: dict[Any, tuple[int, int, int, int] | tuple[int, int]] = {}

    def key(self, key: Any) -> tuple[int, int]:
        return self.data[key][:2]  # type: ignore[return-value]

    def value(self, key: Any) -> tuple[int, int]:
        return self.data[key][2:4]  # type: ignore[return-value]

    def item(self, index: int) -> tuple[int, int]:
        return self.data[index][:2]  # type: ignore[return-value]


_BLOCKS = {"|": LiteralText, ">": FoldedText}


class MarkedMap(dict):  # type: ignore[type-arg]
    __slots__ = ("lc",)


class MarkedList(list):  # type: ignore[type-arg]
    __slots__ = ("lc",)


def plain_value(text: str) -> object:
    """A plain (unquoted) scalar typed as YAML 1.2 / ruamel types it; unusual forms refuse."""
    if not text:
        return None  # `key:` with nothing after it
    if text[0] not in _SPECIAL_START:
        return text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _SIMPLE_INT.match(text):
        return int(text)
    if _SIMPLE_FLOAT.match(text):
        return float(text)
    if _UNUSUAL.match(text):
        raise NeedsReference(f"unusual scalar {text!r}")
    return text


_NO_KEY = object()


class _Builder:
    """Turns the event stream into MarkedMap/MarkedList/scalars with every position kept."""

    def __init__(self) -> None:
        self.stack: list[list[Any]] = []  # [container, pending key, key line, key col]
        self.root: object = None

    def place(self, value: object, line: int, col: int) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        container = top[0]
        if isinstance(container, MarkedList):
            container.lc.data[len(container)] = (line, col)
            container.append(value)
        elif top[1] is _NO_KEY:
            if isinstance(value, (MarkedMap, MarkedList)):
                raise NeedsReference("a mapping or list used as a key")
            top[1], top[2], top[3] = value, line, col
        else:
            key = top[1]
            if key in container:
                raise NeedsReference(f"duplicate key {key!r}")
            container[key] = value
            container.lc.data[key] = (top[2], top[3], line, col)
            top[1] = _NO_KEY

    def open(self, container: MarkedMap | MarkedList, line: int, col: int) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise NeedsReference("nested too deep")
        container.lc = LineCol(line, col)
        self.place(container, line, col)
        self.stack.append([container, _NO_KEY, 0, 0])


def parse_fast(text: str) -> object:
    """The tree of one YAML document, or NeedsReference when the ruamel reader must read it."""
    parser = Parser(text)
    builder = _Builder()
    documents = 0
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise NeedsReference("anchor or tag")
                mark = event.start_mark
                style = event.style
                if not style:  # plain: None from the Python parser, "" from libyaml
                    value = plain_value(event.value)
                else:
                    value = _BLOCKS[style](event.value) if style in _BLOCKS else event.value
                builder.place(value, mark.line, mark.column)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None or event.tag is not None:
                    raise NeedsReference("anchor or tag")
                mark = event.start_mark
                builder.open(MarkedMap() if kind is MappingStartEvent else MarkedList(), mark.line, mark.column)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                builder.stack.pop()
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1 or event.version is not None or event.tags:
                    raise NeedsReference("several documents or a directive")
            elif kind is AliasEvent:
                raise NeedsReference("alias")
            elif kind is StreamEndEvent:
                return builder.root
    except yaml.YAMLError as error:
        raise NeedsReference(str(error)) from error
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
