"""Question banks: YAML files (docs/question-bank-format.md) -> app/core/models.py objects.

Loading never raises for bad content: every mistake becomes a Problem naming the file, the
line and the field, so an instructor sees all of them in one run. A broken item is skipped
and the rest of the bank still loads; a broken manifest makes the whole file unusable.
Code validity is not checked here (that needs the code-set database); see checker.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.content.bank_fields import Fields, Sink, item_line, type_name
from app.content.bank_items import ID_PATTERN, build_item, item_label
from app.core.codeset import CodeSet
from app.core.models import Bank, BankManifest, Item, ScoringPolicy, SourceRef
from app.core.problems import Problem

if TYPE_CHECKING:
    from app.content.cache import ContentCache

MANIFEST_FIELDS = ("id", "title", "version", "author", "licence", "code_year", "policy", "description")
PACKAGE_BANK = "bank.yaml"


def _manifest(top: Fields) -> BankManifest | None:
    node = top.mapping("bank", required=True)
    if node is None:
        return None
    fields = Fields(top.sink, node, "bank", MANIFEST_FIELDS, top.at("bank"))
    fields.check_unknown()
    bank_id = fields.text("id", required=True)
    if bank_id is not None and not ID_PATTERN.match(bank_id):
        fields.error("id", f"{bank_id!r} is not a valid id (lower-case letters, digits and dashes)")
        bank_id = None
    values = (bank_id, fields.text("title", required=True), fields.text("version", required=True),
              fields.text("author", required=True), fields.text("licence", required=True),
              fields.number("code_year", required=True, low=2000, high=2100, whole=True),
              fields.choice("policy", [p.value for p in ScoringPolicy], default=ScoringPolicy.PER_LINE.value),
              fields.text("description"))
    if None in values:
        return None
    bank_id, title, version, author, licence, code_year, policy, description = values
    return BankManifest(bank_id, title, version, author, licence, int(code_year), ScoringPolicy(policy),  # type: ignore[arg-type]
                        description, SourceRef(top.sink.where, fields.line))  # type: ignore[arg-type]


def _items(top: Fields, manifest: BankManifest | None) -> list[Item]:
    seq = top.seq("items", required=True, minimum=1)
    if seq is None:
        return []
    defaults: dict[str, object] = {"id": manifest.id if manifest else "", "author": manifest.author if manifest else "",
                                   "code_year": manifest.code_year if manifest else 0}
    items: list[Item] = []
    first_line: dict[str, int] = {}
    for index, node in enumerate(seq):
        line = item_line(seq, index, top.at("items"))
        if not isinstance(node, dict):
            top.sink.add(line, f"items[{index}]", f"an item must be a mapping of fields, not {type_name(node)}")
            continue
        fields = Fields(top.sink, node, item_label(node, index), (), line)
        before = len(top.sink.problems)
        item = build_item(fields, defaults)
        if item is None and len(top.sink.problems) == before:  # a rule returned None without saying why
            top.sink.add(line, fields.prefix, "item could not be read")
        item_id = node.get("id") if isinstance(node.get("id"), str) else None
        if item_id and item_id in first_line:
            fields.error("id", f"duplicate id {item_id!r} (first used on line {first_line[item_id]})")
            continue
        if item_id:
            first_line[item_id] = fields.line
        if item is not None:
            items.append(item)
    return items


def bank_from_tree(tree: object, where: str) -> tuple[Bank | None, list[Problem]]:
    """Build a bank from an already parsed round-trip tree (the editor's live document)."""
    sink = Sink(where)
    if not isinstance(tree, dict):
        sink.add(1, "bank", f"a bank file must be a mapping with `bank:` and `items:`, not {type_name(tree)}")
        return None, sink.problems
    top = Fields(sink, tree, "", ("bank", "items"), 1)
    top.check_unknown()
    manifest = _manifest(top)
    items = _items(top, manifest)
    if manifest is None:
        return None, sink.problems
    return Bank(manifest, tuple(items), where), sink.problems


def load_bank(path: Path, codes: CodeSet | None = None,
              data: bytes | None = None) -> tuple[Bank | None, list[Problem]]:
    """Read one bank file. `codes` is accepted for the shared contract; loading needs no codes.

    `data` is the file's content when it was read already (by the content cache).
    """
    from app.content.bank_yaml import read_yaml  # the YAML parser is needed only on a cache miss

    tree, problems = read_yaml(path, data)
    if problems:
        return None, problems
    return bank_from_tree(tree, str(path))


def bank_files(folder: Path) -> list[Path]:
    """Bank files in a folder: *.yaml at the top, and <package>/bank.yaml of installed packages."""
    found = sorted(p for p in folder.glob("*.yaml") if p.is_file())
    found += sorted(p / PACKAGE_BANK for p in folder.iterdir()
                    if p.is_dir() and not p.name.startswith(".") and (p / PACKAGE_BANK).is_file())
    return found


def load_banks(folder: Path, codes: CodeSet | None = None,
               cache: ContentCache | None = None) -> tuple[list[Bank], list[Problem]]:
    """Every bank in `folder`; a bank whose id was already loaded is reported and skipped.

    With a `cache`, a bank file whose content has not changed is not parsed again.
    """
    banks: list[Bank] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return banks, [Problem(str(folder), 0, "folder", "is not a folder")]
    seen: dict[str, str] = {}
    for path in bank_files(folder):
        if cache is None:
            bank, found = load_bank(path, codes)
        else:
            bank, found = cache.load(path, "bank", lambda data, p=path: load_bank(p, codes, data))
        problems += found
        if bank is None:
            continue
        if bank.manifest.id in seen:
            problems.append(Problem(str(path), bank.manifest.source.line, "bank.id",
                                    f"bank id {bank.manifest.id!r} is already used by {seen[bank.manifest.id]}; skipped"))
            continue
        seen[bank.manifest.id] = str(path)
        banks.append(bank)
    return banks, problems


__all__ = ["load_bank", "load_banks", "bank_from_tree", "bank_files"]
