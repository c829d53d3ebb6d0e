"""`medcode codes ...`: build, search and check the code-set database."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `codes` subcommand (filled in by the code-set engine)."""
    commands.add_parser("codes", help="build, search and check the code sets")
