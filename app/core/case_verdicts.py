"""Why a learner's code differs from the key: one verdict and one sentence per code.

`classify` walks the verdicts in their order of precedence (docs/scoring.md) and stops
at the first that fits. `pair_findings` looks at two learner codes together (Excludes1,
"code first"). Every sentence names the convention or note it rests on, because the
point of a tutor is the explanation, not the red mark.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from weakref import WeakKeyDictionary

from app.core.codes import ref_covers
from app.core.codeset import CodeInfo, CodeNote, CodeSet, CodeSystem, NoteKind
from app.core.models import Finding, KeySection
from app.core.note_rules import applicable, is_poisoning, note_covers
from app.core.responses import cached_compact, cached_shapes

SIDES = frozenset({"right", "left", "bilateral"})
# Words that only say which side: with the body words made singular ("ovaries" -> "ovary").
SIDE_WORDS = SIDES | {"unspecified", "side", "ear", "eye", "dominant", "nondominant", "non", "affecting"}
FILLER = frozenset({"the", "of", "s"})  # "(s)", "the left ..." and "of" say nothing about side
SIDE_PHRASES = {"right": "the right side", "left": "the left side", "bilateral": "both sides",
                "unspecified": "an unspecified side"}


class Lookups:
    """Memoised code-set questions. One instance lives per CodeSet (see `lookups_for`), since
    the code sets are read-only reference data and a session grades the same keys again and
    again; the memo is bounded and simply starts over when full."""

    LIMIT = 50_000

    def __init__(self, codes: CodeSet):
        self.codes = codes
        self._infos: dict[tuple[str, CodeSystem], CodeInfo | None] = {}
        self._notes: dict[tuple[str, NoteKind], tuple[CodeNote, ...]] = {}
        self._modifiers: dict[str, str] = {}
        self._pairs: dict[tuple[str, str], str | None] = {}
        self._versions: dict[CodeSystem, str] = {}
        self._applicable: dict[tuple[str, str], tuple[CodeNote, ...]] = {}
        self._pcs_sections: frozenset[str] | None = None

    def version(self, system: CodeSystem) -> str:
        if system not in self._versions:
            self._versions[system] = self.codes.version(system)
        return self._versions[system]

    def info(self, code: str, system: CodeSystem) -> CodeInfo | None:
        key = (code, system)
        if key not in self._infos:
            if len(self._infos) > self.LIMIT:
                self._infos.clear()
            self._infos[key] = self.codes.lookup(code, system)
        return self._infos[key]

    def notes(self, code: str, kind: NoteKind) -> tuple[CodeNote, ...]:
        key = (code, kind)
        if key not in self._notes:
            if len(self._notes) > self.LIMIT:
                self._notes.clear()
            self._notes[key] = self.codes.notes_in_scope(code, CodeSystem.ICD10CM, kind)
        return self._notes[key]

    def code_first(self, code: str) -> tuple[CodeNote, ...]:
        """The "code first" notes in scope that apply to `code` (conditional notes honoured)."""
        key = (code, "applicable")
        if key not in self._applicable:
            if len(self._applicable) > self.LIMIT:
                self._applicable.clear()
            self._applicable[key] = tuple(applicable(self.notes(code, NoteKind.CODE_FIRST), code))
        return self._applicable[key]

    def title(self, code: str, system: CodeSystem) -> str:
        """The code's wording for messages; "" for a CPT code known only by its format."""
        info = self.info(code, system)
        return info.title if info and info.source != "format" else ""

    def has_pcs_section(self, section: str) -> bool:
        """Whether the code set holds ICD-10-PCS data for a section ("0", "B"); assumed when it cannot say."""
        if self._pcs_sections is None:
            finder = getattr(self.codes, "pcs_sections", None)
            self._pcs_sections = frozenset(finder()) if callable(finder) else frozenset("0123456789ABCDFGHX")
        return section.upper() in self._pcs_sections

    def modifier_title(self, modifier: str) -> str:
        """Our own wording of a modifier when the code set offers it (SqliteCodeSet does)."""
        if modifier not in self._modifiers:
            finder = getattr(self.codes, "modifier", None)
            found = finder(modifier) if callable(finder) else None
            self._modifiers[modifier] = f" ({found.title})" if isinstance(found, CodeInfo) else ""
        return self._modifiers[modifier]

    def conflict(self, a: CodeInfo, b: CodeInfo) -> str | None:
        """The Excludes1 sentence for a pair of codes, from either side's notes, or None."""
        key = (a.code, b.code)
        if key not in self._pairs:
            if len(self._pairs) > self.LIMIT:
                self._pairs.clear()
            self._pairs[key] = _excludes(a, b, self) or _excludes(b, a, self)
        return self._pairs[key]


