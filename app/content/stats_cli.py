"""`medcode stats items RESULTS...`: classical item analysis from learner result exports."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `stats items`."""
    stats = commands.add_parser("stats", help="item statistics from learner result exports")
    sub = stats.add_subparsers(dest="stats_command", metavar="STATS_COMMAND", required=True)
    items = sub.add_parser("items", help="facility, discrimination and option counts per item")
    items.add_argument("results", nargs="+", type=Path, metavar="RESULTS",
                       help="result exports (JSON files, or folders holding them)")
    items.add_argument("--json", action="store_true", help="print the statistics as JSON")
    items.set_defaults(handler=run_items)


def _files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return found


def run_items(args: argparse.Namespace) -> int:
    from app.core.item_stats import item_statistics
    from app.core.problems import Problem
    from app.core.results import ResultsError, parse_results

    exports, problems = [], []
    for path in _files(args.results):
        try:
            exports.append(parse_results(path.read_text(encoding="utf-8"), str(path)))
        except ResultsError as error:
            problems.extend(error.problems)
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(str(path), 0, "file", f"cannot be read: {error}"))
    for problem in problems:
        print(problem, file=sys.stderr)
    if not exports:
        print("No result files could be read.", file=sys.stderr)
        return 2
    stats = item_statistics(exports)
    print(json.dumps([_as_json(s) for s in stats], indent=2) if args.json else format_table(stats, len(exports)))
    return 1 if problems else 0


def _as_json(stat) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "item": stat.key, "title": stat.title, "type": stat.type, "responses": stat.responses,
        "facility": round(stat.facility, 1),
        "discrimination": None if stat.discrimination is None else round(stat.discrimination, 3),
        "options": [{"text": t, "chosen": n, "correct": c} for t, n, c in stat.options],
        "flags": list(stat.flags),
    }


def format_table(stats, learners: int) -> str:  # type: ignore[no-untyped-def]
    lines = [f"{learners} learner export(s), {len(stats)} item(s)", "",
             f"{'item':40} {'resp':>4} {'facility':>8} {'discr':>6}  options / flags"]
    for stat in stats:
        disc = "n/a" if stat.discrimination is None else f"{stat.discrimination:.2f}"
        lines.append(f"{stat.key[:40]:40} {stat.responses:>4} {stat.facility:>7.1f}% {disc:>6}")
        for number, (text, count, right) in enumerate(stat.options, start=1):
            lines.append(f"{'':62}{number}. {'*' if right else ' '} {count:>3}  {text[:50]}")
        for flag in stat.flags:
            lines.append(f"{'':62}! {flag}")
    return "\n".join(lines)
