"""`medcode bank grade BANK ITEM --answer "..."`: grade one response from the command line."""

from __future__ import annotations

import argparse


def add_to(bank_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `grade` subcommand under `bank` (filled in by the scoring engine)."""
