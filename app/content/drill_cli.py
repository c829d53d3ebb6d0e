"""`medcode drill KIND --seed N --count K [--range E08-E13] [--json] [--bank OUT.yaml]`.

Prints generated drills with their keys, as text or JSON, or writes them as a question bank
an instructor can hand out (`medcode bank check` accepts it). Heavy imports stay inside the
handler so `medcode --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

KIND_NAMES = ("mixed", "find-billable", "seventh-character", "billable", "where", "excludes", "code-first",
              "pcs-character", "pcs-build", "modifier", "word-part", "term-build")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `drill` subcommand."""
    drill = commands.add_parser(
        "drill", help="generate practice items from the code data, with their keys",
        description="Generate drills from the official code data (docs/drills.md). The same seed gives the same items.")
    drill.add_argument("kind", choices=KIND_NAMES, metavar="KIND", help=f"one of: {', '.join(KIND_NAMES)}")
    drill.add_argument("--seed", type=int, default=1, help="the same seed gives the same items (default 1)")
    drill.add_argument("--count", type=_count, default=10, help="how many items (1-1000, default 10)")
    drill.add_argument("--range", dest="scope", default="", metavar="RANGE",
                       help="limit to a code range: E08-E13, S52 or a PCS table such as 0DT")
    drill.add_argument("--json", action="store_true", help="print the items as JSON")
    drill.add_argument("--bank", type=Path, metavar="OUT.yaml", help="write the items as a question bank file")
    drill.set_defaults(handler=run_drill)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return value


def run_drill(args: argparse.Namespace) -> int:
    from app.codesets.cli import codeset_for
    from app.content.glossary import load_glossary
    from app.core.drills import DrillError, generate

    codes = codeset_for(args.data_dir)
    glossary, problems = load_glossary()
    for problem in problems:
        print(problem, file=sys.stderr)
    try:
        items = generate(codes, args.kind, args.seed, args.count, args.scope, glossary)
    except DrillError as error:
        print(f"medcode drill: {error}", file=sys.stderr)
        return 2
    if len(items) < args.count:
        print(f"Only {len(items)} fair items could be drawn from this range.", file=sys.stderr)
    if args.bank is not None:
        text = bank_text(items, args.kind, args.seed, args.scope, int(codes.version(_icd()) or 0))
        _write_atomic(args.bank, text)
        print(f"Wrote {len(items)} items to {args.bank}", file=sys.stderr)
    elif args.json:
        print(json.dumps([item_json(item) for item in items], indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(item_text(number, item) for number, item in enumerate(items, start=1)))
    return 0


def _icd():  # type: ignore[no-untyped-def]
    from app.core.codeset import CodeSystem

    return CodeSystem.ICD10CM


def item_json(item: Any) -> dict[str, object]:
    """One drill as JSON: the id, stem, options with the key marked, rationale and source."""
    return {"id": item.meta.id, "kind": item.meta.tags[1] if len(item.meta.tags) > 1 else "",
            "topic": item.meta.topic, "stem": item.stem,
            "options": [{"text": o.text, "correct": o.correct} for o in item.options],
            "key": next(o.text for o in item.options if o.correct),
            "rationale": item.meta.rationale, "source": item.meta.source_note}


def item_text(number: int, item: Any) -> str:
    """One drill for a terminal: stem, lettered options, the key and where it came from."""
    lines = [f"{number}. [{item.meta.id}]", *("   " + line for line in item.stem.splitlines() if line.strip())]
    for letter, option in zip("abcdefgh", item.options, strict=False):
        lines.append(f"   {letter}) {option.text}" + ("   <- key" if option.correct else ""))
    lines.append(f"   Source: {item.meta.source_note}")
    return "\n".join(lines)


def bank_id(drill_id: str, taken: set[str]) -> str:
    """A bank-format id (lower case, digits, hyphens) from a drill id, unique within the bank."""
    base = re.sub(r"[^a-z0-9]+", "-", drill_id.lower()).strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def bank_text(items: list[Any], kind: str, seed: int, scope: str, year: int) -> str:
    """The items as a bank file; ids made bank-safe, the drill id kept in each item's source note."""
    from dataclasses import replace

    from app.content.bank_writer import bank_to_yaml
    from app.core.models import Bank, BankManifest

    suffix = re.sub(r"[^a-z0-9]+", "-", f"{kind}-{scope}-seed-{seed}".lower()).strip("-")
    manifest = BankManifest(
        id=f"drills-{suffix}", title=f"Generated drills: {kind}" + (f" ({scope})" if scope else "") + f", seed {seed}",
        version="1", author="MedCode Tutor drill generator", licence="Code data: US government works (CDC, CMS); "
        "modifier and glossary wording: MedCode Tutor", code_year=year,
        description="Generated with `medcode drill`; every key is read from the code data (docs/drills.md).")
    taken: set[str] = set()
    renamed = [replace(item, meta=replace(item.meta, id=bank_id(item.meta.id, taken), bank=manifest.id,
                                          source_note=f"{item.meta.id}; {item.meta.source_note}",
                                          code_year=item.meta.code_year or year))
               for item in items]
    return bank_to_yaml(Bank(manifest, tuple(renamed)))


def _write_atomic(path: Path, text: str) -> None:
    """Write the whole file or nothing (a temporary file renamed into place)."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
