"""Cached listings the drill kinds draw from, computed once per code set.

The code set caches its own SQL listings; this adds the derived sets the quality rules
need (titles used twice, the ICD-10-CM book order) without touching SQL. Cached per code
set object, so a second drill on the same database starts warm.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from app.core.codes import compact, icd10cm_display
from app.core.codeset import CodeNote, CodeRow, CodeSystem, DrillCodes, NoteKind

_CACHE: weakref.WeakKeyDictionary[Any, dict[object, object]] = weakref.WeakKeyDictionary()
_REF_RANGE = re.compile(r"^([A-Z][0-9A-Z]{2}(?:\.?[0-9A-Z]*)?)-([A-Z][0-9A-Z]{2}(?:\.?[0-9A-Z]*)?)$")


_LAST: list[Any] = [None, {}]  # (weak reference to the last code set, its store): the common fast path


def cached(codes: DrillCodes, key: object, make: Callable[[], Any]) -> Any:
    """`make()` once per (code set, key)."""
    last = _LAST[0]() if _LAST[0] is not None else None
    if last is codes:
        store = _LAST[1]
    else:
        try:
            store = _CACHE.setdefault(codes, {})
            _LAST[:] = [weakref.ref(codes), store]
        except TypeError:  # a code set that cannot be weakly referenced: no caching
            return make()
    if key not in store:
        store[key] = make()
    return store[key]


def duplicate_titles(codes: DrillCodes, system: CodeSystem) -> frozenset[str]:
    """Titles that more than one code of `system` carries: such titles never make a key."""
    return codes.duplicate_titles(system)


def book_index(codes: DrillCodes) -> tuple[tuple[CodeRow, ...], dict[str, int]]:
    """All ICD-10-CM rows in book order, and each code's position (for near neighbours)."""
    def make() -> tuple[tuple[CodeRow, ...], dict[str, int]]:
        rows = codes.code_rows(CodeSystem.ICD10CM)
        return rows, {row.code: i for i, row in enumerate(rows)}
    return cached(codes, "book", make)


@lru_cache(maxsize=50_000)
def ref_bounds(ref: str) -> tuple[str, str] | None:
    """The (low, high) code prefixes a tabular reference spans: "E10-E13", "S52.-", "A18.32"."""
    text = ref.strip().upper().replace(" ", "").rstrip(".")
    match = _REF_RANGE.match(text.rstrip("-").rstrip("."))
    if match and not text.endswith(".-"):
        return compact(match.group(1)), compact(match.group(2))
    stem = compact(text.rstrip("-").rstrip("."))
    return (stem, stem) if stem else None


def icd_rows(codes: DrillCodes) -> dict[str, CodeRow]:
    """Every ICD-10-CM row by code (one listing, read once per code set)."""
    return family_index(codes, CodeSystem.ICD10CM, "")[0]


def billable_under(codes: DrillCodes, low: str, high: str) -> list[str]:
    """Billable ICD-10-CM codes from `low` to `high` (prefix bounds), in code order, without SQL."""
    flats, shown = cached(codes, "billable-sorted", lambda: _sorted_billable(codes))
    start, end = bisect.bisect_left(flats, low), bisect.bisect_left(flats, high + "\x7f")
    return shown[start:end]


def _sorted_billable(codes: DrillCodes) -> tuple[list[str], list[str]]:
    pairs = sorted((compact(code), code) for code, row in icd_rows(codes).items() if row.billable)
    return [flat for flat, _ in pairs], [code for _, code in pairs]


def notes_by_owner(codes: DrillCodes, kind: NoteKind) -> dict[str, tuple[CodeNote, ...]]:
    def make() -> dict[str, tuple[CodeNote, ...]]:
        grouped: dict[str, list[CodeNote]] = {}
        for note in codes.notes_of_kind(kind):
            grouped.setdefault(note.owner, []).append(note)
        return {owner: tuple(notes) for owner, notes in grouped.items()}
    return cached(codes, ("notes", kind), make)


def scope_notes(codes: DrillCodes, code: str, kind: NoteKind) -> list[CodeNote]:
    """Notes of `kind` that apply to `code`: its own, its ancestors', its blocks' and its chapter's.

    ICD-10-CM ancestors are the code's own prefixes (T40.2X4A: T40.2X4, T40.2X, T40.2, T40), and
    blocks and chapters hold the categories in their range, so no look-up per code is needed.
    """
    flat, grouped = compact(code), notes_by_owner(codes, kind)
    owners = [icd10cm_display(flat[:n]) for n in range(3, len(flat) + 1)]
    owners += cached(codes, "holders", lambda: _holders(codes)).get(flat[:3], [])
    # The tabular data repeats some notes; each counts once.
    return list(dict.fromkeys(note for owner in owners for note in grouped.get(owner, ())))


def icd_year(codes: DrillCodes) -> int:
    version = codes.version(CodeSystem.ICD10CM)
    return int(version) if version.isdigit() else 0


def family_index(codes: DrillCodes, system: CodeSystem,
                 category: str) -> tuple[dict[str, CodeRow], dict[str, tuple[str, ...]]]:
    """Rows by code and each code's children in book order, for the whole code set.

    A code's family (header, siblings, other 7th characters, other sides) is then found without
    a look-up per relative. `category` is accepted for callers that think per category; the
    index is built once from the full listing, which the pools read anyway.
    """
    def make() -> tuple[dict[str, CodeRow], dict[str, tuple[str, ...]]]:
        rows = codes.code_rows(system)
        children: dict[str, list[str]] = {}
        for row in rows:
            if row.parent:
                children.setdefault(row.parent, []).append(row.code)
        return {row.code: row for row in rows}, {parent: tuple(kids) for parent, kids in children.items()}
    return cached(codes, ("family", system), make)


def table_rows(codes: DrillCodes, table: str) -> dict[str, CodeRow]:
    """The ICD-10-PCS codes of one table (first three characters) by code, from the full listing."""
    def make() -> dict[str, dict[str, CodeRow]]:
        grouped: dict[str, dict[str, CodeRow]] = {}
        for row in codes.code_rows(CodeSystem.ICD10PCS):
            grouped.setdefault(row.code[:3], {})[row.code] = row
        return grouped
    return cached(codes, "pcs-tables", make).get(table, {})


def _holders(codes: DrillCodes) -> dict[str, list[str]]:
    """Each category's blocks and chapter (their keys), computed once for the whole tabular list."""
    categories = sorted({compact(code)[:3] for code in icd_rows(codes)})
    found: dict[str, list[str]] = {}
    for section in codes.sections(CodeSystem.ICD10CM):
        start = bisect.bisect_left(categories, section.low)
        for category in categories[start: bisect.bisect_right(categories, section.high)]:
            found.setdefault(category, []).append(section.key)
    return found


def within(ref: str, flat: str) -> bool:
    """A quick test of a reference's bounds against a compact code (what ref_covers decides, unparsed)."""
    span = ref_bounds(ref)
    return span is not None and span[0] <= flat[: len(span[0])] and flat[: len(span[1])] <= span[1]