_SHARED: WeakKeyDictionary[object, Lookups] = WeakKeyDictionary()


def lookups_for(codes: CodeSet) -> Lookups:
    """The memo for this code set, kept as long as the code set lives (a fresh one if it
    cannot be weakly referenced)."""
    try:
        found = _SHARED.get(codes)
        if found is None:
            found = _SHARED[codes] = Lookups(codes)
        return found
    except TypeError:
        return Lookups(codes)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    message: str
    related: str = ""  # the key code the verdict compares with


def classify(info: CodeInfo | None, typed: str, section: KeySection, candidates: Sequence[str],
             look: Lookups) -> Verdict:
    """The one verdict of a code that matched no key line. `candidates`: key codes, nearest first."""
    system = section.code_set
    if info is None:
        return _unknown(typed, system, look)
    flat = cached_compact(info.code)
    for key in candidates:
        key_flat = cached_compact(key)
        if len(flat) < len(key_flat) and key_flat.startswith(flat):
            return Verdict("less_specific", _heading_above(info, key, system, look), key)
        if info.requires_seventh and len(key_flat) == 7 and key_flat[:6] == flat.ljust(6, "X"):
            return Verdict("less_specific", _heading_above(info, key, system, look), key)
    if not info.billable:
        return Verdict("not_billable", _not_billable(info, look))
    for rule in section.forbidden:
        if ref_covers(rule.code, info.code):
            reason = _sentence(rule.reason)
            return Verdict("forbidden", f"{info.code} must not be reported here: {reason}", rule.code)
    for test in (_seventh, _laterality, _related):
        for key in candidates:
            found = test(info, key, system, look)
            if found is not None:
                return found
    return Verdict("extra", f"{named(info)} is a valid code, but the record does not call "
                            "for it in this answer: report only what the documentation supports.")


def named(info: CodeInfo) -> str:
    """"E11.9 (Type 2 diabetes mellitus without complications)"; a CPT code we hold no wording for
    is shown bare, never with the placeholder title that stands in for the AMA descriptor."""
    title = shown_title(info)
    return f"{info.code} ({title})" if title else info.code


def shown_title(info: CodeInfo | None) -> str:
    return info.title if info is not None and info.source != "format" else ""


def _unknown(typed: str, system: CodeSystem, look: Lookups) -> Verdict:
    """Not in the section's code set: a PCS section we hold no data for, a missing placeholder X, or invalid."""
    flat = cached_compact(typed.split("-")[0])
    if system is CodeSystem.ICD10PCS and flat and not look.has_pcs_section(flat[0]):
        return Verdict("not_checked", f"{typed}: this app has no data for ICD-10-PCS section {flat[0]}; it is not "
                                      "checked (compare it with the key yourself, or import the CMS PCS tables).")
    if system is CodeSystem.ICD10CM:
        fixed = _with_placeholder(flat, look)
        if fixed:
            return Verdict("invalid_code", f"{typed} is missing its placeholder X: a 7th character must sit in the "
                                           f"7th position, so X fills the empty places. The code is {fixed}.", fixed)
    data = f"{system.label} data ({_year(look, system)})"
    return Verdict("invalid_code", f"{typed} is not a valid {system.label} code: it is not in the "
                                   f"{data}, so check it in the index or tabular list.")


def _with_placeholder(flat: str, look: Lookups) -> str:
    """"T3605A" -> "T36.0X5A", "W19XXA" -> "W19.XXXA": the valid code made by adding X placeholders."""
    if not 4 <= len(flat) < 7:
        return ""
    body, seventh, need = flat[:-1], flat[-1], 7 - len(flat)
    for places in combinations(range(3, len(body) + need), need):
        chars, rest = [], iter(body[3:])
        for position in range(3, len(body) + need):
            chars.append("X" if position in places else next(rest, ""))
        candidate = body[:3] + "".join(chars) + seventh
        info = look.info(candidate, CodeSystem.ICD10CM) if len(candidate) == 7 else None
        if info is not None and info.billable:
            return info.code
    return ""


