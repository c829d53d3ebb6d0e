"""Command line: `medcode` with no subcommand starts the GUI; subcommands do headless work.

Each area adds its own subcommands (`codes`, `bank`, `stats`) through a `register`
function, and imports its heavy modules only inside the handler, so `medcode --help`
and the GUI start stay fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from app import __version__


def _options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options that come before any subcommand (shared by the GUI and the full parser)."""
    parser.add_argument("--version", action="version", version=f"medcode-tutor {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="PATH",
        help="keep learner data here instead of the user data folder (also MEDCODE_DATA_DIR)",
    )
    parser.add_argument(
        "--quit-after-first-paint",
        action="store_true",
        help="start the GUI, quit as soon as the window has been painted (for benchmarks/startup.py)",
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    from app.codesets import cli as codes_cli
    from app.content import cli as bank_cli
    from app import report_cli, selfcheck
    from app.content import drill_cli, exam_cli, stats_cli
    from app import data_cli

    parser = _options(argparse.ArgumentParser(
        prog="medcode",
        description="MedCode Tutor: offline study for medical billing and coding.",
    ))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    codes_cli.register(commands)
    bank_cli.register(commands)
    stats_cli.register(commands)
    selfcheck.register(commands)
    report_cli.register(commands)
    drill_cli.register(commands)
    data_cli.register(commands)
    exam_cli.register(commands)
    return parser


class _NotForTheGui(Exception):
    """The quick GUI parser cannot read the arguments: the full parser will say why."""


class _QuietParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotForTheGui(message)


def _gui_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The options when `argv` only starts the GUI; None when it names a subcommand or asks for help.

    Starting the GUI this way skips building the subcommands' parsers, which would import
    every command module: start-up time the GUI never needs.
    """
    gui = _options(_QuietParser(prog="medcode", add_help=False))
    try:
        known, rest = gui.parse_known_args(argv)
    except _NotForTheGui:
        return None  # the full parser reports the mistake with the whole usage
    return None if rest else known


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    gui = _gui_arguments(arguments)
    if gui is not None:
        from app.main import run_gui

        return run_gui(gui.data_dir, quit_after_first_paint=gui.quit_after_first_paint)
    parser = build_parser()
    args = parser.parse_args(arguments)
    handler = getattr(args, "handler", None)
    if handler is None:
        from app.main import run_gui

        return run_gui(args.data_dir, quit_after_first_paint=args.quit_after_first_paint)
    import sqlite3

    from app.instance_lock import DataFolderBusy

    # One error path for every command (docs/data-safety.md): a full disk, a read-only or
    # missing folder, a damaged or newer database, another window on the same data folder,
    # all end in one line on stderr and exit status 2, never a traceback.
    try:
        lock = _data_lock(args) if getattr(args, "writes_data", False) else None
        result = handler(args)
    except OSError as error:  # a data or cache folder that is a file, read-only, full...
        where = f"{error.filename}: " if error.filename else ""
        print(f"medcode: {where}{error.strerror or error}", file=sys.stderr)
        return 2
    except (sqlite3.Error, DataFolderBusy) as error:  # full disk inside SQLite, damage, newer data, lock
        print(f"medcode: {_one_line(error)}", file=sys.stderr)
        return 2
    if lock is not None:
        lock.unlock()
    return int(result or 0)


def _data_lock(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The data folder's lock, for commands that write learner data (raises DataFolderBusy)."""
    from app.instance_lock import acquire
    from app.paths import resolve_paths

    return acquire(resolve_paths(args.data_dir).data_dir)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
