"""`medcode stats items RESULTS...`: classical item analysis from learner result exports."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `stats` subcommand (filled in by the item-statistics work)."""
    commands.add_parser("stats", help="item statistics from learner result exports")
