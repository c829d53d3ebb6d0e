"""`medcode exam forms` and `medcode exam check [FORM...] [--banks DIR]`: headless exam-form work.

`check` answers the instructor's question "can these banks fill this form?" section by
section, with the exact shortfall, before any learner sits it. Exit status 1 when a form
cannot be filled, 2 when nothing could be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    exam = commands.add_parser("exam", help="list mock-exam forms and check that banks can fill them")
    sub = exam.add_subparsers(dest="exam_command", metavar="EXAM_COMMAND", required=True)
    forms = sub.add_parser("forms", help="list the exam forms (shipped and from installed bank packages)")
    forms.set_defaults(handler=run_forms)
    check = sub.add_parser("check", help="say, section by section, whether the banks can fill a form",
                           description="Exit status 1 if any form cannot be filled.")
    check.add_argument("forms", nargs="*", metavar="FORM", help="form ids or form files (default: every form)")
    check.add_argument("--banks", action="append", type=Path, metavar="DIR",
                       help="a folder of banks (repeatable; default: the shipped and installed banks)")
    check.set_defaults(handler=run_check)


def _form_folders(data_dir: str | None) -> list[Path]:
    from app.content.exam_forms import shipped_forms_folder
    from app.paths import resolve_paths

    return [shipped_forms_folder(), resolve_paths(data_dir).banks_dir]


def _bank_folders(args: argparse.Namespace) -> list[Path]:
    from app.paths import resolve_paths
    from app.resources import BANKS_DIR

    if args.banks:
        return list(args.banks)
    return [BANKS_DIR, resolve_paths(args.data_dir).banks_dir]


def run_forms(args: argparse.Namespace) -> int:
    from app.content.exam_forms import load_forms

    forms, problems = load_forms(_form_folders(args.data_dir))
    for problem in problems:
        print(problem, file=sys.stderr)
    for form in forms:
        parts = f", {len(form.parts)} locked parts" if form.navigation.value == "locked_parts" else ""
        print(f"{form.id:<14} {form.title}: {form.count} items, {form.minutes} min, pass {form.pass_mark:g} %"
              f"{parts}, pause {form.pause.value}, code browser {'open' if form.code_browser else 'closed'}")
    return 1 if problems and not forms else 0


def _chosen(args: argparse.Namespace) -> tuple[list, list]:  # type: ignore[type-arg]
    from app.content.exam_forms import load_form, load_forms

    forms, problems = load_forms(_form_folders(args.data_dir))
    if not args.forms:
        return forms, problems
    chosen = []
    for name in args.forms:
        if Path(name).suffix in (".yaml", ".yml") and Path(name).is_file():
            form, found = load_form(Path(name))
            problems += found
            chosen += [form] if form else []
        elif (match := next((f for f in forms if f.id == name), None)) is not None:
            chosen.append(match)
        else:
            known = ", ".join(f.id for f in forms)
            print(f"medcode exam check: no form {name!r} (forms: {known})", file=sys.stderr)
    return chosen, problems


def report(form, pool) -> tuple[list[str], bool]:  # type: ignore[no-untyped-def]
    """The lines printed for one form, and whether the pool fills it."""
    from app.core.exam_forms import fill_report

    rows = fill_report(form, pool)
    short = [(section, found) for section, found in rows if found < section.count]
    head = f"{form.title} ({form.id}): {form.count} items"
    lines = [head + (": can be filled" if not short else
                     f": CANNOT be filled, {len(short)} section(s) short by "
                     f"{sum(s.count - f for s, f in short)} item(s)")]
    width = max(len(section.title) for section, _ in rows)
    for section, found in rows:
        state = "ok" if found >= section.count else f"short by {section.count - found}"
        lines.append(f"  {section.title:<{width}}  needs {section.count:>3}, has {found:>3}  {state}")
    return lines, not short


def run_check(args: argparse.Namespace) -> int:
    from app.content.bank import load_banks

    forms, problems = _chosen(args)
    pool = []
    for folder in _bank_folders(args):
        if folder.is_dir():
            banks, found = load_banks(folder)
            problems += found
            pool += [item for bank in banks for item in bank.items]
        elif args.banks:
            problems.append(f"{folder}: folder: no such folder")
    for problem in problems:
        print(problem, file=sys.stderr)
    if not forms:
        print("No exam form to check.", file=sys.stderr)
        return 2
    filled = True
    print(f"{len(pool)} items in the banks.")
    for form in forms:
        lines, ok = report(form, pool)
        filled &= ok
        print("\n".join(lines))
    return 0 if filled else 1
