"""`medcode codes ...`: build, search and check the code-set database; import a user's files."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

SETS = ("icd10cm", "icd10pcs", "hcpcs", "cpt")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `codes` subcommand and its own subcommands."""
    codes = commands.add_parser("codes", help="build, search and check the code sets")
    sub = codes.add_subparsers(dest="codes_command", metavar="CODES_COMMAND", required=True)
    build = sub.add_parser("build", help="build or refresh the code-set database, with progress")
    build.add_argument("--force", action="store_true", help="rebuild even when the database is current")
    build.set_defaults(handler=run_build)
    search = sub.add_parser("search", help="search codes by code prefix or by words")
    search.add_argument("query", nargs="+")
    search.add_argument("--set", choices=SETS, dest="code_set")
    search.add_argument("--limit", type=_limit, default=25, help="at most this many results (1-1000)")
    search.add_argument("--billable", action="store_true", help="billable codes only")
    search.set_defaults(handler=run_search)
    check = sub.add_parser("check", help="check codes read one per line from standard input")
    check.set_defaults(handler=run_check)
    for name, what in (("import-hcpcs", "the CMS quarterly HCPCS alpha-numeric file (fixed-width)"),
                       ("import-cpt", "a licensed CPT file you own (CSV: code, descriptor)"),
                       ("import-pcs", "the CMS ICD-10-PCS tables file (icd10pcs_tables_2026.xml)")):
        command = sub.add_parser(name, help=f"import {what} into your data folder")
        command.add_argument("file", type=Path)
        command.set_defaults(handler=run_import, kind=name)


def _limit(text: str) -> int:
    """argparse type: a result count from 1 to 1000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return value


def _progress(step: int, total: int, text: str) -> None:
    print(f"[{step}/{total}] {text}", file=sys.stderr, flush=True)


def open_codes(args: argparse.Namespace, quiet: bool = False):  # type: ignore[no-untyped-def]
    """The code set for a `codes` command (progress on stderr unless quiet)."""
    return codeset_for(getattr(args, "data_dir", None), quiet)


def codeset_for(data_dir: str | None, quiet: bool = True):  # type: ignore[no-untyped-def]
    """The code set for any command: built first when missing or stale; user imports attached."""
    from app.codesets.build import ensure_database
    from app.codesets.curated import CuratedDataError
    from app.codesets.database import SqliteCodeSet
    from app.paths import resolve_paths

    paths = resolve_paths(data_dir)
    try:
        ensure_database(paths.codes_db, None if quiet else _progress)
    except CuratedDataError as error:
        print(f"{error}\nThe code-set database was not built.", file=sys.stderr)
        raise SystemExit(2) from None
    return SqliteCodeSet(paths.codes_db, user_db=paths.user_codes_db)


def run_build(args: argparse.Namespace) -> int:
    from app.codesets.build import build_database, database_is_current
    from app.paths import resolve_paths

    path = resolve_paths(args.data_dir).codes_db
    if database_is_current(path) and not args.force:
        print(f"The code-set database is current: {path}", file=sys.stderr)
        return 0
    from app.codesets.curated import CuratedDataError

    try:
        build_database(path, _progress)
    except CuratedDataError as error:
        print(f"{error}\nThe code-set database was not built.", file=sys.stderr)
        return 2
    print(f"Built {path}", file=sys.stderr)
    return 0


def run_search(args: argparse.Namespace) -> int:
    from app.core.codeset import CodeSystem

    codes = open_codes(args)
    system = CodeSystem(args.code_set) if args.code_set else None
    query = " ".join(args.query)
    found = codes.find(query, system, args.billable, max(1, args.limit))
    hits = found.hits
    if found.suggestion and not found.partial:  # on stderr: stdout stays one code per line
        print(f"Nothing matches “{query}”; did you mean “{found.suggestion}”? Showing its results.", file=sys.stderr)
    elif found.partial:
        print(f"No code has every word of “{found.suggestion or query}”; showing codes with some of them.",
              file=sys.stderr)
    for hit in hits:
        mark = "billable" if hit.billable else "header"
        print(f"{hit.code}\t{hit.system.value}\t{mark}\t{hit.title}")
    if not hits:
        print("No codes found.", file=sys.stderr)
    return 0


def check_line(codes, text: str) -> str:  # type: ignore[no-untyped-def]
    """One output line: input, code set, valid, billable, title or reason."""
    from app.core.codes import compact, shapes_for

    raw = text.strip()
    if not raw:
        return f"{raw}\t-\tno\tno\tempty line"
    info = codes.lookup(raw)
    if info is not None:
        billable = "yes" if info.billable else "no"
        title = info.title if info.billable else f"{info.title} (not billable: {_missing(info)})"
        return f"{raw}\t{info.system.value}\tyes\t{billable}\t{title}"
    shapes = shapes_for(raw)
    if not shapes:
        return f"{raw}\t-\tno\tno\tnot the shape of an ICD-10-CM, ICD-10-PCS, HCPCS or CPT code"
    names = " or ".join(s.label for s in shapes)
    return f"{raw}\t{shapes[0].value}\tno\tno\t{compact(raw)} is not a code in {names}"


def _missing(info) -> str:  # type: ignore[no-untyped-def]
    """Why a header code cannot be billed, in the words a coder uses."""
    if info.requires_seventh and info.requires_placeholder:
        return "needs X placeholders and a 7th character"
    if info.requires_seventh:
        return "needs a 7th character"
    return "a header; choose a more specific code"


def run_check(args: argparse.Namespace) -> int:
    codes = open_codes(args, quiet=True)
    for line in sys.stdin:
        print(check_line(codes, line.rstrip("\n")))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from app.codesets.pcs_import import import_pcs_tables
    from app.codesets.user_codes import import_cpt_file, import_hcpcs_file
    from app.paths import resolve_paths

    paths = resolve_paths(args.data_dir)
    if not args.file.is_file():
        print(f"{args.file}: file: not found", file=sys.stderr)
        return 2
    importer = {"import-hcpcs": import_hcpcs_file, "import-pcs": import_pcs_tables}.get(args.kind, import_cpt_file)
    try:
        report = importer(args.file, paths.user_codes_db)
    except (OSError, UnicodeDecodeError, ValueError, csv.Error) as error:
        print(f"{args.file}:0: file: cannot be read ({error}); nothing was imported", file=sys.stderr)
        return 2
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.problems:
        print(f"Nothing was imported: fix the {len(report.problems)} problem(s) above and import again.", file=sys.stderr)
        return 1
    skipped = "".join(f"; skipped {n} {reason}" for reason, n in report.skipped.items())
    print(f"Imported {report.imported} codes into {paths.user_codes_db}{skipped}.")
    return 0
