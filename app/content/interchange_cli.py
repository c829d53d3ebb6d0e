"""`medcode bank import` and `medcode bank export`: Moodle GIFT / Moodle XML in and out.

Import writes the questions it could read and reports the rest (exit status 1 when any
question was refused), so an instructor gets a usable bank plus a list of what to redo by
hand. Both commands refuse to overwrite a file unless --force is given, and every failure is
a message, never a traceback. The mapping is documented in docs/moodle-interchange.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from app.core.models import Item
from app.core.problems import Problem, Severity
from app.core.topics import TOPICS

MAX_BYTES = 20 * 1024 * 1024  # Moodle XML may embed images; anything larger is not a question file
FORMATS = ("gift", "moodle-xml")


def add_to(bank_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `import` and `export` under `bank`."""
    imp = bank_commands.add_parser(
        "import", help="import a Moodle GIFT or Moodle XML file as a question bank (YAML)",
        description="Import Moodle questions. Questions that cannot be imported are listed as "
                    "FILE:LINE and make the exit status 1; the others are still written.")
    imp.add_argument("file", metavar="FILE", help="a GIFT (.gift, .txt) or Moodle XML (.xml) file")
    imp.add_argument("--out", required=True, metavar="DIR",
                     help="folder to write <bank id>.yaml into")
    imp.add_argument("--format", choices=FORMATS,
                     help="the file's format (default: from its extension or content)")
    imp.add_argument("--topic", default="guidelines", choices=sorted(TOPICS), metavar="TOPIC",
                     help="topic of questions whose category names none (default: guidelines; "
                          "one of the topics in docs/question-bank-format.md)")
    imp.add_argument("--bank-id", help="id of the new bank (default: from the file name)")
    imp.add_argument("--title", help="title of the new bank (default: 'Imported from FILE')")
    imp.add_argument("--code-year", type=_year, default=2026,
                     help="code year of the bank and its items (default 2026)")
    imp.add_argument("--force", action="store_true", help="overwrite an existing bank file")
    imp.set_defaults(handler=run_import)
    exp = bank_commands.add_parser(
        "export", help="export a question bank as Moodle GIFT or Moodle XML",
        description="Export a bank for Moodle. Coding cases have no Moodle equivalent: "
                    "they are listed as skipped.")
    exp.add_argument("bank", metavar="BANK", help="a bank file (.yaml)")
    exp.add_argument("--format", required=True, choices=FORMATS)
    exp.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    exp.add_argument("--force", action="store_true", help="overwrite an existing file")
    exp.set_defaults(handler=run_export)


def _year(text: str) -> int:
    """A code year as the bank format accepts it (2000-2100); argparse reports anything else."""
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year from 2000 to 2100")
    return int(text)


