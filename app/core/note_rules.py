"""Conditional instructional notes: when a tabular-list note applies, and to which codes.

Many "code first", "use additional" and Excludes notes carry a condition, and a grader that
ignores it teaches the opposite of the guidelines. Two kinds matter to sequencing and pairs:

- a condition on the code that *carries* the note: the T36-T50 "code first" note applies
  only "for adverse effects" (a T code whose 6th character is 5). For a poisoning (1-4) the
  poisoning code is sequenced first and the manifestation follows (Guidelines I.C.19.e.5.b);
- a condition on the code a note *names*: "(T36-T65 with fifth or sixth character 1-4)",
  "(E08-E13 with .42)", "(I69. with final characters -91)", "(S06.0X- with seventh
  character S)" cover only the codes that have those characters.

Notes that say "if applicable", "if known", "when specified" or "any ..." only apply when
the record documents the condition; a pair check sees both codes, so for it they hold.
docs/scoring.md lists every conditional form found in the FY2026 tabular data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from app.core.codes import compact, ref_covers
from app.core.codeset import CodeNote

ADVERSE_EFFECT_HEADING = re.compile(r"\bfor adverse effects?\b")
# "if applicable", "if known", "if present", "when specified", "any associated ...": optional notes
OPTIONAL_HEADING = re.compile(r"^\W*(any\b|if\b)|\bif (applicable|known|present|necessary)\b|\bwhen specified\b")
ORDINALS = {"fourth": 3, "4th": 3, "fifth": 4, "5th": 4, "sixth": 5, "6th": 5, "seventh": 6, "7th": 6}
POSITION = re.compile(r"\bwith (?P<which>fifth or sixth|fifth or six|fourth|4th|fifth|5th|sixth|6th|seventh|7th|final)"
                      r"[- ]characters? (?P<values>[0-9A-Z]+(?:\s*-\s*[0-9A-Z])?(?:\s*(?:or|,)\s*[0-9A-Z]+)*)\b")
ENDINGS = re.compile(r"\bwith (?:final characters? )?(?P<endings>[.-][0-9A-Z]+(?:\s*(?:,|or)\s*[.-][0-9A-Z]+)*)")


def intent_character(code: str) -> str:
    """The 6th character of a T36-T65 code (1-4 poisoning, 5 adverse effect, 6 underdosing)."""
    flat = compact(code)
    return flat[5] if len(flat) >= 6 else ""


@lru_cache(maxsize=65536)
def is_adverse_effect(code: str) -> bool:
    """A T36-T50 code for an adverse effect (6th character 5): Guidelines I.C.19.e.5.a."""
    flat = compact(code)
    return "T36" <= flat[:3] <= "T50" and intent_character(flat) == "5"


@lru_cache(maxsize=65536)
def is_poisoning(code: str) -> bool:
    """A T36-T50 poisoning code (6th character 1-4: accidental, intentional, assault, undetermined)."""
    flat = compact(code)
    return "T36" <= flat[:3] <= "T50" and intent_character(flat) in ("1", "2", "3", "4")


def _values(text: str) -> set[str]:
    """"1-4 or 6" -> {1, 2, 3, 4, 6}; "B or C" -> {B, C}; ".6" -> {6}."""
    found: set[str] = set()
    for part in re.split(r"\s*(?:or|,)\s*", text.replace(".", "").strip()):
        span = re.fullmatch(r"([0-9])\s*-\s*([0-9])", part)
        if span:
            found |= {str(n) for n in range(int(span.group(1)), int(span.group(2)) + 1)}
        elif part:
            found.add(part.upper())
    return found


def _position_ok(which: str, values: set[str], flat: str) -> bool:
    which = which.lower()
    if which.startswith("fifth or six"):  # the intent character of T36-T65: the 6th
        return intent_character(flat) in values or (len(flat) == 5 and flat[4] in values)
    if which == "final":
        last = flat[5] if len(flat) == 7 else flat[-1:]
        return last in values
    index = ORDINALS[which]
    if len(values) == 1 and len(next(iter(values))) > 1:  # "fifth to sixth characters 51"
        value = next(iter(values))
        return flat[index:index + len(value)] == value
    return len(flat) > index and flat[index] in values


@lru_cache(maxsize=100_000)
def note_covers(note: CodeNote, code: str) -> bool:
    """Whether a note names `code`, honouring the characters the note's reference requires."""
    if not any(ref_covers(ref, code) for ref in note.refs):
        return False
    flat = compact(code)
    position = POSITION.search(note.text)
    if position is not None:
        return _position_ok(position.group("which"), _values(position.group("values")), flat)
    endings = ENDINGS.search(note.text)
    if endings is not None:
        wanted = [part.strip() for part in re.split(r"\s*(?:,|or)\s*", endings.group("endings"))]
        return any(flat[3:].startswith(end[1:].upper()) if end.startswith(".") else flat.endswith(end[1:].upper())
                   for end in wanted)
    return True


def group_by_owner(notes: Iterable[CodeNote], carrier: str) -> dict[str, list[CodeNote]]:
    """The tabular list prints a note as a heading line plus one line per item: one group per owner."""
    groups: dict[str, list[CodeNote]] = {}
    for note in notes:
        groups.setdefault(note.owner or carrier, []).append(note)
    return groups


def carrier_condition(group: Iterable[CodeNote]) -> str:
    """The condition a note group puts on the code carrying it: "adverse_effect" or ""."""
    return "adverse_effect" if any(ADVERSE_EFFECT_HEADING.search(note.text) for note in group) else ""


def applies_to(group: Iterable[CodeNote], carrier: str) -> bool:
    """Whether a note group applies to the code that carries it (the T36-T50 "for adverse effects")."""
    condition = carrier_condition(group)
    return condition != "adverse_effect" or is_adverse_effect(carrier)


def is_optional(group: Iterable[CodeNote]) -> bool:
    """A note that applies only when the record documents its condition ("if applicable", "any ...")."""
    return any(OPTIONAL_HEADING.search(note.text.strip().lower()) or ADVERSE_EFFECT_HEADING.search(note.text)
               for note in group)


def applicable(notes: Iterable[CodeNote], carrier: str) -> list[CodeNote]:
    """The notes of `notes` whose group applies to `carrier`."""
    return [note for group in group_by_owner(notes, carrier).values() if applies_to(group, carrier)
            for note in group]
