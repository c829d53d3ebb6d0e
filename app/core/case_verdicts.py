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
from weakref import WeakKeyDictionary

from app.core.codes import ref_covers
from app.core.codeset import CodeInfo, CodeNote, CodeSet, CodeSystem, NoteKind
from app.core.models import Finding, KeySection
from app.core.responses import cached_compact

SIDES = frozenset({"right", "left", "bilateral"})
SIDE_WORDS = SIDES | {"unspecified", "side", "sides", "ear", "ears", "eye", "eyes"}
SIDE_PHRASES = {"right": "the right side", "left": "the left side", "bilateral": "both sides",
                "unspecified": "an unspecified side"}
WITH_SUFFIX = re.compile(r"\bwith \.(\w+)\)")


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

    def title(self, code: str, system: CodeSystem) -> str:
        info = self.info(code, system)
        return info.title if info else ""

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


@lru_cache(maxsize=100_000)
def note_covers(note: CodeNote, code: str) -> bool:
    """Whether a note names `code`, honouring "(E08-E13 with .42)": only codes ending that way."""
    if not any(ref_covers(ref, code) for ref in note.refs):
        return False
    suffix = WITH_SUFFIX.search(note.text)
    return suffix is None or cached_compact(code)[3:].startswith(suffix.group(1).upper())


def classify(info: CodeInfo | None, typed: str, section: KeySection, candidates: Sequence[str],
             look: Lookups) -> Verdict:
    """The one verdict of a code that matched no key line. `candidates`: key codes, nearest first."""
    system = section.code_set
    if info is None:
        data = f"{system.label} data ({_year(look, system)})"
        return Verdict("invalid_code", f"{typed} is not a valid {system.label} code: it is not in the "
                                       f"{data}, so check it in the index or tabular list.")
    flat = cached_compact(info.code)
    for key in candidates:
        key_flat = cached_compact(key)
        if len(flat) < len(key_flat) and key_flat.startswith(flat):
            above = f"{info.code} is a heading above the key's {key} ({look.title(key, system)})"
            return Verdict("less_specific", f"{above}; a code is reported to its full specificity, "
                                            "so use the complete code.", key)
    if not info.billable:
        return Verdict("not_billable", _not_billable(info))
    for rule in section.forbidden:
        if ref_covers(rule.code, info.code):
            reason = _sentence(rule.reason)
            return Verdict("forbidden", f"{info.code} must not be reported here: {reason}", rule.code)
    for test in (_seventh, _laterality, _related):
        for key in candidates:
            found = test(info, key, system, look)
            if found is not None:
                return found
    return Verdict("extra", f"{info.code} ({info.title}) is a valid code, but the record does not call "
                            "for it in this answer: report only what the documentation supports.")


def _year(look: Lookups, system: CodeSystem) -> str:
    version = look.version(system)
    return f"FY{version}" if version.isdigit() else version


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _not_billable(info: CodeInfo) -> str:
    example = info.children[0] if info.children else ""
    seventh_only = all(len(cached_compact(child)) == 7 for child in info.children)
    if info.requires_seventh and info.seventh_characters and seventh_only:
        char = info.seventh_characters[0]
        sample = f"{example or char.char}: {char.meaning.lower()}"
        return (f"{info.code} needs a 7th character (for example {sample}): a code in this "
                "category is not complete without one.")
    hint = f", such as a code under {example}" if example else ""
    return (f"{info.code} ({info.title}) is a heading, not a billable code: ICD-10-CM codes are "
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


def _words(title: str) -> Counter[str]:
    return Counter(re.findall(r"[a-z0-9]+", title.lower()))


def _laterality(info: CodeInfo, key: str, system: CodeSystem, look: Lookups) -> Verdict | None:
    flat, key_flat = cached_compact(info.code), cached_compact(key)
    if len(flat) != len(key_flat) or flat[:3] != key_flat[:3]:
        return None
    key_title = look.title(key, system)
    theirs, wanted = _words(info.title), _words(key_title)
    diff = (theirs - wanted) + (wanted - theirs)
    if not diff or not set(diff) <= SIDE_WORDS or not set(diff) & SIDES:
        return None
    key_side = _side(wanted - theirs)
    return Verdict("wrong_laterality",
                   f"{info.code} codes {_side(theirs - wanted)}, but the record documents {key_side}: "
                   f"laterality is part of the code ({key}: {key_title}).", key)


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
    wanted = f"{key} ({look.title(key, system)})"
    return Verdict("related_code", f"{info.code} is in {where}, as is the key's {key}, but the record "
                                   f"supports {wanted} rather than {info.code} ({info.title}).", key)


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
            note = next((n for n in look.notes(a.code, NoteKind.CODE_FIRST) if note_covers(n, b.code)), None)
            if note is not None:
                at = note.owner or a.code
                found.append(Finding(
                    "sequencing_rule", a.code,
                    f"{a.code} is listed before {b.code}, but a 'code first' note at {at} says "
                    f"{_short(note.text)} is sequenced first, so {b.code} goes before {a.code}.",
                    section, index_a, None, b.code))
                break
    return found


def _excludes(a: CodeInfo, b: CodeInfo, look: Lookups) -> str | None:
    note = next((n for n in look.notes(a.code, NoteKind.EXCLUDES1) if note_covers(n, b.code)), None)
    if note is None:
        return None
    return (f"{a.code} and {b.code} cannot be reported together: an Excludes1 note at {note.owner or a.code} "
            f"excludes {_short(note.text)}, so the two are never coded together.")


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split()).rstrip(":;,. ")
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."
