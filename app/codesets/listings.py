"""Listings over the code-set database: what the drill generator draws its sources from.

A mixin of `SqliteCodeSet` (the `DrillCodes` protocol in `app.core.codeset`). Each listing
is read once and cached on the instance, since a drill session asks for the same pools
again and again and the database is read-only.
"""

from __future__ import annotations

import json
import re
import sqlite3
from functools import cached_property

from app.core.codes import compact
from app.core.codeset import CodeInfo, CodeNote, CodeRow, CodeSystem, NoteKind, Section, SeventhCharacter

_RANGE_IN_TITLE = re.compile(r"\(([A-Z][0-9A-Z]{2})(?:-([A-Z][0-9A-Z]{2}))?\)\s*$")  # "(E08-E13)", "(B20)", "(Q00-QA0)"


class ListingsMixin:
    """Cached listings; expects `self.db` (sqlite3, row factory Row) and `self.modifier`."""

    db: sqlite3.Connection
    _rows_cache: dict[tuple[str, str, str], tuple[CodeRow, ...]]

    def code_rows(self, system: CodeSystem, low: str = "", high: str = "") -> tuple[CodeRow, ...]:
        system = CodeSystem(system)
        low, high = compact(low), compact(high)
        cache = self.__dict__.setdefault("_rows_cache", {})
        key = (system.value, low, high)
        if key not in cache:
            sql = ("SELECT code, title, billable, generated, requires_seventh, parent, seventh_owner FROM codes"
                   " WHERE system = ?"
                   " AND kind IN ('category', 'subcategory', 'code')")
            params: list[str] = [system.value]
            if low:
                sql += " AND flat >= ?"
                params.append(low)
            if high:
                sql += " AND flat < ?"
                params.append(high + "\x7f")
            rows = self.db.execute(sql + " ORDER BY sort", params).fetchall()
            cache[key] = tuple(CodeRow(r[0], r[1], bool(r[2]), bool(r[3]), bool(r[4]), r[5], r[6]) for r in rows)
        return cache[key]

    def duplicate_titles(self, system: CodeSystem) -> frozenset[str]:
        cache = self.__dict__.setdefault("_duplicates_cache", {})
        system = CodeSystem(system)
        if system not in cache:
            rows = self.db.execute("SELECT lower(title) FROM codes WHERE system = ? AND kind IN ('category',"
                                   " 'subcategory', 'code') GROUP BY lower(title) HAVING count(*) > 1", (system.value,))
            cache[system] = frozenset(r[0].casefold() for r in rows)
        return cache[system]

    def sections(self, system: CodeSystem) -> tuple[Section, ...]:
        if CodeSystem(system) is not CodeSystem.ICD10CM:
            return ()
        return self._icd_sections

    @cached_property
    def _icd_sections(self) -> tuple[Section, ...]:
        found = []
        for kind, code, title in self.db.execute(
                "SELECT kind, code, title FROM codes WHERE system = 'icd10cm' AND kind IN ('chapter', 'block')"
                " ORDER BY sort"):
            match = _RANGE_IN_TITLE.search(title)
            if match:
                found.append(Section(kind, code, title, match.group(1), match.group(2) or match.group(1)))
        return tuple(found)

    def notes_of_kind(self, kind: NoteKind) -> tuple[CodeNote, ...]:
        cache = self.__dict__.setdefault("_notes_cache", {})
        kind = NoteKind(kind)
        if kind not in cache:
            rows = self.db.execute(
                "SELECT n.code, n.text, n.refs FROM notes n JOIN codes c ON c.system = 'icd10cm' AND c.code = n.code"
                " WHERE n.system = 'icd10cm' AND n.kind = ? ORDER BY c.sort, n.seq",
                (kind.value,)).fetchall()
            cache[kind] = tuple(CodeNote(kind, r[1], tuple(json.loads(r[2])), r[0]) for r in rows)
        return cache[kind]

    def modifiers(self, system: CodeSystem) -> tuple[CodeInfo, ...]:
        cache = self.__dict__.setdefault("_modifier_cache", {})
        system = CodeSystem(system)
        if system not in cache:
            rows = self.db.execute("SELECT code FROM codes WHERE system = ? AND kind = 'modifier' ORDER BY sort",
                                   (system.value,)).fetchall()
            infos = (self.modifier(r[0], system) for r in rows)  # type: ignore[attr-defined]
            cache[system] = tuple(info for info in infos if info is not None)
        return cache[system]

    def seventh_tables(self) -> dict[str, tuple[SeventhCharacter, ...]]:
        return self._seventh_tables

    @cached_property
    def _seventh_tables(self) -> dict[str, tuple[SeventhCharacter, ...]]:
        tables: dict[str, list[SeventhCharacter]] = {}
        for owner, char, meaning in self.db.execute("SELECT owner, char, meaning FROM seventh ORDER BY owner, seq"):
            tables.setdefault(owner, []).append(SeventhCharacter(char, meaning))
        return {owner: tuple(chars) for owner, chars in tables.items()}

    def pcs_meanings(self) -> tuple[tuple[str, int, str, str], ...]:
        return self._pcs_meanings

    @cached_property
    def _pcs_meanings(self) -> tuple[tuple[str, int, str, str], ...]:
        rows = self.db.execute("SELECT context, position, value, meaning FROM pcs_value ORDER BY context, position, value")
        return tuple((r[0], int(r[1]), r[2], r[3]) for r in rows)