def detect_format(path: Path, text: str) -> str:
    """`moodle-xml` for .xml files or text that starts like XML, else `gift`."""
    if path.suffix.lower() == ".xml":
        return "moodle-xml"
    if path.suffix.lower() in (".gift", ".txt"):
        return "gift"
    return "moodle-xml" if text.lstrip("\ufeff \t\r\n").startswith(("<?xml", "<quiz")) else "gift"


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file as text, or the reason it cannot be read (size, binary, not UTF-8)."""
    where = str(path)
    try:
        if not path.is_file():
            return None, Problem(where, 0, "file", "no such file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            message = f"file is {size / 1048576:.1f} MB; an import may be at most 20 MB"
            return None, Problem(where, 0, "file", message)
        data = path.read_bytes()
    except OSError as error:
        return None, Problem(where, 0, "file", f"cannot read: {error.strerror or error}")
    if b"\0" in data:
        return None, Problem(where, 0, "file", "binary data (NUL byte); a question file is text")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return None, Problem(where, 0, "file", f"not UTF-8 text (bad byte at offset {error.start})")


def _report(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in sorted(problems, key=lambda p: (p.line == 0, p.line, p.field, p.message)):
        print(problem)


def _target(path: Path, force: bool) -> Problem | None:
    if path.exists() and not force:
        return Problem(str(path), 0, "out", "file exists; use --force to overwrite it")
    return None


def _write(path: Path, text: str) -> Problem | None:
    """Write `text` whole or not at all; a full or read-only disk goes to the command line's
    one error path (`medcode: FILE: why`, exit status 2) instead of leaving half a file."""
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(path)) from error
    return None


def _bank_id(args: argparse.Namespace, path: Path) -> tuple[str, Problem | None]:
    from app.content.bank_items import ID_PATTERN
    from app.content.interchange import slug

    bank_id = args.bank_id or slug(path.stem) or "imported"
    if ID_PATTERN.match(bank_id):
        return bank_id, None
    message = f"{bank_id!r} is not a valid bank id (lower-case letters, digits, dashes)"
    return bank_id, Problem(str(path), 0, "bank-id", message)


def _bank_text(args: argparse.Namespace, path: Path, bank_id: str, items: tuple[Item, ...]) -> str:
    """The new bank as YAML: the manifest the import documents, then the items."""
    from app.content.bank_writer import bank_to_yaml
    from app.core.models import Bank, BankManifest, ScoringPolicy

    title = args.title or f"Imported from {path.name}"
    manifest = BankManifest(bank_id, title, "1.0.0", "imported", "unknown", args.code_year,
                            ScoringPolicy.PER_LINE, f"Imported from {path.name}.")
    return bank_to_yaml(Bank(manifest, items))


def _too_many(path: Path, text: str, kind: str) -> Problem | None:
    """A file with more questions than a bank may hold is refused before it is parsed.

    A 19 MB GIFT file of 600,000 short questions ran for minutes and took gigabytes; counting
    takes a fraction of a second.
    """
    from app.content.limits import MAX_ITEMS, count_questions

    count = count_questions(text, kind)
    if count <= MAX_ITEMS:
        return None
    return Problem(str(path), 0, "file", f"holds about {count:,} questions; an import may hold at most "
                                         f"{MAX_ITEMS:,}; split the file and import the parts")


def _too_big(out: Path, text: str) -> Problem | None:
    """The bank the import would write is refused, before writing, when the loader would refuse it."""
    from app.content.bank_yaml import MAX_BYTES as BANK_BYTES

    size = len(text.encode("utf-8"))
    if size <= BANK_BYTES:
        return None
    return Problem(str(out), 0, "out", f"the bank would be {size / 1048576:.1f} MB; a bank may be at most "
                                       f"{BANK_BYTES / 1048576:.0f} MB; nothing was written (split the file)")


def import_file(args: argparse.Namespace) -> tuple[int, list[Problem]]:
    """Do the import; returns the exit status and every problem to print."""
    from app.content.bank import load_bank
    from app.content.gift import parse_gift
    from app.content.moodle_xml import parse_moodle_xml

    path = Path(args.file)
    text, problem = read_text(path)
    bank_id, bad_id = _bank_id(args, path)
    out = Path(args.out) / f"{bank_id}.yaml"
    refused = problem or bad_id or _target(out, args.force)
    if text is None or refused:
        return 1, [refused]  # type: ignore[list-item]
    kind = args.format or detect_format(path, text)
    too_many = _too_many(path, text, kind)
    if too_many:
        return 1, [too_many]
    parse = parse_moodle_xml if kind == "moodle-xml" else parse_gift
    result = parse(text, str(path), args.topic, args.code_year, bank_id)
    problems = list(result.problems)
    if not result.items:
        return 1, problems + [Problem(str(path), 0, "file", "no question could be imported; "
                                                             "nothing was written")]
    bank_text = _bank_text(args, path, bank_id, result.items)
    too_big = _too_big(out, bank_text)
    if too_big:
        return 1, problems + [too_big]
    failed = _write(out, bank_text)
    if failed:
        return 1, problems + [failed]
    bank, loaded = load_bank(out)  # what the app will see; anything it refuses is reported too
    problems += loaded
    counts = ", ".join(f"{count} {name}" for name, count in sorted(result.counts().items()))
    print(f"imported {len(bank.items) if bank else 0} question(s) from {path} into {out}: {counts}")
    return (1 if any(p.severity is Severity.ERROR for p in problems) else 0), problems


def run_import(args: argparse.Namespace) -> int:
    """`medcode bank import`: see import_file; never raises for bad input."""
    status, problems = import_file(args)
    _report(problems)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if errors:
        print(f"{errors} error(s); questions named above were not imported", file=sys.stderr)
    return status


def run_export(args: argparse.Namespace) -> int:
    """`medcode bank export`: the bank's questions as GIFT or Moodle XML; coding cases skipped."""
    from app.content.bank import load_bank
    from app.content.gift import export_gift
    from app.content.moodle_xml import export_moodle_xml

    out = Path(args.out)
    refused = _target(out, args.force)
    if refused:
        _report([refused])
        return 1
    bank, problems = load_bank(Path(args.bank))
    if bank is None:
        _report(problems)
        print("the bank could not be loaded; nothing was written", file=sys.stderr)
        return 1
    bank = dataclasses.replace(bank, path=bank.path or args.bank)
    text, skipped = (export_gift if args.format == "gift" else export_moodle_xml)(bank)
    failed = _write(out, text)
    problems = list(problems) + skipped + ([failed] if failed else [])
    _report(problems)
    if not failed:
        exported = len(bank.items) - len(skipped)
        print(f"exported {exported} question(s) of {bank.manifest.id} to {out} ({args.format}); "
              f"{len(skipped)} skipped")
    return 1 if any(p.severity is Severity.ERROR for p in problems) else 0
