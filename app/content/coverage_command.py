"""`medcode bank coverage [PATH...] [--json]`: items and cases per CPC area and CCS domain.

Beside each CPC area it prints the blueprint weight (items out of 100) and THIN where the area
has fewer than 40 items or less than three quarters of its proportional share. Reads only.
"""

from __future__ import annotations

import argparse
import json
import sys


def add_to(bank_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cover = bank_commands.add_parser(
        "coverage",
        help="count items and cases per CPC area and CCS domain, with the blueprint weights",
        description="Count items per exam area. Without PATH, the banks shipped with the app.",
    )
    cover.add_argument("paths", nargs="*", metavar="PATH", help="bank files or folders (default: the shipped banks)")
    cover.add_argument("--json", action="store_true", help="print the numbers as one JSON object")
    cover.set_defaults(handler=run_coverage)


def _items(paths: list[str]):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from app.content.bank import load_bank, load_banks
    from app.resources import BANKS_DIR

    shipped = BANKS_DIR
    items, problems = [], []
    for text in paths or [str(shipped)]:
        path = Path(text)
        if path.is_dir():
            banks, found = load_banks(path)
        else:
            bank, found = load_bank(path)
            banks = [bank] if bank is not None else []
        problems += found
        items += [item for bank in banks for item in bank.items]
    return items, problems


def run_coverage(args: argparse.Namespace) -> int:
    from app.core.coverage import AREA_FLOOR, CCS_DOMAINS, coverage

    try:
        items, problems = _items(args.paths)
    except OSError as error:
        print(f"medcode bank coverage: {error}", file=sys.stderr)
        return 2
    result = coverage(items)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
        return 0
    print(f"{'CPC area':<62} {'weight':>6} {'items':>6} {'cases':>6}")
    for area in result.cpc:
        mark = f"  THIN (floor {AREA_FLOOR})" if area.thin else ""
        print(f"{area.label[:62]:<62} {area.weight:>6.0f} {area.items:>6} {area.cases:>6}{mark}")
    print(f"\nTotal: {result.items} items, {result.cases} coding cases, {result.records} records of 250+ words")
    print("\nCCS domains:")
    for domain, label in CCS_DOMAINS.items():
        print(f"  {label:<70} {result.ccs[domain]:>6}")
    print("\nItems by exam (from their topics): " + ", ".join(f"{k} {v}" for k, v in sorted(result.exams.items())))
    for problem in problems:
        print(problem, file=sys.stderr)
    return 0
