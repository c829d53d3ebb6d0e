"""`medcode bank check PATH...`: print every problem of the given banks, exit 1 on any error.

The command only reads: it opens the code-set cache (building it on first use, which is a
cache and not learner data) and the lessons shipped with the app, and writes nothing else.
Whatever goes wrong, the user sees a message, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.codesets.cli import codeset_for
from app.core.problems import Problem, Severity


def add_to(bank_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `check` under `bank`."""
    check = bank_commands.add_parser(
        "check",
        help="check bank files or folders and print every problem as FILE:LINE: FIELD: message",
        description="Check question banks. Exit status 1 if any error was found; warnings alone do not fail.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="a bank file (.yaml), an exam form file, or a folder of them")
    check.add_argument("--no-codes", action="store_true", help="skip the code-set checks (no code-set database needed)")
    check.set_defaults(handler=run_check)


def collect_files(paths: list[str]) -> tuple[list[Path], list[Problem]]:
    """Bank files named on the command line: files as given, folders searched for banks."""
    from app.content.bank import bank_files

    files: list[Path] = []
    problems: list[Problem] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found = bank_files(path)
            found += sorted((path / "forms").glob("*.yaml")) if (path / "forms").is_dir() else []
            if not found:
                problems.append(Problem(text, 0, "path", "folder holds no bank files (*.yaml or */bank.yaml)",
                                        Severity.WARNING))
            files += found
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(text, 0, "path", "no such file or folder"))
    return files, problems


def app_lesson_ids() -> set[str] | None:
    """Ids of the lessons shipped with the app; None (check skipped) when there is no lessons folder."""
    from app.content.lessons import load_lessons
    from app.resources import LESSONS_DIR

    folder = LESSONS_DIR
    if not folder.is_dir():
        return None
    modules, _ = load_lessons(folder)
    return {lesson.id for module in modules for lesson in module.lessons}



def check_paths(paths: list[str], codes: object, lesson_ids: set[str] | None) -> list[Problem]:
    from app.content.checker import check_bank_file

    from app.content.exam_forms import check_form_file, is_form_file
    from app.content.near_duplicates import near_duplicate_problems

    files, problems = collect_files(paths)
    items: list = []  # type: ignore[type-arg]
    for path in files:
        if is_form_file(path):  # an exam form (docs/exams.md): `form:` at the top
            problems += check_form_file(path)
        else:
            problems += check_bank_file(path, codes, lesson_ids, items)  # type: ignore[arg-type]
    problems += near_duplicate_problems(items)
    return sorted(problems, key=lambda p: (p.path, p.line, p.field, p.message))


def run_check(args: argparse.Namespace) -> int:
    """Handler: print problems sorted by file and line; 1 if any error, else 0."""
    codes = None
    try:
        if not args.no_codes:
            codes = codeset_for(args.data_dir)
        problems = check_paths(args.paths, codes, app_lesson_ids())
    except Exception as error:  # noqa: BLE001 - the command's boundary: a message, never a traceback
        print(f"medcode bank check: cannot run the check: {error}", file=sys.stderr)
        return 2
    finally:
        close = getattr(codes, "close", None)
        if close is not None:
            close()
    for problem in problems:
        print(problem)
    errors = sum(problem.severity is Severity.ERROR for problem in problems)
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors else 0