def _heading_above(info: CodeInfo, key: str, system: CodeSystem, look: Lookups) -> str:
    """less_specific: a missing 7th character is named, not only "a heading above"."""
    key_flat = cached_compact(key)
    key_info = look.info(key, system)
    if len(key_flat) == 7 and system is CodeSystem.ICD10CM and key_info is not None and (
            info.requires_seventh or cached_compact(info.code) == key_flat[:6].rstrip("X")):
        meaning = next((c.meaning for c in key_info.seventh_characters if c.char == key_flat[6]), "")
        return (f"{info.code} is missing its 7th character: the key's {key} adds 7th character {key_flat[6]}"
                f"{_gloss(meaning)}, and a code in this category is not complete without one.")
    return (f"{info.code} is a heading above the key's {named(key_info) if key_info else key}; a code is "
            "reported to its full specificity, so use the complete code.")


def other_code_set(written: str, code: str, exclude: Sequence[CodeSystem], look: Lookups,
                   asks: str) -> tuple[str, str, str] | None:
    """(code, sentence, code set) when a code the section does not know is a valid code of another set:
    "G0121 is a HCPCS Level II code; this case asks for ICD-10-CM and CPT codes"."""
    for system in cached_shapes(written):
        if system in exclude:
            continue
        info = look.info(code, system)
        if info is None:
            continue
        if system.label in asks.split(" and "):
            where = (f"it belongs with the {system.label} codes, not in the {exclude[0].label} answer"
                     if exclude else f"it belongs with the {system.label} codes")
        else:
            where = f"this case asks for {asks} codes"
        return info.code, f"{named(info)} is a {system.label} code; {where}.", system.value
    return None


def _year(look: Lookups, system: CodeSystem) -> str:
    version = look.version(system)
    return f"FY{version}" if version.isdigit() else version


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _not_billable(info: CodeInfo, look: Lookups) -> str:
    example = info.children[0] if info.children else ""
    seventh_only = all(len(cached_compact(child)) == 7 for child in info.children)
    if info.requires_seventh and info.seventh_characters and seventh_only:
        char = info.seventh_characters[0]
        sample = f"{example or char.char}: {char.meaning.lower()}"
        return (f"{info.code} needs a 7th character (for example {sample}): a code in this "
                "category is not complete without one.")
    child = look.info(example, info.system) if example else None
    if child is not None and child.billable:  # the example is itself a complete code
        hint = f", such as {named(child)}"
    else:
        hint = f", such as a code under {example}" if example else ""
    return (f"{named(info)} is a heading, not a billable code: ICD-10-CM codes are "
            f"reported to the highest number of characters available{hint}.")


def _seventh(info: CodeInfo, key: str, system: CodeSystem, look: Lookups) -> Verdict | None:
    flat, key_flat = cached_compact(info.code), cached_compact(key)
    if system is not CodeSystem.ICD10CM or len(flat) != 7 or len(key_flat) != 7 or flat[:6] != key_flat[:6]:
        return None
    meanings = {item.char: item.meaning for item in info.seventh_characters}
    theirs = meanings.get(flat[6], "")
    wanted = meanings.get(key_flat[6], "")
    return Verdict("wrong_seventh_character",
                   f"{info.code} has 7th character {flat[6]}{_gloss(theirs)}, but the record describes "
                   f"the encounter that takes 7th character {key_flat[6]}{_gloss(wanted)}, "
                   f"which gives {key}.", key)


