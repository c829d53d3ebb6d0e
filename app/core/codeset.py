"""The `CodeSet` protocol: the one way scoring, bank checks and the UI ask about codes.

Core defines the protocol and the value objects; `app.codesets` implements them on top
of the SQLite code-set database. Keeping the protocol here lets the scorer and the
session be tested against any implementation without importing SQL or Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, runtime_checkable


class CodeSystem(StrEnum):
    """The code sets the app knows. Values are the names used in banks and on the CLI."""

    ICD10CM = "icd10cm"
    ICD10PCS = "icd10pcs"
    HCPCS = "hcpcs"
    CPT = "cpt"

    @property
    def label(self) -> str:
        return {
            "icd10cm": "ICD-10-CM",
            "icd10pcs": "ICD-10-PCS",
            "hcpcs": "HCPCS Level II",
            "cpt": "CPT",
        }[self.value]


class NoteKind(StrEnum):
    """Instructional notes of the ICD-10-CM tabular list (and free notes of other sets)."""

    INCLUSION_TERM = "inclusion_term"
    INCLUDES = "includes"
    EXCLUDES1 = "excludes1"
    EXCLUDES2 = "excludes2"
    CODE_FIRST = "code_first"
    USE_ADDITIONAL = "use_additional"
    CODE_ALSO = "code_also"
    NOTE = "note"


@dataclass(frozen=True)
class CodeNote:
    """One instructional note, with the code references found in its text.

    `refs` are canonical references as printed in the tabular list: a full code
    ("E11.9"), a category or subcategory with a dash ("S52.-", "E10.-"), or a range
    ("E10-E13"). `app.core.codes.ref_covers` decides whether a ref covers a code.
    `owner` is the code that carries the note (an ancestor when it was inherited).
    """

    kind: NoteKind
    text: str
    refs: tuple[str, ...] = ()
    owner: str = ""


@dataclass(frozen=True)
class SeventhCharacter:
    char: str
    meaning: str


@dataclass(frozen=True)
class Axis:
    """One character of an ICD-10-PCS code: position 1-7, axis name, value, meaning."""

    position: int
    name: str
    value: str
    meaning: str


@dataclass(frozen=True)
class CodeInfo:
    """Everything the app shows or checks about one code. No back-reference to a database."""

    system: CodeSystem
    code: str  # canonical form: upper case; ICD-10-CM with its dot ("S52.521A")
    title: str
    billable: bool
    parent: str | None = None
    children: tuple[str, ...] = ()
    chapter: str = ""  # e.g. "19: Injury, poisoning and certain other consequences..."
    block: str = ""  # e.g. "S50-S59: Injuries to the elbow and forearm"
    category: str = ""  # 3-character category for ICD-10-CM ("S52")
    notes: tuple[CodeNote, ...] = ()  # the code's own notes only
    seventh_characters: tuple[SeventhCharacter, ...] = ()  # the table in force (inherited)
    requires_seventh: bool = False  # a 7th character is required for a billable code
    requires_placeholder: bool = False  # X placeholders are needed to reach the 7th character
    axes: tuple[Axis, ...] = ()  # ICD-10-PCS only
    source: str = ""  # where the entry came from (package name and version, "curated", "user")
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def notes_of(self, kind: NoteKind) -> tuple[CodeNote, ...]:
        return tuple(note for note in self.notes if note.kind == kind)


@dataclass(frozen=True)
class SearchHit:
    system: CodeSystem
    code: str
    title: str
    billable: bool
    score: float = 0.0


@runtime_checkable
class CodeSet(Protocol):
    """Read-only questions about the code sets. Implementations must be cheap to call."""

    def lookup(self, code: str, system: CodeSystem | None = None) -> CodeInfo | None:
        """The entry for `code` (any case, with or without the ICD-10-CM dot), or None.

        With `system` None the code's shape decides; where a shape fits more than one
        set (J1100 is HCPCS, J11.00 is ICD-10-CM), ICD-10-CM is tried when the input has
        a dot, otherwise the sets are tried in the order CPT, HCPCS, ICD-10-PCS, ICD-10-CM.
        """
        ...

    def ancestors(self, code: str, system: CodeSystem) -> tuple[str, ...]:
        """Canonical codes from the parent up to the top of the hierarchy (nearest first)."""
        ...

    def notes_in_scope(self, code: str, system: CodeSystem, kind: NoteKind) -> tuple[CodeNote, ...]:
        """Notes of `kind` on the code and on each of its ancestors (they apply downwards)."""
        ...

    def search(
        self,
        query: str,
        system: CodeSystem | None = None,
        billable_only: bool = False,
        limit: int = 25,
    ) -> list[SearchHit]:
        """Code-like queries use prefix look-up; words use ranked full-text search."""
        ...

    def version(self, system: CodeSystem) -> str:
        """Data version of one code set (e.g. "2026" or the source package version)."""
        ...


@dataclass(frozen=True)
class CodeRow:
    """One code in a listing: enough to draw drill sources without a look-up per code."""

    code: str
    title: str
    billable: bool
    generated: bool = False  # an ICD-10-CM code made from a 7th-character table
    requires_seventh: bool = False
    parent: str | None = None
    seventh_owner: str = ""  # ICD-10-CM: the code whose 7th-character table is in force


@dataclass(frozen=True)
class Section:
    """A chapter or block of the ICD-10-CM tabular list, with the code range it spans."""

    kind: str  # "chapter" | "block"
    key: str  # "4" for a chapter, "E08-E13" for a block
    title: str  # the data's wording, range included: "Diabetes mellitus (E08-E13)"
    low: str  # first category ("E08")
    high: str  # last category ("E13")


@runtime_checkable
class DrillCodes(CodeSet, Protocol):
    """The listings the drill generator draws its sources from (beyond single look-ups).

    Kept apart from `CodeSet` so that small test doubles of the scorer's protocol need not
    implement listings they never use. Listings are cached by the implementation.
    """

    def code_rows(self, system: CodeSystem, low: str = "", high: str = "") -> tuple[CodeRow, ...]:
        """Codes of `system` (categories, subcategories, codes) from `low` to `high`, in book order.

        Bounds compare like a tabular range: "E08"-"E13" holds E08 ... E13.9; empty means open.
        """
        ...

    def duplicate_titles(self, system: CodeSystem) -> frozenset[str]:
        """Titles (case-folded) that more than one code of `system` carries."""
        ...

    def sections(self, system: CodeSystem) -> tuple[Section, ...]:
        """Chapters and blocks (ICD-10-CM), in book order."""
        ...

    def notes_of_kind(self, kind: NoteKind) -> tuple[CodeNote, ...]:
        """Every ICD-10-CM note of `kind` (headings without references too), with its owner.

        Owners are codes ("E11"), blocks ("E08-E13") and chapters ("4"), as `Section.key` names them.
        """
        ...

    def modifiers(self, system: CodeSystem) -> tuple[CodeInfo, ...]:
        """The CPT or HCPCS modifiers, in list order."""
        ...

    def seventh_tables(self) -> dict[str, tuple[SeventhCharacter, ...]]:
        """Every ICD-10-CM 7th-character table by the code that owns it (`CodeRow.seventh_owner`)."""
        ...

    def pcs_meanings(self) -> tuple[tuple[str, int, str, str], ...]:
        """Every ICD-10-PCS (context, position, value, meaning): the tables' character meanings."""
        ...
