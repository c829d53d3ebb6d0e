"""The words search forgives: clinical abbreviations, and spelling fixed from the index's own words.

Abbreviations live in `data/abbreviations.tsv` (one per line, our own list) so an instructor
can read and extend them without touching code. Misspellings are fixed with `rapidfuzz`
(optimal string alignment: "pnuemonia" is one transposition from "pneumonia") against
the distinct words of the code titles, which the build stores in the `words` table; of
equally close words the one sharing more letters, then the more frequent one wins, so a suggestion is a word coders meet.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "data" / "abbreviations.tsv"
_KEY = re.compile(r"^[a-z0-9]+$")
_TERM = re.compile(r'"[^"]+"|[^\s"]+')
_WORD = re.compile(r"[A-Za-z0-9]+")
SHORTEST_FIXED = 4  # shorter words are too ambiguous to correct ("ra" -> "rx"?)


class AbbreviationError(ValueError):
    """A malformed line in the abbreviations file (FILE:LINE: FIELD: message)."""


def expression(words: str) -> str:
    """An FTS5 expression from the file's notation: `a "b c" | d` -> `("a" AND "b c") OR ("d")`."""
    alternatives = []
    for alternative in words.split(" | "):
        terms = []
        for term in _TERM.findall(alternative):
            tokens = _WORD.findall(term.lower())
            if tokens:
                terms.append(f'"{" ".join(tokens)}"')
        if terms:
            alternatives.append(f"({' AND '.join(terms)})")
    return " OR ".join(alternatives)


def parse_abbreviations(text: str, source: str = "abbreviations.tsv") -> dict[str, str]:
    """abbreviation -> FTS5 expression; a malformed line raises naming file, line and field."""
    found: dict[str, str] = {}
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        key, tab, words = line.partition("\t")
        key = key.strip()
        if not _KEY.match(key):
            raise AbbreviationError(f"{source}:{number}: abbreviation: {key!r} must be lower-case letters and digits")
        if not tab or not expression(words.strip()):
            raise AbbreviationError(f"{source}:{number}: search words: missing for {key!r}")
        if key in found:
            raise AbbreviationError(f"{source}:{number}: abbreviation: {key!r} is listed twice")
        found[key] = expression(words.strip())
    return found


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """The shipped list, read once (it is small: ~350 lines)."""
    return parse_abbreviations(ABBREVIATIONS_FILE.read_text(encoding="utf-8"), ABBREVIATIONS_FILE.name)


def _allowed_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2 if len(word) <= 9 else 3


class Speller:
    """Corrects words that are not in the index to the closest (then most frequent) one that is."""

    def __init__(self, counts: Iterable[tuple[str, int]], extra: Iterable[str] = ()):
        self.counts = dict(counts)
        self.known = frozenset(self.counts) | frozenset(extra)
        self._sorted = sorted(self.counts)
        self._by_length: dict[int, list[str]] = {}
        for word in self._sorted:
            self._by_length.setdefault(len(word), []).append(word)

    def is_known(self, word: str, as_prefix: bool = False) -> bool:
        """A word of the index (or, while typing the last word, the start of one)."""
        if word in self.known or word.isdigit() or len(word) < SHORTEST_FIXED:
            return True
        if as_prefix:
            at = bisect.bisect_left(self._sorted, word)
            return at < len(self._sorted) and self._sorted[at].startswith(word)
        return False

    def correct(self, word: str) -> str | None:
        """The closest index word within a few edits, or None when nothing is close."""
        edits = _allowed_edits(word)
        choices = [w for n in range(len(word) - edits, len(word) + edits + 1) for w in self._by_length.get(n, ())]
        matches = process.extract(word, choices, scorer=OSA.distance, score_cutoff=edits, limit=12)
        if not matches:
            return None
        # Equally few edits: the word sharing more letters in order ("cirosis" -> cirrhosis,
        # not crisis), nudged toward words more titles use ("osteoperosis" -> osteoporosis,
        # not the rare osteopetrosis, though both are one letter away).
        best = min(matches, key=lambda m: (m[1], -(fuzz.ratio(word, m[0]) + 5 * math.log10(1 + self.counts.get(m[0], 0))), m[0]))
        return str(best[0])

    def correct_query(self, query: str) -> str | None:
        """The query with its unknown words corrected; None when nothing changed."""
        words = _WORD.findall(query.lower())
        fixed, changed = [], False
        for index, word in enumerate(words):
            last = index == len(words) - 1 and query.rstrip() == query
            if self.is_known(word, as_prefix=last):
                fixed.append(word)
                continue
            better = self.correct(word)
            changed |= better is not None
            fixed.append(better or word)
        return " ".join(fixed) if changed else None
