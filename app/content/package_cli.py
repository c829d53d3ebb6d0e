"""`medcode bank package BANK_FILE --out FILE.zip` and `medcode bank install FILE.zip`.

`package` checks the bank first and refuses to package one with errors, so what an
instructor hands out is what `medcode bank check` accepted. `install` unpacks into the
user's banks folder (see app/content/packages.py for the safety rules).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.core.problems import Problem, Severity


def add_to(bank_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `package` and `install` under `bank`."""
    package = bank_commands.add_parser("package", help="zip a checked bank (and its images/ folder) for handing out")
    package.add_argument("bank_file", metavar="BANK_FILE", help="the bank's .yaml file")
    package.add_argument("--out", required=True, metavar="FILE.zip", help="where to write the package")
    package.add_argument("--no-codes", action="store_true", help="skip the code-set checks")
    package.set_defaults(handler=run_package)
    install = bank_commands.add_parser("install", help="install a bank package into your banks folder")
    install.add_argument("package", metavar="FILE.zip", help="a package made by `medcode bank package`")
    install.add_argument("--no-codes", action="store_true", help="skip the code-set checks")
    install.set_defaults(handler=run_install, writes_data=True)  # one writer per data folder


def _print(problems: list[Problem]) -> int:
    for problem in sorted(problems, key=lambda p: (p.path, p.line, p.field, p.message)):
        print(problem)
    return sum(problem.severity is Severity.ERROR for problem in problems)


def _checker(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """check_bank_file bound to the code set and lessons, and a function that closes it."""
    from app.codesets.cli import codeset_for
    from app.content.check_command import app_lesson_ids
    from app.content.checker import check_bank_file

    codes = None if args.no_codes else codeset_for(args.data_dir)
    lesson_ids = app_lesson_ids()
    return (lambda path: check_bank_file(path, codes, lesson_ids)), (lambda: codes.close() if codes else None)


def run_package(args: argparse.Namespace) -> int:
    from app.content.packages import make_package

    try:
        check, close = _checker(args)
        try:
            problems = check(Path(args.bank_file))
        finally:
            close()
        if _print(problems):
            print("medcode bank package: the bank has errors; nothing was written", file=sys.stderr)
            return 1
        if _print(make_package(Path(args.bank_file), Path(args.out))):
            return 1
    except Exception as error:  # noqa: BLE001 - the command's boundary: a message, never a traceback
        print(f"medcode bank package: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}")
    return 0


def _shipped_bank_ids() -> frozenset[str]:
    """Ids of the banks in the app's question_bank/ folder, which a package may not replace."""
    from app.content.bank import load_banks
    from app.resources import BANKS_DIR

    folder = BANKS_DIR
    return frozenset(bank.manifest.id for bank in load_banks(folder)[0]) if folder.is_dir() else frozenset()


def run_install(args: argparse.Namespace) -> int:
    from app.content.packages import install_package
    from app.paths import resolve_paths

    try:
        check, close = _checker(args)
        try:
            bank_id, problems = install_package(Path(args.package), resolve_paths(args.data_dir).banks_dir, check,
                                                _shipped_bank_ids())
        finally:
            close()
    except Exception as error:  # noqa: BLE001 - the command's boundary: a message, never a traceback
        print(f"medcode bank install: {error}", file=sys.stderr)
        return 2
    _print(problems)
    if bank_id is None:
        print("medcode bank install: the package was not installed", file=sys.stderr)
        return 1
    print(f"installed bank {bank_id!r} into {resolve_paths(args.data_dir).banks_dir / bank_id}")
    return 0
