"""Reading a bank file's YAML safely, with line numbers, without ever raising.

Banks come from instructors and from packages downloaded off a course site, so the reader
treats every file as hostile: it refuses big files before parsing, binary junk, tags (no
Python objects, no custom types), and anchors/aliases (the "billion laughs" expansion).
ruamel.yaml's round-trip loader is used because it keeps the line of every key and item
(`.lc`) for messages, and the comments the bank editor must preserve.
"""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, DocumentStartEvent, NodeEvent, ScalarEvent

from app.core.problems import Problem

MAX_BYTES = 5 * 1024 * 1024


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def read_text(path: Path, data: bytes | None = None) -> tuple[str | None, list[Problem]]:
    """The file's text, or None with one problem saying why it cannot be used.

    `data` is the file's content when the caller has read it already (the content cache
    hashes exactly the bytes that are then parsed).
    """
    where = str(path)
    try:
        size = len(data) if data is not None else path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(where, 0, "file", f"file is {size / 1048576:.1f} MB; a bank may be at most 5 MB")]
        if data is None:
            data = path.read_bytes()
    except OSError as error:
        return None, [Problem(where, 0, "file", f"cannot be read: {error.strerror or error}")]
    return decode(data, where)


def decode(data: bytes, where: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text from bytes; binary junk (NUL bytes, invalid UTF-8) is refused by position."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(where, line, "file", "binary data (NUL byte); a bank must be UTF-8 text")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(where, line, "file", f"not UTF-8 text (bad byte at offset {error.start})")]
    return text.removeprefix("\ufeff"), []


def _mark_line(error: YAMLError) -> int:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return int(mark.line) + 1 if mark is not None else 0


def _syntax_problem(where: str, error: YAMLError) -> Problem:
    if isinstance(error, MarkedYAMLError):
        context = str(error.context or "")
        started = error.context_mark.line + 1 if error.context and error.context_mark is not None else 0
        if context and started and started != _mark_line(error):
            context = f"{context} (started on line {started})"
        message = "; ".join(part for part in (context, str(error.problem or "")) if part) or "invalid YAML"
    else:
        message = str(error).splitlines()[0] if str(error) else "invalid YAML"
    message = " ".join(message.split())
    return Problem(where, _mark_line(error), "yaml", f"syntax error: {message}")


class _Refused(MarkedYAMLError):
    """A construct the bank reader does not allow; raised while composing, before construction."""


def _event_problem(event: object, documents: list[int]) -> str | None:
    if isinstance(event, DocumentStartEvent):
        documents.append(1)
        if len(documents) > 1:
            return "more than one YAML document; a bank is one document"
    if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
        return "anchors and aliases (& and *) are not allowed in a bank"
    tag = getattr(event, "tag", None) if isinstance(event, (ScalarEvent, CollectionStartEvent)) else None
    if tag is not None and str(tag):
        return f"YAML tags such as {str(tag)!r} are not allowed in a bank"
    return None


def _guard(parser: object) -> None:
    """Check every event as the composer takes it, so refused constructs stop the load in one pass.

    Composition finishes before anything is constructed, and an alias is refused when its event
    arrives, so nothing is ever expanded or built from a tag.
    """
    original = parser.get_event  # type: ignore[attr-defined]
    documents: list[int] = []

    def get_event() -> object:
        event = original()
        problem = _event_problem(event, documents)
        if problem:
            raise _Refused(problem=problem, problem_mark=event.start_mark)
        return event

    parser.get_event = get_event  # type: ignore[attr-defined]


def parse_text(text: str, where: str) -> tuple[object, list[Problem]]:
    """The tree of `text` (mappings and lists that know their lines, and scalars) or problems.

    The fast reader (app/content/yaml_fast.py, PyYAML's C parser) reads every bank that is
    fine; whatever it does not handle, including every file with a mistake, is read by the
    ruamel round-trip reader, so the messages stay exactly ruamel's.
    """
    from app.content.yaml_fast import NeedsReference, parse_fast

    try:
        return parse_fast(text), []
    except NeedsReference:
        return parse_reference(text, where)


def parse_reference(text: str, where: str) -> tuple[object, list[Problem]]:
    """The round-trip tree of `text` (CommentedMap/CommentedSeq/scalars) or problems."""
    yaml = _yaml()
    try:
        constructor, parser = yaml.get_constructor_parser(text)
        _guard(parser)
        try:
            return constructor.get_single_data(), []
        finally:
            parser.dispose()
    except _Refused as error:
        return None, [Problem(where, _mark_line(error), "yaml", str(error.problem))]
    except YAMLError as error:
        return None, [_syntax_problem(where, error)]
    except RecursionError:
        return None, [Problem(where, 0, "yaml", "nesting is too deep")]
    except (ValueError, TypeError, OverflowError) as error:  # e.g. an impossible date: 2001-02-30
        return None, [Problem(where, 0, "yaml", f"a value cannot be read: {error}")]
    except (IndexError, KeyError, AttributeError) as error:  # ruamel trips over e.g. a `%YAML 1.1` line
        return None, [Problem(where, 0, "yaml", f"this YAML cannot be read ({type(error).__name__}); "
                                                "a bank is plain YAML without % directives")]


def read_yaml(path: Path, data: bytes | None = None) -> tuple[object, list[Problem]]:
    """Read and parse one bank file; (None, problems) when it cannot be used at all."""
    text, problems = read_text(path, data)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(str(path), 0, "file", "file is empty; a bank needs `bank:` and `items:`")]
    return parse_text(text, str(path))
