"""Typed field access on a YAML mapping that records a Problem instead of raising.

Every value read from a bank goes through a `Fields` object, so each message names the
file, the line the value sits on and the full field path (`cm-case-001.key.sections[0]...`),
and a bad value is reported once and replaced by None so the rest keeps loading.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable

from app.core.problems import Problem, Severity

_MISSING = object()


class BlockText(str):
    """Text written as a YAML block scalar (`|` or `>`): its first line is the line after the key.

    The fast reader (yaml_fast.py) gives block scalars these types, as ruamel gives its
    `LiteralScalarString` / `FoldedScalarString`. They live here, in a module a start loads
    anyway, so that unpickling cached banks never imports a YAML library.
    """

    __slots__ = ()


class LiteralText(BlockText):
    __slots__ = ()


class FoldedText(BlockText):
    __slots__ = ()


def node_line(node: object, default: int = 0) -> int:
    """1-based line where a round-trip mapping or list starts (0 when unknown)."""
    lc = getattr(node, "lc", None)
    line = getattr(lc, "line", None)
    return int(line) + 1 if isinstance(line, int) else default


def item_line(seq: object, index: int, default: int = 0) -> int:
    """1-based line of the index-th entry of a round-trip list."""
    try:
        return int(seq.lc.item(index)[0]) + 1  # type: ignore[attr-defined]
    except (AttributeError, KeyError, IndexError, TypeError):
        return default


def key_line(node: object, key: str, default: int = 0) -> int:
    """1-based line of `key` in a round-trip mapping."""
    try:
        return int(node.lc.key(key)[0]) + 1  # type: ignore[attr-defined]
    except (AttributeError, KeyError, IndexError, TypeError):
        return default


def type_name(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date (put it in quotes to keep it as text)"
    return type(value).__name__


class Sink:
    """Collects problems for one file."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[Problem] = []

    def add(self, line: int, field: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(self.where, line, field, message, severity))


class Fields:
    """One mapping of the bank, its field path, and the keys it may hold."""

    def __init__(self, sink: Sink, node: dict, prefix: str, known: Iterable[str], line: int = 0) -> None:  # type: ignore[type-arg]
        self.sink = sink
        self.node = node
        self.prefix = prefix
        self.line = node_line(node, line)
        self.known = tuple(known)

    def name(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def at(self, key: str) -> int:
        return key_line(self.node, key, self.line)

    def error(self, key: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.sink.add(self.at(key), self.name(key), message, severity)

    def check_unknown(self) -> None:
        """Report unknown fields (with a suggestion) and known fields left without a value."""
        for key in self.node:
            if str(key) in self.known:
                if self.node[key] is None:
                    self.sink.add(self.at(key), self.name(str(key)), "has no value (write one, or remove the field)")
                continue
            close = difflib.get_close_matches(str(key), self.known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.sink.add(self.at(key), self.name(str(key)), f"unknown field{hint}")

    def raw(self, key: str, required: bool = False) -> object:
        """The value, or _MISSING (reported when required)."""
        if key in self.node and self.node[key] is not None:
            return self.node[key]
        if required and key not in self.node:  # present but empty is reported by check_unknown
            self.sink.add(self.line, self.name(key), "required field is missing")
        return _MISSING

    def text(self, key: str, required: bool = False, default: str = "") -> str | None:
        value = self.raw(key, required)
        if value is _MISSING:
            return None if required else default
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("version",):
            return str(value)
        if not isinstance(value, str):
            shown = str(value).lower() if isinstance(value, bool) else value
            hint = f' (put it in quotes: "{shown}")' if isinstance(value, (int, float, bool)) else ""
            self.error(key, f"must be text, not {type_name(value)}{hint}")
            return None
        if required and not value.strip():
            self.error(key, "must not be empty")
            return None
        return str(value)

    def flag(self, key: str, default: bool = False) -> bool | None:
        value = self.raw(key)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.error(key, f"must be true or false, not {type_name(value)}")
            return None
        return value

    def number(self, key: str, required: bool = False, low: float | None = None, high: float | None = None,
               whole: bool = False, default: float | None = None) -> float | None:
        value = self.raw(key, required)
        if value is _MISSING:
            return default
        kind = "a whole number" if whole else "a number"
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not isinstance(value, int)):
            shown = str(value) if isinstance(value, float) else type_name(value)
            self.error(key, f"must be {kind}, not {shown}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(key, f"must be {kind} from {_fmt(low)} to {_fmt(high)}, not {_fmt(value)}")
            return None
        return int(value) if whole else float(value)

    def choice(self, key: str, allowed: Iterable[str], required: bool = False, default: str | None = None) -> str | None:
        value = self.raw(key, required)
        if value is _MISSING:
            return default
        options = tuple(allowed)
        if isinstance(value, str) and value in options:
            return value
        if len(options) <= 8:
            self.error(key, f"must be one of {', '.join(options)}, not {_show(value)}")
            return None
        close = difflib.get_close_matches(str(value), options, n=1) if isinstance(value, str) else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        self.error(key, f"{_show(value)} is not a known {key}{hint}; the list is in docs/question-bank-format.md")
        return None

    def mapping(self, key: str, required: bool = False) -> dict | None:  # type: ignore[type-arg]
        value = self.raw(key, required)
        if value is _MISSING:
            return None
        if not isinstance(value, dict):
            self.error(key, f"must be a mapping of fields, not {type_name(value)}")
            return None
        return value

    def seq(self, key: str, required: bool = False, minimum: int = 0) -> list | None:  # type: ignore[type-arg]
        value = self.raw(key, required)
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            self.error(key, f"must be a list, not {type_name(value)}")
            return None
        if len(value) < minimum:
            self.error(key, f"needs at least {minimum} entr{'y' if minimum == 1 else 'ies'}, has {len(value)}")
            return None
        return value

    def words(self, key: str) -> tuple[str, ...] | None:
        """A list of text entries (tags, distractors); numbers are refused to keep text exact."""
        value = self.seq(key)
        if value is None:
            return () if self.node.get(key) is None else None
        bad = [index for index, entry in enumerate(value) if not isinstance(entry, str) or not entry.strip()]
        if bad:
            self.sink.add(item_line(value, bad[0], self.at(key)), f"{self.name(key)}[{bad[0]}]", "must be non-empty text")
            return None
        return tuple(str(entry) for entry in value)


def _fmt(value: float | None) -> str:
    if value is None:
        return "any"
    return str(int(value)) if float(value).is_integer() else str(value)


def _show(value: object) -> str:
    return repr(str(value)) if isinstance(value, str) else f"{value!r}" if isinstance(value, (int, float, bool)) else type_name(value)


def child(parent: Fields, seq: list, index: int, known: Iterable[str], what: str) -> Fields | None:  # type: ignore[type-arg]
    """Fields of the index-th mapping in a list field, or None (reported) when it is not a mapping."""
    entry = seq[index]
    line = item_line(seq, index, parent.line)
    name = f"{parent.prefix}[{index}]" if what == "" else f"{parent.name(what)}[{index}]"
    if not isinstance(entry, dict):
        parent.sink.add(line, name, f"must be a mapping of fields, not {type_name(entry)}")
        return None
    fields = Fields(parent.sink, entry, name, known, line)
    fields.check_unknown()
    return fields
