"""Full-text search over the lessons: pure, so the lessons page and tests share one rule.

A lesson matches when every word of the query appears in its title or text (case and accents
of plain ASCII ignored, Markdown markup ignored). Hits are ranked by how often the words
occur, title matches first; each hit carries a short snippet around the first occurrence so
the list can show why it matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.core.models import Lesson

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # [text](target) -> text
_INLINE = re.compile(r"[`*_]+")  # emphasis and code marks vanish without leaving a space
_BLOCK = re.compile(r"[#>|]+")  # headings, quotes and table bars become spaces
_WORD = re.compile(r"[\w.\-/]+")
SNIPPET_CHARS = 90


@dataclass(frozen=True)
class LessonHit:
    lesson_id: str
    title: str
    module_title: str
    count: int
    snippet: str


def query_terms(query: str) -> tuple[str, ...]:
    """The search words of a query, lower-cased, without duplicates, in order."""
    seen: list[str] = []
    for word in _WORD.findall(query.casefold()):
        word = word.strip(".-/")
        if len(word) >= 2 and word not in seen:
            seen.append(word)
    return tuple(seen)


def plain_text(markdown: str) -> str:
    """Lesson Markdown without its markup characters, for matching and snippets."""
    text = _INLINE.sub("", _LINK.sub(r"\1", markdown))
    return " ".join(_BLOCK.sub(" ", text).split())


def search_lessons(lessons: Iterable[Lesson], query: str, limit: int = 50) -> list[LessonHit]:
    terms = query_terms(query)
    if not terms:
        return []
    hits: list[tuple[int, int, LessonHit]] = []
    for lesson in lessons:
        text = plain_text(lesson.body)
        haystack = f"{lesson.title} {text}".casefold()
        counts = [haystack.count(term) for term in terms]
        if not all(counts):
            continue
        in_title = sum(term in lesson.title.casefold() for term in terms)
        hit = LessonHit(lesson.id, lesson.title, lesson.module_title, sum(counts), _snippet(text, terms[0]))
        hits.append((in_title, sum(counts), hit))
    hits.sort(key=lambda entry: (-entry[0], -entry[1], entry[2].title))
    return [hit for _, _, hit in hits[:limit]]


def _snippet(text: str, term: str) -> str:
    at = text.casefold().find(term)
    if at < 0:
        return text[:SNIPPET_CHARS]
    start = max(0, at - SNIPPET_CHARS // 3)
    piece = text[start:start + SNIPPET_CHARS]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET_CHARS < len(text) else "")
