"""`medcode bank ...` subcommands: check (filled in by its owner)."""

from __future__ import annotations

import argparse


def add_to(bank_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's subcommands under `bank`."""
