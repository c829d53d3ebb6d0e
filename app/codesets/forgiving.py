"""Search that forgives: what to try when what was typed finds nothing.

Students type abbreviations ("T2DM"), misspellings ("pnuemonia") and partial official
titles. `find` tries, in order, and stops at the first step that finds codes:

1. for code-shaped input: the code prefix, and when it is no code ("T2DM", "A1C",
   "G6PD"), the same text as words;
2. when a word is in no title, no abbreviation and no synonym list: the query with that
   word corrected to the nearest index word (rapidfuzz), reported back as the "did you
   mean" suggestion. This comes before the strict search because a misspelt last word
   still matches as a prefix of unrelated stems ("migrane" -> "migrans");
3. the strict search: every word (or a synonym / the abbreviation's wording) in a code's
   title or inclusion terms, the last word also as a prefix;
4. codes with any of the words, best first, marked `partial` so the view can say that no
   code has them all.

So a query never comes back empty while any of its words is in the index. The code typed
exactly ("J1100") always leads, in any code set, before codes that merely share its
characters (ICD-10-CM J11.00).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.codesets.search import any_words_query, fts_query, looks_like_code
from app.core.codes import compact
from app.core.codeset import CodeSystem, SearchHit

if TYPE_CHECKING:
    from app.codesets.database import SqliteCodeSet


@dataclass(frozen=True)
class Found:
    """Search hits and how they were found."""

    hits: list[SearchHit] = field(default_factory=list)
    suggestion: str | None = None  # the corrected query these hits are for ("did you mean")
    partial: bool = False  # no code has every word: these have some of them


def find(codes: SqliteCodeSet, query: str, system: CodeSystem | None, billable_only: bool, limit: int) -> Found:
    """The first of the steps in the module docstring that finds anything."""
    if looks_like_code(query):
        hits = codes.strict_search(query, system, billable_only, limit)
        if not hits:
            hits = _words(codes, fts_query(query), system, billable_only, limit)
        return Found(exact_first(hits, query))
    corrected = codes.speller().correct_query(query)
    if corrected:
        hits = codes.strict_search(corrected, system, billable_only, limit)
        if hits:
            return Found(hits, suggestion=corrected)
    hits = codes.strict_search(query, system, billable_only, limit)
    if hits:
        return Found(hits)
    some = _words(codes, any_words_query(corrected or query), system, billable_only, limit)
    return Found(some, suggestion=corrected if some else None, partial=bool(some))


def exact_first(hits: list[SearchHit], query: str) -> list[SearchHit]:
    """The code exactly as typed first, then codes equal to it without punctuation; order kept otherwise."""
    typed = query.strip().upper()
    flat = compact(query)
    return sorted(hits, key=lambda hit: (hit.code.upper() != typed, compact(hit.code) != flat))


def _words(codes: SqliteCodeSet, match: str, system: CodeSystem | None, billable_only: bool,
           limit: int) -> list[SearchHit]:
    if not match:
        return []
    try:
        return codes.word_search(match, system, billable_only, limit)
    except sqlite3.OperationalError:
        return []  # an expression FTS5 cannot parse finds nothing rather than failing
