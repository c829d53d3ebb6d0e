"""`medcode bank ...`: headless work on question banks.

Each piece of bank work owns one module with an `add_to(bank_commands)` function that adds
its subcommands and sets `handler` (a function `args -> int`). Heavy imports happen inside
the handlers so that `medcode --help` and the GUI start stay fast.
"""

from __future__ import annotations

import argparse

from app.content import check_command, coverage_command, grade_command, interchange_cli, package_cli


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `bank` subcommand and its own subcommands."""
    bank = commands.add_parser("bank", help="check, grade, import, export and package question banks")
    bank_commands = bank.add_subparsers(dest="bank_command", metavar="BANK_COMMAND", required=True)
    check_command.add_to(bank_commands)
    coverage_command.add_to(bank_commands)
    grade_command.add_to(bank_commands)
    interchange_cli.add_to(bank_commands)
    package_cli.add_to(bank_commands)
