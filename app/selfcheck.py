"""`medcode self-check`: start the whole app headless and report what it found, then quit.

Why: an installed wheel or a one-folder desktop build must carry its lessons, banks,
stylesheet and icons inside the package. This command goes through the same composition
root as the GUI (`app.main.build_tutor`, the window painted once, offscreen unless a display
is chosen) on whatever data folder it is given, prints one JSON object and exits 0 only
when the content is there. The wheel and bundle tests (tests/test_packaging.py) run it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("self-check", help="start the app headless, report its content, and quit")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    report = check(args.data_dir)
    print(json.dumps(report, indent=2))
    if report["problems"]:
        print("self-check failed: " + "; ".join(report["problems"]), file=sys.stderr)
        return 1
    return 0


def check(data_dir: str | None) -> dict[str, Any]:
    """Build the app as the GUI does, paint the window once, and say what it holds."""
    from app import resources
    from app.core.codeset import CodeSystem
    from app.main import _application, build_tutor
    from app.paths import resolve_paths

    qt = _application()
    tutor = build_tutor(resolve_paths(data_dir), quiet=True)
    tutor.window.show()
    qt.processEvents()
    painted = not tutor.window.grab().isNull()
    lessons = sum(len(module.lessons) for module in tutor.content.modules)
    items = sum(len(bank.items) for bank in tutor.content.banks)
    report: dict[str, Any] = {
        "package": str(Path(resources.PACKAGE_DIR)),
        "lessons_dir": str(resources.LESSONS_DIR),
        "banks_dir": str(resources.BANKS_DIR),
        "modules": len(tutor.content.modules),
        "lessons": lessons,
        "banks": len(tutor.content.banks),
        "items": items,
        "stylesheet": bool(qt.styleSheet()),
        "icon": not qt.windowIcon().isNull(),
        "painted": painted,
        "code_lookup": bool(tutor.codes.lookup("E11.9", CodeSystem.ICD10CM)),
        "content_problems": len(tutor.content.problems),
    }
    report["problems"] = [name for name in ("lessons", "banks", "items", "stylesheet", "icon", "painted", "code_lookup")
                          if not report[name]]
    tutor.window.close()
    return report
