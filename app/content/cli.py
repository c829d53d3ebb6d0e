"""`medcode bank ...` and `medcode stats ...`: headless work on question banks."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `bank` and `stats` subcommands."""
    commands.add_parser("bank", help="check, grade, import, export and package question banks")
