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

    def __init__(self, path: Path, tree: CommentedMap):
        self.path = Path(path)
        self.tree = tree
        self.dirty = False

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
        return cls(path, tree)

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
        self.dirty = True

    def add_item(self, values: dict) -> int:  # type: ignore[type-arg]
        self.items.append(CommentedMap(values))
        self.dirty = True
        return len(self.items) - 1

    def remove_item(self, index: int) -> dict:  # type: ignore[type-arg]
        removed = self.item(index)
        del self.items[index]
        self.dirty = True
        return removed

    def insert_item(self, index: int, values: dict) -> None:  # type: ignore[type-arg]
        self.items.insert(index, CommentedMap(values))
        self.dirty = True

    # -- text, checking and saving --------------------------------------------------
    def text(self) -> str:
        out = io.StringIO()
        _yaml().dump(self.tree, out)
        return out.getvalue()

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
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(self.text())
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.path, self.dirty = target, False
        return target