def _gloss(meaning: str) -> str:
    return f" ({meaning.lower()})" if meaning else ""


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """"ovaries" -> "ovary", "limbs" -> "limb": titles name one side in the singular, both in the plural."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def _words(title: str) -> Counter[str]:
    return Counter(singular(word) for word in re.findall(r"[a-z0-9]+", title.lower()) if word not in FILLER)


def _laterality(info: CodeInfo, key: str, system: CodeSystem, look: Lookups) -> Verdict | None:
    """Sibling titles that differ by meaning only in side: "left ovary" / "bilateral ovaries",
    "right eye" / "bilateral", "affecting left dominant side" / "bilateral" (Guidelines I.B.13)."""
    flat, key_flat = cached_compact(info.code), cached_compact(key)
    if len(flat) != len(key_flat) or flat[:3] != key_flat[:3]:
        return None
    key_title = look.title(key, system)
    theirs, wanted = _words(info.title), _words(key_title)
    diff = (theirs - wanted) + (wanted - theirs)
    if not diff or not set(diff) & SIDES:
        return None
    rest = set(diff) - SIDE_WORDS
    if rest and not _body_word_left_out(rest, theirs, wanted):
        return None
    key_side = _side(wanted - theirs)
    return Verdict("wrong_laterality",
                   f"{info.code} codes {_side(theirs - wanted)}, but the record documents {key_side}: "
                   f"laterality is part of the code ({key}: {key_title}).", key)


def _body_word_left_out(rest: set[str], theirs: Counter[str], wanted: Counter[str]) -> bool:
    """"Thyroid orbitopathy, bilateral" / "..., right orbit": one body word, only in the one-side title."""
    if len(rest) != 1:
        return False
    word = next(iter(rest))
    bilateral, one_side = (theirs, wanted) if "bilateral" in theirs else (wanted, theirs)
    return "bilateral" in bilateral and word in one_side and word not in bilateral


def _side(words: Counter[str]) -> str:
    for word, phrase in SIDE_PHRASES.items():
        if word in words:
            return phrase
    return "no side"


def _related(info: CodeInfo, key: str, system: CodeSystem, look: Lookups) -> Verdict | None:
    flat, key_flat = cached_compact(info.code), cached_compact(key)
    if system is CodeSystem.ICD10CM:
        same, where = flat[:3] == key_flat[:3], f"category {key_flat[:3]}"
    elif system is CodeSystem.ICD10PCS:
        same = flat[:3] == key_flat[:3]
        where = f"the same section, body system and root operation ({key_flat[:3]})"
    else:
        key_info = look.info(key, system)
        block = key_info.block if key_info else ""
        same, where = (bool(block) and info.block == block), f"the same group ({block})"
    if not same:
        return None
    key_info = look.info(key, system)
    wanted = named(key_info) if key_info else key
    return Verdict("related_code", f"{info.code} is in {where}, as is the key's {key}, but the record "
                                   f"supports {wanted} rather than {named(info)}.", key)


def pair_findings(infos: Sequence[tuple[int, CodeInfo]], section: str, look: Lookups) -> list[Finding]:
    """Excludes1 conflicts and "code first" order between the learner's ICD-10-CM codes."""
    found: list[Finding] = []
    for first, (index_a, a) in enumerate(infos):
        for index_b, b in infos[first + 1:]:
            if a.code == b.code:
                continue
            conflict = look.conflict(a, b)
            if conflict is not None:
                found.append(Finding("excludes1_conflict", b.code, conflict, section, index_b, None, a.code))
        for index_b, b in infos[first + 1:]:
            message = _order_problem(a, b, look)
            if message is not None:
                found.append(Finding("sequencing_rule", a.code, message, section, index_a, None, b.code))
                break
    return found


def _order_problem(a: CodeInfo, b: CodeInfo, look: Lookups) -> str | None:
    """Why `b` must come before `a` (a is listed first), or None.

    A "code first" note of `a` that applies to it and names `b`; or `b` is a poisoning
    (T36-T50, 6th character 1-4) and `a` one of the manifestations that the T36-T50 note
    lists "for adverse effects": for a poisoning the order is the reverse (I.C.19.e.5.b).
    """
    note = next((n for n in look.code_first(a.code) if note_covers(n, b.code)), None)
    if note is not None:
        return (f"{a.code} is listed before {b.code}, but a 'code first' note at {note.owner or a.code} says "
                f"{_short(note.text)} is sequenced first, so {b.code} goes before {a.code}.")
    if is_poisoning(b.code) and any(note_covers(n, a.code) for n in look.notes(b.code, NoteKind.CODE_FIRST)):
        return (f"{a.code} is listed before {b.code}, but {b.code} is a poisoning: the poisoning code is "
                f"sequenced first and the manifestation {a.code} follows it (Guidelines I.C.19.e.5.b; the "
                "T36-T50 'code first' note applies only to adverse effects).")
    return None


def _excludes(a: CodeInfo, b: CodeInfo, look: Lookups) -> str | None:
    note = next((n for n in look.notes(a.code, NoteKind.EXCLUDES1) if note_covers(n, b.code)), None)
    if note is None:
        return None
    return (f"{a.code} and {b.code} cannot be reported together: an Excludes1 note at {note.owner or a.code} "
            f"excludes {_short(note.text)}, so the two are never coded together.")


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split()).rstrip(":;,. ")
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."
