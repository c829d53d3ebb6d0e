"""`medcode profile ...` and `medcode data ...`: move learners and look after the data file headless.

Commands that write learner data set `writes_data`, so `app.cli` takes the data folder's lock
(app/instance_lock.py) before they run: a command never writes under an open window.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `profile` and `data` subcommands."""
    profile = commands.add_parser("profile", help="list learners; export one to a file, import one from a file")
    sub = profile.add_subparsers(dest="profile_command", metavar="PROFILE_COMMAND", required=True)
    sub.add_parser("list", help="the learners in the data folder").set_defaults(handler=run_list)
    export = sub.add_parser("export", help="write one learner, with everything of theirs, to a file")
    export.add_argument("name", help="the learner's name")
    export.add_argument("file", type=Path)
    export.set_defaults(handler=run_export)
    imported = sub.add_parser("import", help="merge a learner from an export file (never duplicates)")
    imported.add_argument("file", type=Path)
    imported.set_defaults(handler=run_import, writes_data=True)
    data = commands.add_parser("data", help="check, back up and restore the learner data file")
    sub = data.add_subparsers(dest="data_command", metavar="DATA_COMMAND", required=True)
    sub.add_parser("check", help="full integrity check; on damage, save what can be read to a new file") \
        .set_defaults(handler=run_check, writes_data=True)
    sub.add_parser("backup", help="make a backup now").set_defaults(handler=run_backup, writes_data=True)
    sub.add_parser("backups", help="list the backups, newest first").set_defaults(handler=run_backups)
    restore = sub.add_parser("restore", help="replace the learner data with a backup (the current state is backed up first)")
    restore.add_argument("backup", type=Path, help="a file listed by `medcode data backups`")
    restore.set_defaults(handler=run_restore, writes_data=True)


def _store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.paths import resolve_paths
    from app.store.database import open_learner_db
    from app.store.learners import LearnerStore

    paths = resolve_paths(args.data_dir)
    return paths, LearnerStore(open_learner_db(paths.learner_db, _backup_before_migrating(paths)))


def _backup_before_migrating(paths):  # type: ignore[no-untyped-def]
    from app.store.backups import make_backup

    return lambda db: make_backup(db, paths.backups_dir, "before-migration", datetime.now(UTC))


def run_list(args: argparse.Namespace) -> int:
    _paths, store = _store(args)
    for profile in store.profiles():
        print(f"{profile.name}\t{len(store.attempts(profile.id))} answers")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from app.store.transfer import export_profile

    _paths, store = _store(args)
    found = [p for p in store.profiles() if p.name.casefold() == " ".join(args.name.split()).casefold()]
    if not found:
        names = ", ".join(p.name for p in store.profiles()) or "none yet"
        print(f"medcode: no learner called “{args.name}” (learners: {names})", file=sys.stderr)
        return 2
    report = export_profile(store.db, found[0].id, args.file, datetime.now(UTC))
    total = sum(report.added.values())
    print(f"Exported “{found[0].name}” ({total} rows) to {args.file}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    import tempfile

    from app.store.backups import make_backup
    from app.store.transfer import TransferError, import_profile

    paths, store = _store(args)
    if not args.file.is_file():
        print(f"medcode: {args.file}: not found", file=sys.stderr)
        return 2
    make_backup(store.db, paths.backups_dir, "before-import", datetime.now(UTC))
    try:
        with tempfile.TemporaryDirectory() as work:
            report = import_profile(store.db, args.file, Path(work))
    except TransferError as error:
        print(f"medcode: {args.file}: {error}; nothing was imported", file=sys.stderr)
        return 2
    print(report.summary())
    return 0


def run_check(args: argparse.Namespace) -> int:
    from app.store.integrity import full_check, recover

    paths, store = _store(args)
    problems = full_check(store.db)
    if not problems:
        print(f"{paths.learner_db}: no damage found.")
        return 0
    for problem in problems[:20]:
        print(f"damage: {problem}", file=sys.stderr)
    target = paths.data_dir / f"learner-recovered-{datetime.now(UTC):%Y%m%d-%H%M%S}.sqlite3"
    report = recover(paths.learner_db, target)
    print(f"{report.summary()}\nThe readable rows are in {target}. Restore it, or the newest backup, with"
          " `medcode data restore FILE`.", file=sys.stderr)
    return 1


def run_backup(args: argparse.Namespace) -> int:
    from app.store.backups import make_backup

    paths, store = _store(args)
    made = make_backup(store.db, paths.backups_dir, "manual", datetime.now(UTC))
    print(f"Backed up to {made.path} ({made.size // 1024} KB)")
    return 0


def run_backups(args: argparse.Namespace) -> int:
    from app.paths import resolve_paths
    from app.store.backups import list_backups

    for backup in list_backups(resolve_paths(args.data_dir).backups_dir):
        print(f"{backup.made_at.astimezone():%Y-%m-%d %H:%M}\t{backup.size // 1024} KB\t{backup.reason}\t{backup.path}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from app.store.backups import BackupError, restore_backup

    paths, store = _store(args)
    try:
        before = restore_backup(store.db, args.backup, paths.backups_dir, datetime.now(UTC))
    except BackupError as error:
        print(f"medcode: {error}; nothing was changed", file=sys.stderr)
        return 2
    print(f"Restored {args.backup.name}. The data as it was just before is in {before.path}")
    return 0
