"""Cached listings the drill kinds draw from, computed once per code set.

The code set caches its own SQL listings; this adds the derived sets the quality rules
need (titles used twice, the ICD-10-CM book order) without touching SQL. Cached per code
set object, so a second drill on the same database starts warm.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Callable
from typing import Any

from app.core.codes import compact
from app.core.codeset import CodeRow, CodeSystem, DrillCodes

_CACHE: weakref.WeakKeyDictionary[Any, dict[object, object]] = weakref.WeakKeyDictionary()
_REF_RANGE = re.compile(r"^([A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]*)?)-([A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]*)?)$")


def cached(codes: DrillCodes, key: object, make: Callable[[], Any]) -> Any:
    """`make()` once per (code set, key)."""
    try:
        store = _CACHE.setdefault(codes, {})
    except TypeError:  # a code set that cannot be weakly referenced: no caching
        return make()
    if key not in store:
        store[key] = make()
    return store[key]


def duplicate_titles(codes: DrillCodes, system: CodeSystem) -> frozenset[str]:
    """Titles that more than one code of `system` carries: such titles never make a key."""
    def make() -> frozenset[str]:
        counts = Counter(row.title.casefold() for row in codes.code_rows(system))
        return frozenset(title for title, n in counts.items() if n > 1)
    return cached(codes, ("duplicates", system), make)


def book_index(codes: DrillCodes) -> tuple[tuple[CodeRow, ...], dict[str, int]]:
    """All ICD-10-CM rows in book order, and each code's position (for near neighbours)."""
    def make() -> tuple[tuple[CodeRow, ...], dict[str, int]]:
        rows = codes.code_rows(CodeSystem.ICD10CM)
        return rows, {row.code: i for i, row in enumerate(rows)}
    return cached(codes, "book", make)


def ref_bounds(ref: str) -> tuple[str, str] | None:
    """The (low, high) code prefixes a tabular reference spans: "E10-E13", "S52.-", "A18.32"."""
    text = ref.strip().upper().replace(" ", "").rstrip(".")
    match = _REF_RANGE.match(text)
    if match and not text.endswith(".-"):
        return compact(match.group(1)), compact(match.group(2))
    stem = compact(text.rstrip("-").rstrip("."))
    return (stem, stem) if stem else None


def billable_under(codes: DrillCodes, low: str, high: str) -> tuple[str, ...]:
    """Billable ICD-10-CM codes from `low` to `high` (prefix bounds), in book order."""
    return cached(codes, ("billable", low, high),
                  lambda: tuple(r.code for r in codes.code_rows(CodeSystem.ICD10CM, low, high) if r.billable))


def icd_year(codes: DrillCodes) -> int:
    version = codes.version(CodeSystem.ICD10CM)
    return int(version) if version.isdigit() else 0
