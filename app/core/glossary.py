"""Glossary entries: medical word parts and the terms built from them.

Pure data for the terminology drills (and, later, the glossary page). The file format and
its loader live in `app.content.glossary`; here is only the shape the rest of the app uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.core.models import SourceRef


class PartKind(StrEnum):
    PREFIX = "prefix"  # written with a trailing hyphen: "brady-"
    ROOT = "root"  # combining form, written with its vowel: "cardi/o"
    SUFFIX = "suffix"  # written with a leading hyphen: "-itis"
    TERM = "term"  # a whole word built from parts: "carditis"
    STRUCTURE = "structure"  # an anatomy word learned as a whole: "diaphysis", "cochlea"


@dataclass(frozen=True)
class GlossaryEntry:
    term: str  # "-itis", "cardi/o", "bradycardia"
    meaning: str  # "inflammation"
    kind: PartKind
    parts: tuple[str, ...] = ()  # for terms: the entries it is built from, in order
    system: str = "general"  # body system, e.g. "cardiovascular"
    source: SourceRef = SourceRef()

    @property
    def is_part(self) -> bool:
        return self.kind in (PartKind.PREFIX, PartKind.ROOT, PartKind.SUFFIX)
