"""A user's own code files, imported into their data folder: the CMS HCPCS file, a licensed CPT file.

Nothing imported here is ever shipped with the app. Imports are all-or-nothing: a file with
any malformed line is reported (FILE:LINE: FIELD: message) and nothing is written.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.core.problems import Problem

USER_SCHEMA = """
CREATE TABLE IF NOT EXISTS user_codes (
    system TEXT NOT NULL, code TEXT NOT NULL, flat TEXT NOT NULL, title TEXT NOT NULL,
    long TEXT NOT NULL DEFAULT '', source TEXT NOT NULL, imported_at TEXT NOT NULL,
    PRIMARY KEY (system, flat)
);
CREATE VIRTUAL TABLE IF NOT EXISTS user_fts USING fts5 (system UNINDEXED, flat UNINDEXED, title, long,
                                                        tokenize='porter unicode61 remove_diacritics 2');
"""
RECORD_LENGTH = 320
HCPCS_CODE = re.compile(r"^[A-CEGHJ-MP-V][0-9]{4}$")
MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
CPT_CODE = re.compile(r"^(?:\d{5}|\d{4}[FTU])$")


@dataclass
class ImportReport:
    imported: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


@dataclass
class _Record:
    code: str
    long: str
    short: str
    line: int
    modifier: bool = False  # record id 7/8: a modifier, not a procedure code


def parse_hcpcs_file(path: Path) -> tuple[list[_Record], ImportReport]:
    """Read the CMS alpha-numeric HCPCS file: fixed-width records, continuation lines appended.

    Columns (1-based): code 1-5, record id 11 (3 = procedure, 4 = its continuation,
    7 = modifier, 8 = its continuation), long text 12-91, short text 92-119.
    """
    report, records = ImportReport(), []
    current: _Record | None = None
    text = Path(path).read_bytes().decode("latin-1")
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if len(raw) > RECORD_LENGTH:
            report.problems.append(Problem(str(path), number, "record", f"is {len(raw)} characters long; CMS records are {RECORD_LENGTH}"))
            continue
        line = raw.ljust(RECORD_LENGTH)
        code, kind, long, short = line[0:5].strip().upper(), line[10], line[11:91].strip(), line[91:119].strip()
        if kind in "37":
            current = _Record(code, long, short, number, modifier=kind == "7")
            records.append(current)
        elif kind in "48":
            if current is None or current.code != code:
                report.problems.append(Problem(str(path), number, "record id", f"continuation of {code!r} has no first line before it"))
                continue
            current.long = f"{current.long} {long}".strip()
        else:
            report.problems.append(Problem(str(path), number, "record id", f"column 11 must be 3, 4, 7 or 8, found {kind!r}"))
    return records, report


def _store(user_db: Path, system: str, rows: list[tuple[str, str, str]], source: str) -> None:
    """Replace the user's codes of `system` with `rows` (code, title, long) in one transaction."""
    rows = list({code: (code, title, long) for code, title, long in rows}.values())  # the last line of a code wins
    user_db.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(user_db)
    try:
        with connection:
            connection.executescript(USER_SCHEMA)
            connection.execute("DELETE FROM user_codes WHERE system = ?", (system,))
            stamp = datetime.now(UTC).isoformat()
            connection.executemany(
                "INSERT OR REPLACE INTO user_codes VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(system, code, code, title, long, source, stamp) for code, title, long in rows])
            connection.execute("DELETE FROM user_fts WHERE system = ?", (system,))
            connection.executemany("INSERT INTO user_fts (system, flat, title, long) VALUES (?, ?, ?, ?)",
                                   [(system, code, title, long) for code, title, long in rows])
    finally:
        connection.close()


def import_hcpcs_file(path: Path, user_db: Path) -> ImportReport:
    records, report = parse_hcpcs_file(path)
    rows = []
    for record in records:
        if record.modifier:
            if not MODIFIER.match(record.code):
                report.problems.append(Problem(str(path), record.line, "modifier", f"{record.code!r} is not a two-character modifier"))
            else:  # stored as "-RT", the form modifier look-ups and "-R" prefix searches use
                rows.append((f"-{record.code}", record.short or record.long, record.long))
        elif record.code.startswith("D"):
            report.skip("D-codes (the ADA's CDT, not shipped or imported)")
        elif not HCPCS_CODE.match(record.code):
            report.problems.append(Problem(str(path), record.line, "code", f"{record.code!r} is not a HCPCS Level II code"))
        else:
            rows.append((record.code, record.short or record.long, record.long))
    if not report.problems:
        _store(user_db, "hcpcs", rows, f"CMS HCPCS file {Path(path).name}")
        report.imported = len(rows)
    return report


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """The file's delimiter (comma, semicolon, tab or bar); plain CSV when it cannot be told."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|") if sample.strip() else csv.excel
    except csv.Error:
        return csv.excel  # one column only: every line is then reported as lacking a descriptor


def import_cpt_file(path: Path, user_db: Path) -> ImportReport:
    """A licensed CPT file the user owns: CSV with the code and its descriptor."""
    report, rows = ImportReport(), []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        dialect = _dialect(sample)
        for number, values in enumerate(csv.reader(handle, dialect), start=1):
            if not values or not "".join(values).strip():
                continue
            code = values[0].strip().upper()
            if number == 1 and not CPT_CODE.match(code):
                continue  # a header row
            if len(values) < 2 or not values[1].strip():
                report.problems.append(Problem(str(path), number, "descriptor", "is missing"))
            elif not CPT_CODE.match(code):
                report.problems.append(Problem(str(path), number, "code", f"{code!r} is not a CPT code (5 digits, or 4 digits and F/T)"))
            else:
                rows.append((code, values[1].strip(), ", ".join(v.strip() for v in values[1:] if v.strip())))
    if not rows and not report.problems:
        report.problems.append(Problem(str(path), 1, "file", "holds no CPT codes"))
    if not report.problems:
        _store(user_db, "cpt", rows, f"licensed CPT file {Path(path).name}")
        report.imported = len(rows)
    return report
