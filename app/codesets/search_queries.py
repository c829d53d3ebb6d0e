"""The search half of `SqliteCodeSet`: code prefixes, FTS5 word queries, the user's imports merged in.

Kept apart from look-ups and the tree so each file stays readable; `SqliteCodeSet` inherits
it. What to do when a query finds nothing (abbreviations, spelling, some words only) is
decided in `forgiving.py`; the SQL that answers each step is here.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from app.codesets import forgiving
from app.codesets.forgiving import Found
from app.codesets.search import fts_query, known_words, looks_like_code
from app.codesets.vocabulary import Speller
from app.core.codes import compact
from app.core.codeset import CodeInfo, CodeSystem, SearchHit

CODE_KINDS = "('category', 'subcategory', 'code')"
RANK_LIMIT = 3000  # more matches than this are listed in code order, not ranked (ranking 3,000 takes ~2 ms)
# bm25 (negative: lower is better) scaled up 5 % per character a code is shorter than 8, so
# "diabetes" lists the categories E10, E11 before E10.36 (whose title says "diabet-" twice).
SHORTER_FIRST = "f.score * (1.0 + (8 - length(c.flat)) * 0.05), length(c.flat)"
# Words of the 7th-character meanings that send a search to the 7th-character codes.
SEVENTH_WORDS = frozenset("initial subsequent sequela healing nonunion malunion".split())

def _filters(system: CodeSystem | None, billable_only: bool) -> tuple[str, list[str]]:
    """SQL conditions on `codes c` for a system and billable-only filter of word searches.

    With billable_only, six-character codes that take a 7th character stay in: the search
    lists their (billable) 7th-character codes after them.
    """
    where, params = "", []
    if system is not None:
        where, params = "AND c.system = ?", [system.value]
    if billable_only:
        where += " AND (c.billable = 1 OR (c.requires_seventh = 1 AND c.kind = 'code'))"
    return where, params



class SearchQueries:
    """Search over the code-set database; mixed into `SqliteCodeSet`, which opens `db`."""

    db: sqlite3.Connection
    _user: bool
    _user_fts: bool
    _speller: Speller | None

    if TYPE_CHECKING:
        def lookup(self, code: str, system: CodeSystem | None = None) -> CodeInfo | None: ...
        def _user_row(self, flat: str, system: CodeSystem) -> sqlite3.Row | None: ...

    def search(self, query: str, system: CodeSystem | None = None, billable_only: bool = False,
               limit: int = 25) -> list[SearchHit]:
        """Ranked hits, forgiving misspellings and abbreviations (see `find` for the why)."""
        return self.find(query, system, billable_only, limit).hits

    def find(self, query: str, system: CodeSystem | None = None, billable_only: bool = False,
             limit: int = 25) -> Found:
        """Hits plus what was done to find them: a corrected spelling, or only some words matched."""
        if not isinstance(query, str) or not query.strip():
            return Found([])
        return forgiving.find(self, query, CodeSystem(system) if system is not None else None, billable_only, limit)

    def speller(self) -> Speller:
        """The spelling corrector over the index's words, made on first need (~10 ms)."""
        if self._speller is None:
            self._speller = Speller(self.db.execute("SELECT word, count FROM words"), known_words())
        return self._speller

    def strict_search(self, query: str, system: CodeSystem | None, billable_only: bool, limit: int) -> list[SearchHit]:
        """Exactly what was typed: a code prefix, or every word (or its synonym) in the wording."""
        if looks_like_code(query):
            hits = self._prefix(compact(query), system, billable_only, limit, query.strip().upper())
            return self._with_user(hits, self._user_prefix(compact(query), system, limit), limit, by_score=False)
        first, _, rest = query.strip().partition(" ")
        match = fts_query(rest if rest and looks_like_code(first) else query)
        if not match:
            return []
        try:
            if rest and looks_like_code(first):  # "E11 kidney": words within a code range
                return self._within(compact(first), match, system, billable_only, limit)
            if SEVENTH_WORDS.intersection(query.lower().replace(",", " ").split()):
                hits = self._words(match, system, billable_only, limit, "seventh_fts")
                if hits:  # "fracture of shaft of left radius, initial encounter": the full codes
                    return hits
            whole = fts_query(query.strip() + " ")
            if whole == match or not self._is_index_word(query.split()[-1]):
                return self.word_search(match, system, billable_only, limit)
            # The last word is complete ("colles"): codes with that word lead, codes with
            # longer words starting with it ("collapse", "collision") follow.
            hits = self.word_search(whole, system, billable_only, limit)
            if len(hits) < limit:
                known = {(hit.system, hit.code) for hit in hits}
                hits += [hit for hit in self.word_search(match, system, billable_only, limit)
                         if (hit.system, hit.code) not in known][: limit - len(hits)]
            return hits
        except sqlite3.OperationalError:
            return []  # a query FTS5 cannot parse finds nothing rather than failing

    def _is_index_word(self, word: str) -> bool:
        return self.db.execute("SELECT 1 FROM words WHERE word = ?", (word.lower(),)).fetchone() is not None

    def word_search(self, match: str, system: CodeSystem | None, billable_only: bool, limit: int) -> list[SearchHit]:
        """Codes (shipped and the user's own) whose wording matches an FTS5 expression, best first."""
        hits = self._words(match, system, billable_only, limit)
        return self._with_user(hits, self._user_words(match, system, limit), limit, by_score=True)

    def _words(self, match: str, system: CodeSystem | None, billable_only: bool, limit: int,
               index: str = "codes_fts") -> list[SearchHit]:
        where, params = _filters(system, billable_only)
        common = self.db.execute(f"SELECT count(*) FROM (SELECT 1 FROM {index} WHERE {index} MATCH ? LIMIT ?)",
                                 (match, RANK_LIMIT + 1)).fetchone()[0] > RANK_LIMIT
        columns = "c.system, c.code, c.title, c.billable, {score}, c.requires_seventh AND NOT c.generated, c.kind"
        if common:
            # Ranking tens of thousands of matches ("left", "unspecified") is slow and says
            # little; such queries list their matches in code-book order instead.
            # The index hands out rowids (= codes.id) in order, so the join stops at `limit`.
            sql = (f"SELECT {columns.format(score='0.0')} FROM (SELECT rowid FROM {index} WHERE {index} MATCH ?"
                   f" ORDER BY rowid) f CROSS JOIN codes c ON c.id = f.rowid WHERE 1 {where} LIMIT ?")
        else:
            sql = (f"SELECT {columns.format(score='f.score')} FROM (SELECT rowid, bm25({index}, 10.0, 2.0) AS score"
                   f" FROM {index} WHERE {index} MATCH ?) f JOIN codes c ON c.id = f.rowid WHERE 1 {where}"
                   f" ORDER BY {SHORTER_FIRST} LIMIT ?")
        return self._hits(self.db.execute(sql, (match, *params, limit)).fetchall(), billable_only, limit)[:limit]

    def _within(self, flat: str, match: str, system: CodeSystem | None, billable_only: bool,
                limit: int) -> list[SearchHit]:
        """Codes under a code prefix whose wording matches, in code-book order."""
        where, params = _filters(system, billable_only)
        rows = self.db.execute(
            "SELECT c.system, c.code, c.title, c.billable, 0.0, c.requires_seventh AND NOT c.generated, c.kind FROM codes c"
            f" WHERE c.flat >= ? AND c.flat < ? AND c.kind IN {CODE_KINDS} {where}"
            " AND c.id IN (SELECT rowid FROM codes_fts WHERE codes_fts MATCH ?) ORDER BY c.system, c.sort LIMIT ?",
            (flat, flat + "\x7f", *params, match, limit)).fetchall()
        return self._hits(rows, billable_only, limit)[:limit]

    def _hits(self, rows: list[sqlite3.Row], billable_only: bool, limit: int) -> list[SearchHit]:
        """Hits from rows; a six-character code that takes a 7th character brings its 7th-character codes."""
        hits: list[SearchHit] = []
        seen: set[tuple[str, str]] = set()
        for system_, code, title, billable, score, needs_seventh, kind in rows:
            if len(hits) >= limit:
                break
            if (billable or not billable_only) and (system_, code) not in seen:
                seen.add((system_, code))
                hits.append(SearchHit(CodeSystem(system_), code, title, bool(billable), -float(score)))
            if needs_seventh and kind == "code":
                for child, child_title in self.db.execute(
                        "SELECT code, title FROM codes WHERE system = 'icd10cm' AND parent = ? ORDER BY sort", (code,)):
                    if ("icd10cm", child) not in seen:
                        seen.add(("icd10cm", child))
                        hits.append(SearchHit(CodeSystem.ICD10CM, child, child_title, True, -float(score)))
        return hits

    # -- the user's imported codes in search results ------------------------------------------
    def _user_words(self, match: str, system: CodeSystem | None, limit: int) -> list[SearchHit]:
        if not self._user_fts or system in (CodeSystem.ICD10CM, CodeSystem.ICD10PCS):
            return []
        rows = self.db.execute(
            "SELECT system, flat, title, bm25(user_fts, 10.0, 2.0) FROM user.user_fts WHERE user_fts MATCH ?"
            f" {'AND system = ?' if system else ''} ORDER BY 4 LIMIT ?",
            (match, *([system.value] if system else []), limit)).fetchall()
        return [SearchHit(CodeSystem(r[0]), r[1], r[2], True, -float(r[3])) for r in rows]

    def _user_prefix(self, flat: str, system: CodeSystem | None, limit: int) -> list[SearchHit]:
        if not self._user or system in (CodeSystem.ICD10CM, CodeSystem.ICD10PCS):
            return []
        rows = self.db.execute(
            "SELECT system, code, title FROM user.user_codes WHERE flat >= ? AND flat < ?"
            f" {'AND system = ?' if system else ''} ORDER BY length(flat), flat LIMIT ?",
            (flat, flat + "\x7f", *([system.value] if system else []), limit)).fetchall()
        return [SearchHit(CodeSystem(r[0]), r[1], r[2], True, 1.0) for r in rows]

    def _with_user(self, hits: list[SearchHit], user: list[SearchHit], limit: int, by_score: bool) -> list[SearchHit]:
        """Merge the user's imported codes into the hits; their wording wins over the curated one."""
        if not self._user:
            return hits
        mine = {(hit.system, hit.code): hit for hit in user}
        merged = []
        for hit in hits:
            if hit.system in (CodeSystem.CPT, CodeSystem.HCPCS) and (hit.system, hit.code) not in mine:
                row = self._user_row(hit.code, hit.system)
                if row is not None:
                    mine[(hit.system, hit.code)] = SearchHit(hit.system, hit.code, row["title"], True, hit.score)
            merged.append(mine.pop((hit.system, hit.code), hit))
        merged += mine.values()
        if by_score:
            merged.sort(key=lambda hit: -hit.score)
        else:
            merged.sort(key=lambda hit: (len(compact(hit.code)), compact(hit.code)))
        return merged[:limit]

    def _prefix(self, flat: str, system: CodeSystem | None, billable_only: bool, limit: int,
                typed: str = "") -> list[SearchHit]:
        """Codes starting with `flat`, shortest first; the code exactly as typed ("J1100") leads."""
        kinds = "('modifier')" if flat.startswith("-") else CODE_KINDS
        where, params = [f"c.kind IN {kinds}"], []
        if system is not None:
            where.append("c.system = ?")
            params.append(system.value)
        if billable_only:
            where.append("c.billable = 1")
        rows = self.db.execute(
            "SELECT c.system, c.code, c.title, c.billable FROM codes c"
            f" WHERE c.flat >= ? AND c.flat < ? AND {' AND '.join(where)}"
            " ORDER BY c.code != ?, c.flat != ?, length(c.flat), c.flat LIMIT ?",
            (flat, flat + "\x7f", *params, typed, flat, limit)).fetchall()
        hits = [SearchHit(CodeSystem(r[0]), r[1], r[2], bool(r[3]), 1.0) for r in rows]
        if not hits and (info := self.lookup(flat, system)) is not None and (info.billable or not billable_only):
            hits = [SearchHit(info.system, info.code, info.title, info.billable, 1.0)]
        return hits
