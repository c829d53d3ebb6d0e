"""The glossary file (YAML) to `GlossaryEntry` objects, with file:line:field problems.

One file, `app/content/glossary.yaml`, holds word parts and terms. The loader never raises on
bad content: it skips a bad entry, reports why (file, line, field), and keeps the rest, so
a typo in one entry does not take the terminology drills away.
"""

from __future__ import annotations

from pathlib import Path

from app.content.bank_yaml import read_yaml
from app.core.glossary import GlossaryEntry, PartKind
from app.core.models import SourceRef
from app.core.problems import Problem, Severity

GLOSSARY_FILE = Path(__file__).resolve().parent / "glossary.yaml"
SYSTEMS = frozenset({"general", "cardiovascular", "respiratory", "digestive", "urinary", "reproductive",
                     "musculoskeletal", "nervous", "integumentary", "endocrine", "blood-lymphatic", "eye-ear"})
FIELDS = frozenset({"term", "kind", "meaning", "parts", "system"})


def _line(node: object, key: str | None = None) -> int:
    lc = getattr(node, "lc", None)
    if lc is None:
        return 0
    try:
        return int(lc.key(key)[0] if key else lc.line) + 1
    except (KeyError, TypeError):
        return int(lc.line) + 1


def _text(node: dict, key: str) -> str | None:  # type: ignore[type-arg]
    value = node.get(key)
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _entry(node: object, where: str, index: int, problems: list[Problem]) -> GlossaryEntry | None:
    field = f"glossary[{index}]"
    if not isinstance(node, dict):
        problems.append(Problem(where, _line(node), field, "each entry is a mapping with term, kind and meaning"))
        return None
    for unknown in sorted(set(map(str, node)) - FIELDS):
        problems.append(Problem(where, _line(node, unknown), f"{field}.{unknown}", "unknown field; "
                                f"use {', '.join(sorted(FIELDS))}", Severity.WARNING))
    term, meaning, kind_text = _text(node, "term"), _text(node, "meaning"), _text(node, "kind")
    for name, value in (("term", term), ("meaning", meaning), ("kind", kind_text)):
        if value is None:
            problems.append(Problem(where, _line(node, name), f"{field}.{name}", "missing or empty"))
    if term is None or meaning is None or kind_text is None:
        return None
    label = f"glossary[{term}]"
    if kind_text not in {k.value for k in PartKind}:
        problems.append(Problem(where, _line(node, "kind"), f"{label}.kind",
                                f"{kind_text!r} is not one of {', '.join(k.value for k in PartKind)}"))
        return None
    kind = PartKind(kind_text)
    shape = {PartKind.PREFIX: (term.endswith("-") and not term.startswith("-"), "a prefix ends with a hyphen: brady-"),
             PartKind.SUFFIX: (term.startswith("-") and not term.endswith("-"), "a suffix starts with a hyphen: -itis"),
             PartKind.ROOT: ("-" not in term, "a root is written as a combining form without hyphens: cardi/o"),
             PartKind.TERM: ("-" not in term[:1] + term[-1:], "a term has no leading or trailing hyphen"),
             PartKind.STRUCTURE: ("-" not in term[:1] + term[-1:], "a structure has no leading or trailing hyphen")}[kind]
    if not shape[0]:
        problems.append(Problem(where, _line(node, "term"), f"{label}.term", shape[1]))
        return None
    system = _text(node, "system") or "general"
    if system not in SYSTEMS:
        problems.append(Problem(where, _line(node, "system"), f"{label}.system",
                                f"{system!r} is not a known body system ({', '.join(sorted(SYSTEMS))})"))
        return None
    parts = node.get("parts") or []
    if not isinstance(parts, list) or not all(isinstance(p, str) and p.strip() for p in parts):
        problems.append(Problem(where, _line(node, "parts"), f"{label}.parts", "a list of word parts, e.g. [cardi/o, -itis]"))
        return None
    if kind is PartKind.TERM and not parts:
        problems.append(Problem(where, _line(node, "term"), f"{label}.parts", "a term lists the parts it is built from"))
        return None
    return GlossaryEntry(term, meaning, kind, tuple(p.strip() for p in parts), system, SourceRef(where, _line(node)))


def load_glossary(path: Path = GLOSSARY_FILE) -> tuple[list[GlossaryEntry], list[Problem]]:
    """Every usable entry, and a problem for each one left out (or doubtful)."""
    where = str(path)
    tree, problems = read_yaml(path)
    if tree is None:
        return [], problems
    nodes = tree.get("glossary") if isinstance(tree, dict) else None
    if not isinstance(nodes, list):
        return [], problems + [Problem(where, _line(tree), "glossary", "the file needs a `glossary:` list")]
    entries: list[GlossaryEntry] = []
    seen: dict[tuple[str, PartKind], int] = {}
    for index, node in enumerate(nodes):
        entry = _entry(node, where, index, problems)
        if entry is None:
            continue
        key = (entry.term.casefold(), entry.kind)
        if key in seen:
            problems.append(Problem(where, entry.source.line, f"glossary[{entry.term}].term",
                                    f"{entry.kind.value} {entry.term!r} is already defined on line {seen[key]}"))
            continue
        seen[key] = entry.source.line
        entries.append(entry)
    return _check_parts(entries, where, problems)


def _check_parts(entries: list[GlossaryEntry], where: str,
                 problems: list[Problem]) -> tuple[list[GlossaryEntry], list[Problem]]:
    """Terms whose parts are not all word parts of the file are left out (the drills explain terms by them)."""
    parts = {e.term for e in entries if e.is_part}
    kept = []
    for entry in entries:
        missing = [p for p in entry.parts if p not in parts]
        if missing:
            problems.append(Problem(where, entry.source.line, f"glossary[{entry.term}].parts",
                                    f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not a word part of the glossary"))
            continue
        kept.append(entry)
    return kept, problems
