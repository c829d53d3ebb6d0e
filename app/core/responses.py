"""Reading a learner's typed codes: "e11.22; N18.31, 27786-RT-59 J1100 x4".

The scorer must never raise on what a learner types, so parsing never fails: every piece
of text becomes either an `Entry` (something shaped like a code, with its modifiers and
units) or an `Unreadable` token that the scorer reports. Rules (docs/scoring.md):

- codes are separated by commas, semicolons, spaces or new lines; case and the ICD-10-CM
  dot do not matter;
- modifiers are attached with "-": "99213-25", "27786-RT-59" (two letters/digits each);
- units follow the code as "x2" or "*2", attached ("J1100x4") or as the next token
  ("J1100 x4", "J1100 x 4"); 1 to 999;
- words in parentheses after a code ("E11.42 (type 2 DM with polyneuropathy)") are the
  learner's own note: they are skipped, and the code's finding says so;
- a modifier typed after a space ("99213 -25") is read as the code's modifier, with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from app.core.codes import compact, shapes_for
from app.core.codeset import CodeSystem

SEPARATORS = re.compile(r"[,;\s]+")
TOKENS = re.compile(r"\([^)]*\)?|[^,;\s(]+")  # a parenthesised note is one token
LONE_MODIFIER = re.compile(r"^-(?P<modifier>[0-9A-Za-z]{2})$")
UNITS_TAIL = re.compile(r"^(?P<body>.+?)[xX*](?P<units>[0-9]{1,3})$")
UNITS_TOKEN = re.compile(r"^[xX*](?P<units>[0-9]{1,3})?$")
MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
MAX_TEXT = 5_000  # characters read from one text; the rest is reported, not parsed


cached_shapes = lru_cache(maxsize=8192)(shapes_for)  # learners retype the same few codes
cached_compact = lru_cache(maxsize=65536)(compact)  # key codes are compared again and again


@dataclass(frozen=True)
class Entry:
    """One code the learner typed, as written and compacted, with modifiers and units."""

    text: str  # the token as typed (for messages)
    code: str  # compacted: upper case, no dot, no spaces
    written: str = ""  # the code part as typed, dot kept (decides ICD-10-CM vs HCPCS for "J11.00")
    modifiers: tuple[str, ...] = ()
    units: int = 1
    units_given: bool = False
    index: int = 0  # position among all entries of the response (0-based)
    notes: tuple[str, ...] = ()  # how the entry was read, when it was not typed as the format asks


@dataclass(frozen=True)
class Unreadable:
    """A token that is not shaped like any code (or a units mark with no code before it)."""

    text: str
    reason: str


Parsed = Entry | Unreadable


def parse_codes(text: str, start: int = 0) -> list[Parsed]:
    """Entries and unreadable tokens of one text, in the order typed.

    `start` numbers the entries on from an earlier text, so positions stay unique across
    the sections of a list response.
    """
    if len(text) > MAX_TEXT:
        overflow = Unreadable(text[MAX_TEXT:MAX_TEXT + 20] + "...", "text beyond 5,000 characters is not read")
        return [*parse_codes(text[:MAX_TEXT], start), overflow]
    found: list[Parsed] = []
    tokens = TOKENS.findall(text)
    position = count = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if token.startswith("(") or LONE_MODIFIER.match(token):
            problem = _attach_note(found, token)
            if problem is not None:
                found.append(problem)
            continue
        units_mark = UNITS_TOKEN.match(token)
        if units_mark:
            digits = units_mark.group("units")
            if digits is None and position < len(tokens) and tokens[position].isdigit():
                digits = tokens[position]
                position += 1
            problem = _attach_units(found, token, digits)
            if problem is not None:
                found.append(problem)
            continue
        entry = _entry(token, start + count)
        count += isinstance(entry, Entry)
        found.append(entry)
    return found


def _attach_note(found: list[Parsed], token: str) -> Unreadable | None:
    """Words in parentheses, or a modifier after a space, belong to the code just before them."""
    previous = found[-1] if found else None
    lone = LONE_MODIFIER.match(token)
    if not isinstance(previous, Entry):
        reason = ("a modifier follows its code with no space, as in 99213-25" if lone else
                  "words in parentheses are read only as a note after a code")
        return Unreadable(token, reason)
    if lone:
        modifier = lone.group("modifier").upper()
        note = (f"'{previous.text} {token}' was read as {previous.text}{token.upper()}: write a modifier "
                "attached to its code with no space, as claim forms and the exam do")
        found[-1] = replace(previous, text=f"{previous.text}{token.upper()}", modifiers=(*previous.modifiers, modifier),
                            notes=(*previous.notes, note))
        return None
    words = " ".join(token.strip("()").split())
    note = f"the words in parentheses ('{words[:60]}') were read as your note and not graded"
    found[-1] = replace(previous, notes=(*previous.notes, note))
    return None


def _attach_units(found: list[Parsed], token: str, digits: str | None) -> Unreadable | None:
    """A separate "x2" gives units to the code just before it; alone it is unreadable."""
    previous = found[-1] if found else None
    if not isinstance(previous, Entry) or previous.units_given:
        return Unreadable(token, "units (x2 or *2) must follow a code")
    if digits is None or not digits.isdigit() or not 1 <= int(digits) <= 999:
        return Unreadable(token, "units are a whole number from 1 to 999, written x2 or *2")
    written = token if token[1:] else f"{token} {digits}"
    found[-1] = replace(previous, text=f"{previous.text} {written}", units=int(digits), units_given=True)
    return None


def _takes_units(body: str) -> bool:
    """Units go with CPT/HCPCS codes; "J1100x4" is J1100 times 4, not a 7-character PCS code."""
    systems = cached_shapes(body.split("-")[0])
    return bool(systems) and systems[0] in (CodeSystem.CPT, CodeSystem.HCPCS)


def _entry(token: str, index: int) -> Parsed:
    """One token: CODE[-MOD...][xN]."""
    body, units, units_given = token, 1, False
    tail = UNITS_TAIL.match(token)
    if tail and _takes_units(tail.group("body")):
        body, units, units_given = tail.group("body"), int(tail.group("units")), True
        if not 1 <= units <= 999:
            return Unreadable(token, "units are a whole number from 1 to 999")
    parts = body.split("-")
    code = compact(parts[0])
    modifiers = tuple(part.upper() for part in parts[1:])
    if not code or not cached_shapes(code):
        return Unreadable(token, "not written like a code")
    bad = [modifier for modifier in modifiers if not MODIFIER.match(modifier)]
    if bad:
        return Unreadable(token, f"'{bad[0]}' is not a modifier (two letters or digits after a dash)")
    return Entry(token, code, parts[0], modifiers, units, units_given, index)
