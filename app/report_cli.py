"""`medcode report --profile NAME --pdf FILE --csv FILE`: a learner's report without the GUI.

An instructor can collect reports from a lab computer's data folder in a script. The PDF
is the same as the dashboard's "Save progress report as PDF"; Qt draws it offscreen.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `report`."""
    report = commands.add_parser("report", help="write a learner's progress report (PDF) and attempts (CSV)")
    report.add_argument("--profile", required=True, metavar="NAME", help="the learner's profile name")
    report.add_argument("--pdf", type=Path, metavar="FILE", help="write the progress report here")
    report.add_argument("--csv", type=Path, metavar="FILE", help="write every attempt here")
    report.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    if args.pdf is None and args.csv is None:
        print("medcode report: give --pdf FILE, --csv FILE or both.", file=sys.stderr)
        return 2
    from app.paths import resolve_paths
    from app.store.database import open_learner_db
    from app.store.learners import LearnerStore

    paths = resolve_paths(getattr(args, "data_dir", None))
    if not paths.learner_db.is_file():
        print(f"medcode report: no learner data in {paths.data_dir}", file=sys.stderr)
        return 2
    store = LearnerStore(open_learner_db(paths.learner_db))
    profile = next((p for p in store.profiles() if p.name.casefold() == args.profile.casefold()), None)
    if profile is None:
        names = ", ".join(p.name for p in store.profiles()) or "none"
        print(f"medcode report: no profile called {args.profile!r} (profiles: {names})", file=sys.stderr)
        return 2
    if args.csv is not None:
        from app.store.study_stats import StudyStats
        from app.ui.study import write_csv

        count = write_csv(StudyStats(store.db), profile.id, args.csv)
        print(f"{args.csv}: {count} attempts")
    if args.pdf is not None:
        _write_pdf(args.pdf, store, profile, paths)
        print(f"{args.pdf}: progress report for {profile.name}")
    return 0


def _write_pdf(path: Path, store, profile, paths) -> None:  # type: ignore[no-untyped-def]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # headless: no window is ever shown
    from PySide6.QtGui import QGuiApplication

    from app.content.bank import load_banks
    from app.resources import BANKS_DIR
    from app.study_figures import STATISTICS_FILE, dashboard_data, load_facilities
    from app.ui.report import write_pdf

    _app = QGuiApplication.instance() or QGuiApplication(["medcode"])
    items = []
    for folder in (BANKS_DIR, paths.banks_dir):
        if folder.is_dir():
            items += [item for bank in load_banks(folder)[0] for item in bank.items]
    now = datetime.now(UTC)
    data = dashboard_data(store.db, profile.id, items, now, load_facilities(paths.data_dir / STATISTICS_FILE))
    write_pdf(path, profile.name, data, now.date())
