"""Read the CDC ICD-10-CM tabular XML (shipped inside the simple-icd-10-cm package).

We parse the XML file directly instead of importing `simple_icd_10_cm`, which costs
about 1.8 s and 190 MB at import. Codes that take a 7th character are not elements in the
XML: they are generated here from the `sevenChrDef` table in force (the nearest one on the
code or its ancestors), with `X` placeholders up to six characters, as the tabular list says.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.core.codeset import NoteKind

PACKAGE = "simple_icd_10_cm"
NOTE_TAGS = {
    "inclusionTerm": NoteKind.INCLUSION_TERM,
    "includes": NoteKind.INCLUDES,
    "excludes1": NoteKind.EXCLUDES1,
    "excludes2": NoteKind.EXCLUDES2,
    "codeFirst": NoteKind.CODE_FIRST,
    "useAdditionalCode": NoteKind.USE_ADDITIONAL,
    "codeAlso": NoteKind.CODE_ALSO,
    "notes": NoteKind.NOTE,
    "sevenChrNote": NoteKind.NOTE,
}
_CODE = r"[A-Z]\d[0-9A-Z](?:\.(?:[0-9A-Z]{1,4}-?|-))?"
_REF = re.compile(rf"(?<![A-Za-z0-9.])({_CODE})(?:\s*-\s*({_CODE}))?(?![0-9A-Za-z])")


def data_folder() -> Path:
    """The package's data folder, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the {PACKAGE} package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def tabular_file() -> Path:
    found = sorted(data_folder().glob("icd10c*-tabular-*.xml"))
    if not found:
        raise FileNotFoundError(f"no tabular XML file in {data_folder()}")
    return found[-1]


def package_version() -> str:
    return importlib.metadata.version("simple-icd-10-cm")


def fiscal_year(path: Path | None = None) -> str:
    """The `<version>` element at the top of the tabular file (the fiscal year, "2026")."""
    for _, element in ET.iterparse(path or tabular_file(), events=("end",)):
        if element.tag == "version":
            return (element.text or "").strip()
        if element.tag in ("introduction", "chapter"):
            break
    return ""


def refs_in(text: str) -> tuple[str, ...]:
    """Code references in a note: "E11.9", dash refs "S52.-", ranges "E10-E13"."""
    found = []
    for match in _REF.finditer(text):
        first, second = match.group(1), match.group(2)
        found.append(f"{first}-{second}" if second else first)
    return tuple(dict.fromkeys(found))


@dataclass
class Entry:
    code: str  # display form ("S52.521A"); chapters "1".."22", blocks "S50-S59"
    title: str
    kind: str  # chapter | block | category | subcategory | code
    parent: str | None
    chapter: str
    block: str
    billable: bool = False
    notes: list[tuple[NoteKind, str, tuple[str, ...]]] = field(default_factory=list)
    seventh_owner: str = ""  # code whose 7th-character table applies
    seventh: list[tuple[str, str]] = field(default_factory=list)  # this code's own table
    requires_seventh: bool = False
    requires_placeholder: bool = False
    generated: bool = False  # made from a 7th-character table, not an element of the XML


def _notes(element: ET.Element) -> list[tuple[NoteKind, str, tuple[str, ...]]]:
    found = []
    for child in element:
        kind = NOTE_TAGS.get(child.tag)
        if kind is None:
            continue
        for note in child.findall("note"):
            text = " ".join((note.text or "").split())
            if text:
                found.append((kind, text, refs_in(text)))
    return found


def _seventh(element: ET.Element) -> list[tuple[str, str]]:
    table = element.find("sevenChrDef")
    if table is None:
        return []
    return [(ext.get("char", ""), " ".join((ext.text or "").split())) for ext in table.findall("extension")]


def _not_applicable(stem: str, char: str) -> bool:
    """The one 7th-character restriction stated in a note rather than in a table (S06).

    S06's note: "7th characters D and S do not apply to codes in category S06 with 6th
    character 7 ... or 8 ...".
    """
    return stem.startswith("S06") and stem[5] in "78" and char in "DS"


def read_tabular(path: Path | None = None) -> Iterator[Entry]:
    """Every chapter, block and code of the tabular list, parents before children."""
    root = ET.parse(path or tabular_file()).getroot()
    for chapter in root.iter("chapter"):
        number = (chapter.findtext("name") or "").strip()
        title = " ".join((chapter.findtext("desc") or "").split())
        chapter_label = f"{number}: {title}"
        yield Entry(number, title, "chapter", None, chapter_label, "", notes=_notes(chapter))
        for section in chapter.findall("section"):
            block = section.get("id", "")
            desc = " ".join((section.findtext("desc") or "").split())
            yield Entry(block, desc, "block", number, chapter_label, "", notes=_notes(section))
            for diag in section.findall("diag"):
                yield from _walk(diag, block, chapter_label, f"{block}: {desc}", None, [])


def _walk(diag: ET.Element, parent: str, chapter: str, block: str,
          owner: str | None, table: list[tuple[str, str]]) -> Iterator[Entry]:
    code = (diag.findtext("name") or "").strip()
    title = " ".join((diag.findtext("desc") or "").split())
    own = _seventh(diag)
    if own:
        owner, table = code, own
    children = diag.findall("diag")
    kind = "category" if len(code) == 3 else "subcategory" if children else "code"
    entry = Entry(code, title, kind, parent, chapter, block, notes=_notes(diag),
                  seventh_owner=owner or "", seventh=own)
    if children:
        yield entry
        for child in children:
            yield from _walk(child, code, chapter, block, owner, table)
        return
    if not table:
        entry.billable = True
        yield entry
        return
    flat = code.replace(".", "")
    entry.requires_seventh = True
    entry.requires_placeholder = len(flat) < 6
    yield entry
    stem = flat.ljust(6, "X")
    for char, meaning in table:
        if _not_applicable(stem, char):
            continue
        full = f"{stem[:3]}.{stem[3:]}{char}"
        yield Entry(full, f"{title}, {meaning}", "code", code, chapter, block, billable=True,
                    seventh_owner=owner or "", requires_seventh=True,
                    requires_placeholder=entry.requires_placeholder, generated=True)
