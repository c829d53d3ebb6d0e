"""Command line: `medcode` with no subcommand starts the GUI; subcommands do headless work.

Each area adds its own subcommands (`codes`, `bank`, `stats`) through a `register`
function, and imports its heavy modules only inside the handler, so `medcode --help`
and the GUI start stay fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import __version__
from app.codesets import cli as codes_cli
from app.content import cli as bank_cli
from app.content import stats_cli
from app import report_cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medcode",
        description="MedCode Tutor: offline study for medical billing and coding.",
    )
    parser.add_argument("--version", action="version", version=f"medcode-tutor {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="PATH",
        help="keep learner data here instead of the user data folder (also MEDCODE_DATA_DIR)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    codes_cli.register(commands)
    bank_cli.register(commands)
    stats_cli.register(commands)
    report_cli.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    handler = getattr(args, "handler", None)
    if handler is None:
        from app.main import run_gui

        return run_gui(args.data_dir)
    try:
        result = handler(args)
    except OSError as error:  # a data or cache folder that is a file, read-only, full...
        print(f"medcode: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 2
    return int(result or 0)
