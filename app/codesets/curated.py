"""The curated HCPCS Level II and CPT files shipped in app/codesets/data/ (our own wording).

Tab-separated, a header row first, `#` lines are comments. A malformed line stops the
build with a message naming the file, line and field: shipping a half-read file would make
valid codes look invalid.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
FILES = {
    "hcpcs": ("hcpcs_curated.tsv", ("code", "category", "short", "long")),
    "hcpcs_modifiers": ("hcpcs_modifiers.tsv", ("modifier", "short", "long")),
    "cpt_modifiers": ("cpt_modifiers.tsv", ("modifier", "short", "long")),
    "cpt_sections": ("cpt_sections.tsv", ("low", "high", "section", "subsection")),
    "cpt_codes": ("cpt_codes.tsv", ("code", "short")),
}


class CuratedDataError(ValueError):
    """A curated data file is malformed (FILE:LINE: FIELD: message)."""


@dataclass(frozen=True)
class CptSection:
    low: str
    high: str
    section: str
    subsection: str


def read(name: str, folder: Path | None = None) -> list[dict[str, str]]:
    """Rows of one curated file as dicts; [] when the file is not there."""
    filename, columns = FILES[name]
    path = (folder or DATA) / filename
    if not path.is_file():
        return []
    rows: list[dict[str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [(n, line) for n, line in enumerate(handle, start=1) if line.strip() and not line.startswith("#")]
    if not lines:
        return []
    header = [value.strip().lower() for value in _split(lines[0][1])]
    if tuple(header) != columns:
        raise CuratedDataError(f"{path}:{lines[0][0]}: header: expected the columns {', '.join(columns)}"
                               f" (tab-separated), found {', '.join(header)}")
    for number, values in ((n, _split(line)) for n, line in lines[1:]):
        if len(values) != len(columns):
            raise CuratedDataError(f"{path}:{number}: columns: expected {len(columns)} tab-separated"
                                   f" values ({', '.join(columns)}), found {len(values)}")
        row = {column: value.strip() for column, value in zip(columns, values, strict=True)}
        empty = [column for column in columns[:2] if not row[column]]
        if empty:
            raise CuratedDataError(f"{path}:{number}: {empty[0]}: must not be empty")
        rows.append(row)
    return rows


def _split(line: str) -> list[str]:
    """Tab-separated values, quotes taken literally (wording may contain them)."""
    return next(csv.reader([line.rstrip("\r\n")], delimiter="\t", quoting=csv.QUOTE_NONE))


def cpt_sections(folder: Path | None = None) -> list[CptSection]:
    return [CptSection(r["low"], r["high"], r["section"], r["subsection"]) for r in read("cpt_sections", folder)]


def fingerprint(folder: Path | None = None) -> str:
    """A hash of every curated file, so a changed file triggers a rebuild."""
    digest = hashlib.sha256()
    for filename, _ in FILES.values():
        path = (folder or DATA) / filename
        digest.update(filename.encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()[:16]


def check_all(folder: Path | None = None) -> None:
    """Read every curated file once; raises CuratedDataError on the first malformed line."""
    for name in FILES:
        read(name, folder)
