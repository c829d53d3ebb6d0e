"""Searching the glossary: one pure rule shared by the glossary page and its tests.

Every word of the query must appear in the entry's term, meaning or parts (case ignored; the body
system is a column of its own, so "card" does not list every cardiovascular word). Exact term matches come first, then terms that start with the query, then entries whose
meaning is the query ("inflammation" finds -itis first), then the rest in alphabetical order, so
typing "card" lists cardi/o before electrocardiogram.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.glossary import GlossaryEntry


def search_glossary(entries: Iterable[GlossaryEntry], query: str) -> list[GlossaryEntry]:
    words = query.casefold().split()
    listed = list(entries)
    if not words:
        return sorted(listed, key=lambda e: e.term.casefold().strip("-"))
    whole = " ".join(words)

    def haystack(entry: GlossaryEntry) -> str:
        return " ".join((entry.term, entry.meaning, " ".join(entry.parts))).casefold()

    hits = [entry for entry in listed if all(word in haystack(entry) for word in words)]

    def rank(entry: GlossaryEntry) -> tuple[int, str]:
        term, key = entry.term.casefold().strip("-"), whole.strip("-")
        meanings = [m.strip() for m in entry.meaning.casefold().split(",")]
        if term == key:
            tier = 0
        elif term.startswith(key):
            tier = 1
        elif key in meanings:
            tier = 2  # "inflammation" lists -itis before the words that use it
        else:
            tier = 3
        return tier, term

    return sorted(hits, key=rank)
