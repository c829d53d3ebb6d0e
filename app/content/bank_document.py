"""An open bank file in the editor: edit items in place, keep comments and order, save safely.

The editor never rebuilds the file from the domain objects. It keeps ruamel.yaml's
round-trip tree of the instructor's file and changes only the keys of the items that were
edited, so comments, key order, quoting and the order of untouched items survive a save.
Live checking runs the same checker as `medcode bank check` on the current text.
"""

from __future__ import annotations

import copy
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from app.core.problems import Problem

Checker = Callable[[Path], list[Problem]]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def plain(value: object) -> object:
    """A deep copy as plain dicts and lists (what the form and the undo stack hold)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return copy.deepcopy(value)


def _merge_map(node: CommentedMap, values: dict) -> None:  # type: ignore[type-arg]
    for key in [k for k in node if k not in values]:
        del node[key]
    for position, (key, value) in enumerate(values.items()):
        if key not in node:
            node.insert(min(position, len(node)), key, value)
        elif plain(node[key]) != value:
            node[key] = _merged(node[key], value)


def _merged(old: object, value: object) -> object:
    """`value`, reusing the old round-trip node where the shapes match (keeps its comments)."""
    if isinstance(old, CommentedMap) and isinstance(value, dict):
        _merge_map(old, value)
        return old
    if isinstance(old, CommentedSeq) and isinstance(value, list):
        for i, element in enumerate(value[: len(old)]):
            if plain(old[i]) != element:
                old[i] = _merged(old[i], element)
        del old[len(value):]
        old.extend(value[len(old):])
        return old
    return value


class BankDocument:
    """One bank file, open for editing."""

    def __init__(self, path: Path, tree: CommentedMap, text: str = ""):
        self.path = Path(path)
        self.tree = tree
        self.dirty = False
        self._remember(text)

    def _remember(self, text: str) -> None:
        """Keep the file's text and each item's lines, so a save rewrites only edited items."""
        self._text = text
        self._blocks: dict[int, str] = {}  # id(item node) -> its original lines
        self._touched: set[int] = set()
        lines = text.splitlines(keepends=True)
        starts = [self.items.lc.item(i)[0] for i in range(len(self.items))] if text else []
        if not starts:
            self._head = ""
            return
        self._head = "".join(lines[: _block_start(lines, starts[0])])
        bounds = [_block_start(lines, start) for start in starts] + [len(lines)]
        for index, node in enumerate(self.items):
            self._blocks[id(node)] = "".join(lines[bounds[index]:bounds[index + 1]])

    @classmethod
    def open(cls, path: Path) -> BankDocument:
        """Read a bank file; raise ValueError with FILE:LINE when it is not editable YAML."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
            tree = _yaml().load(text)
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"{path}:0: file: cannot be read ({error})") from None
        except YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            raise ValueError(f"{path}:{line}: yaml: {getattr(error, 'problem', error)}") from None
        if not isinstance(tree, CommentedMap) or not isinstance(tree.get("items"), CommentedSeq):
            raise ValueError(f"{path}:1: items: a bank needs a `bank:` manifest and an `items:` list")
        return cls(path, tree, text)

    # -- items --------------------------------------------------------------------
    @property
    def items(self) -> CommentedSeq:
        return self.tree["items"]

    def item_count(self) -> int:
        return len(self.items)

    def item(self, index: int) -> dict:  # type: ignore[type-arg]
        return plain(self.items[index])  # type: ignore[return-value]

    def item_line(self, index: int) -> int:
        """1-based line where the item starts in the file as loaded."""
        return self.items.lc.item(index)[0] + 1

    def set_item(self, index: int, values: dict) -> None:  # type: ignore[type-arg]
        """Make item `index` equal to `values`, touching only what changed (comments stay)."""
        _merge_map(self.items[index], values)
        self._touched.add(id(self.items[index]))
        self.dirty = True

    def add_item(self, values: dict) -> int:  # type: ignore[type-arg]
        self.items.append(CommentedMap(values))
        self._touched.add(id(self.items[-1]))
        self.dirty = True
        return len(self.items) - 1

    def remove_item(self, index: int) -> dict:  # type: ignore[type-arg]
        removed = self.item(index)
        del self.items[index]
        self.dirty = True
        return removed

    def insert_item(self, index: int, values: dict) -> None:  # type: ignore[type-arg]
        self.items.insert(index, CommentedMap(values))
        self._touched.add(id(self.items[index]))
        self.dirty = True

    # -- text, checking and saving --------------------------------------------------
    def text(self) -> str:
        """The file as it would be saved: untouched items keep their lines byte for byte."""
        dumped = self._dump()
        spliced = self._splice(dumped)
        return spliced if spliced is not None else dumped

    def _dump(self) -> str:
        out = io.StringIO()
        _yaml().dump(self.tree, out)
        return out.getvalue()

    def _splice(self, dumped: str) -> str | None:
        """The old text of untouched items around the new text of edited ones; None when the
        result would not read back as the same data (then the plain dump is used)."""
        if not self._blocks or self.tree.get("bank") is None:
            return None
        try:
            fresh = _yaml().load(dumped)
            lines = dumped.splitlines(keepends=True)
            starts = [fresh["items"].lc.item(i)[0] for i in range(len(fresh["items"]))]
        except (YAMLError, KeyError, TypeError, AttributeError):
            return None
        bounds = [_block_start(lines, start) for start in starts] + [len(lines)]
        head = "".join(lines[: bounds[0]]) if starts else dumped
        parts = [self._head if plain(fresh.get("bank")) == plain(self._original_manifest()) else head]
        for index, node in enumerate(self.items):
            old = self._blocks.get(id(node))
            new = "".join(lines[bounds[index]:bounds[index + 1]])
            parts.append(old if old is not None and id(node) not in self._touched else _strip_trailing(new))
        text = "".join(parts)
        if parts and not text.endswith("\n"):
            text += "\n"
        try:
            same = plain(_yaml().load(text)) == plain(fresh)
        except YAMLError:
            same = False
        return text if same else None

    def _original_manifest(self) -> object:
        try:
            return _yaml().load(self._text).get("bank") if self._text else None
        except (YAMLError, AttributeError):
            return None

    def check(self, checker: Checker) -> list[Problem]:
        """Run `checker` on the current text, reporting problems against this file's name."""
        with tempfile.TemporaryDirectory(prefix="medcode-check-") as folder:
            probe = Path(folder) / self.path.name
            probe.write_text(self.text(), encoding="utf-8")
            found = checker(probe)
        return [Problem(str(self.path), p.line, p.field, p.message, p.severity)
                if p.path == str(probe) else p for p in found]

    def save(self, path: Path | None = None) -> Path:
        """Write the bank atomically (temporary file, then rename); the old file stays on failure."""
        target = Path(path or self.path)
        text = self.text()
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.path, self.dirty = target, False
        self.tree = _yaml().load(text)  # the saved text is the new baseline for the next save
        self._remember(text)
        return target


def _block_start(lines: list[str], start: int) -> int:
    """The first line of an item's block: its `- ` line, after the comments above it (ruamel
    keeps those with the item before, but they belong to this one when read)."""
    line = start
    while line > 0 and lines[line - 1].strip().startswith("#"):
        line -= 1
    return line


def _strip_trailing(text: str) -> str:
    return "".join(line.rstrip() + ("\n" if line.endswith("\n") else "") for line in text.splitlines(keepends=True))
