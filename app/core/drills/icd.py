"""ICD-10-CM drills read from the tabular list: find the billable code, 7th character,
billable or header, and where a code lives (chapter and block).
"""

from __future__ import annotations

import random
import re

from app.core.codes import compact
from app.core.codeset import CodeInfo, CodeRow, CodeSystem
from app.core.drills.base import Context, Kind, Scope, choice_item, code_link, spread
from app.core.drills.pools import cached, duplicate_titles, family_index, icd_year
from app.core.models import Item

ICD = CodeSystem.ICD10CM
_SIDES = {"right": "left", "left": "right"}
_SIDE_WORD = re.compile(r"\b(right|left)\b")


def _pool(ctx: Context, scope: Scope, name: str, keep) -> list[str]:  # type: ignore[no-untyped-def]
    return cached(ctx.codes, (name, str(scope)),
                  lambda: [r.code for r in ctx.codes.code_rows(ICD, scope.low, scope.high) if keep(r)])


def _source(code: str, what: str, year: int) -> str:
    return f"{code}: {what}, CDC ICD-10-CM FY{year} tabular list"


def _other_side(title: str) -> str:
    return _SIDE_WORD.sub(lambda m: _SIDES[m.group(1)], title)


# -- find the billable code ---------------------------------------------------------------
def find_billable_pool(ctx: Context, scope: Scope) -> list[str]:
    return _pool(ctx, scope, "find-billable", lambda r: r.billable)


def _family(ctx: Context, row: CodeRow) -> list[tuple[str, CodeRow]]:
    """The key's relatives, each tagged with why a learner might pick it, most tempting first."""
    rows, children = family_index(ctx.codes, ICD, compact(row.code)[:3])
    parent = rows.get(row.parent or "")
    found: list[tuple[str, CodeRow]] = []
    if parent is not None:
        found.append(("header", parent))
        siblings = [rows[c] for c in children.get(parent.code, ()) if c != row.code]
        if parent.requires_seventh and row.generated:  # wrong 7th characters, then the same one on other bases
            found += [("seventh", s) for s in siblings]
            for base in children.get(parent.parent or "", ()):
                cousin = rows.get(full_code(base, compact(row.code)[-1])) if base != parent.code else None
                found += [("relative", cousin)] if cousin is not None else []
        else:
            found += [("relative", s) for s in siblings]
    side = _other_side(row.title)
    return sorted(found, key=lambda pair: 0 if pair[0] == "header" else 1 if pair[1].title == side else
                  2 if "unspecified" in pair[1].title.lower() else 3 if pair[0] == "seventh" else 4)


def _why_wrong(other: CodeRow) -> str:
    if not other.billable:
        return f"{other.code} is a header (“{other.title}”), not billable: it needs more characters."
    return f"{other.code} is “{other.title}”, not the description given."


def find_billable_build(ctx: Context, key: str, rng: random.Random) -> Item | None:
    row = family_index(ctx.codes, ICD, compact(key)[:3])[0].get(key)
    if row is None or not row.billable:
        return None
    if row.title.casefold() in duplicate_titles(ctx.codes, ICD):
        return None  # two codes share this wording: the description would not identify one
    family = [other for _, other in _family(ctx, row) if other.title.casefold() != row.title.casefold()]
    chosen = family[:2] + spread(rng, family[2:], 3)
    wrong = [other.code for other in chosen]
    feedback = {other.code: _why_wrong(other) for other in chosen}
    year = icd_year(ctx.codes)
    stem = f"Which ICD-10-CM code is billable and reports exactly this?\n\n> {row.title}"
    rationale = (f"{code_link(row.code, ICD)} is billable and its tabular title is the description word for word."
                 + (f" Its header {code_link(row.parent, ICD)} is not billable." if row.parent else ""))
    return choice_item("find-billable", key, rng, stem, row.code, wrong, topic="icd10cm", rationale=rationale,
                       source=_source(row.code, "title and code family", year), code_year=year, feedback=feedback)


# -- 7th character ----------------------------------------------------------------------------
def seventh_pool(ctx: Context, scope: Scope) -> list[str]:
    return _pool(ctx, scope, "seventh-character", lambda r: r.generated and r.billable)


def full_code(base: str, char: str) -> str:
    """Base code + 7th character, X placeholders filling the gap: ("S01.01", "A") -> "S01.01XA"."""
    flat = compact(base).ljust(6, "X") + char
    return f"{flat[:3]}.{flat[3:]}"


def seventh_build(ctx: Context, key: str, rng: random.Random) -> Item | None:
    rows = family_index(ctx.codes, ICD, "")[0]
    info = rows.get(key)
    base = rows.get(info.parent or "") if info else None
    if info is None or base is None or not info.billable or not info.generated or not base.requires_seventh:
        return None
    owner = base.seventh_owner or info.seventh_owner
    table = {s.char: s.meaning for s in ctx.codes.seventh_tables().get(owner, ())}
    char = compact(key)[-1]
    meanings = [m.casefold() for m in table.values()]
    if full_code(base.code, char) != key or char not in table or len(set(meanings)) != len(meanings):
        return None
    others = spread(rng, [c for c in table if c != char], 2)
    wrong = [full_code(base.code, c) for c in others]
    flat = compact(base.code)
    # The placeholder trap (the character typed without its X), or the header without a 7th character.
    wrong.insert(0, f"{flat[:3]}.{flat[3:]}{char}" if len(flat) < 6 else base.code)
    year = icd_year(ctx.codes)
    stem = (f"The condition is coded from **{base.code}** “{base.title}”, and the 7th character must say: "
            f"**{table[char]}**. Which is the complete code?")
    rationale = (f"The 7th-character table in force for {code_link(base.code, ICD)} is the one at "
                 f"{code_link(owner, ICD)}; **{char}** is “{table[char]}”."
                 + (" The code has fewer than six characters, so X fills the gap before the 7th character."
                    if len(flat) < 6 else "")
                 + f" The complete code is {code_link(info.code, ICD)}.")
    return choice_item("seventh-character", key, rng, stem, info.code, wrong, topic="icd10cm",
                       rationale=rationale, source=_source(base.code, f"7th-character table at {owner}", year),
                       code_year=year)


# -- billable or header ----------------------------------------------------------------------
BILLABLE = "Billable as it stands"
NEEDS_MORE = "Not billable: it is a header; a more specific code below it must be used"
NEEDS_SEVENTH = "Not billable: it needs a 7th character"
NEEDS_PLACEHOLDER = "Not billable: it needs placeholder X and a 7th character"
STATEMENTS = (BILLABLE, NEEDS_MORE, NEEDS_SEVENTH, NEEDS_PLACEHOLDER)


def billable_pool(ctx: Context, scope: Scope) -> list[str]:
    return _pool(ctx, scope, "billable", lambda r: not r.generated)


def billable_answer(info: CodeInfo) -> str | None:
    """What the data says the code lacks (None when the data does not say clearly)."""
    if info.billable:
        return BILLABLE
    if info.requires_seventh:
        return NEEDS_PLACEHOLDER if len(compact(info.code)) < 6 else NEEDS_SEVENTH
    return NEEDS_MORE if info.children else None


def billable_build(ctx: Context, key: str, rng: random.Random) -> Item | None:
    rows, children = family_index(ctx.codes, ICD, "")
    row = rows.get(key)
    if row is None:
        return None
    info = CodeInfo(ICD, row.code, row.title, row.billable, children=children.get(row.code, ()),
                    requires_seventh=row.requires_seventh)
    right = billable_answer(info)
    if right is None:
        return None
    year = icd_year(ctx.codes)
    example = f" (for example {code_link(info.children[0], ICD)})" if info.children else ""
    why = {BILLABLE: "it has no subdivisions and is reportable as it stands",
           NEEDS_MORE: f"it has subdivisions{example}; only the most specific codes are billable",
           NEEDS_SEVENTH: f"its category takes a 7th character{example}",
           NEEDS_PLACEHOLDER: f"it has fewer than six characters and takes a 7th character, so X fills the gap{example}"}
    stem = f"Is **{info.code}** “{info.title}” billable? If not, what does it lack?"
    item = choice_item("billable", key, rng, stem, right, [s for s in STATEMENTS if s != right], topic="icd10cm",
                       rationale=f"{code_link(info.code, ICD)}: {why[right]}.",
                       source=_source(info.code, "billable flag and 7th-character rule", year), code_year=year)
    if item is None:
        return None
    order = {text: i for i, text in enumerate(STATEMENTS)}  # statements keep their logical order
    return type(item)(meta=item.meta, stem=item.stem, shuffle=False,
                      options=tuple(sorted(item.options, key=lambda o: order[o.text])))


# -- where does it live --------------------------------------------------------------------
_KEY_PREFIX = re.compile(r"^[0-9A-Z-]+:\s*")
_RANGE_SUFFIX = re.compile(r"\s*\([A-Z][0-9A-Z]{2}(?:-[A-Z][0-9A-Z]{2})?\)\s*$")


def plain_section(title: str) -> str:
    """A chapter or block title without its range, which would give the answer away."""
    return _RANGE_SUFFIX.sub("", _KEY_PREFIX.sub("", title))


def where_pool(ctx: Context, scope: Scope) -> list[str]:
    codes = _pool(ctx, scope, "where", lambda r: r.billable and not r.generated)
    return cached(ctx.codes, ("where-keys", str(scope)),
                  lambda: [f"{code}:{level}" for code in codes for level in ("chapter", "block")])


def where_build(ctx: Context, key: str, rng: random.Random) -> Item | None:
    code, _, level = key.rpartition(":")
    info = ctx.codes.lookup(code, ICD)
    if info is None or info.code != code or level not in ("chapter", "block"):
        return None
    sections = [s for s in ctx.codes.sections(ICD) if s.kind == level]
    own_key = getattr(info, level).split(":")[0].strip()
    holder = next((s for s in sections if s.key == own_key), None) if own_key else None
    if holder is None or not (holder.low <= info.category <= holder.high):
        return None
    holds = lambda s: s.low <= info.category <= s.high  # noqa: E731  (nested blocks hold it too)
    chapter = next((s for s in ctx.codes.sections(ICD) if s.kind == "chapter" and holds(s)), None)
    if level == "block" and chapter is not None:
        candidates = [s for s in sections if chapter.low <= s.low and s.high <= chapter.high and not holds(s)]
    else:
        candidates = [s for s in sections if not holds(s)]
    place = {s.key: i for i, s in enumerate(sections)}
    near = sorted(candidates, key=lambda s: abs(place[s.key] - place[holder.key]))[:6]
    wrong = [plain_section(s.title) for s in spread(rng, near, 3)]
    label = "chapter" if level == "chapter" else "block (the range of categories)"
    stem = f"In which {label} of the ICD-10-CM tabular list is **{info.code}** “{info.title}”?"
    year = icd_year(ctx.codes)
    rationale = (f"{code_link(info.code, ICD)} is in category {info.category}, which falls in "
                 f"{level} {holder.key}: {plain_section(holder.title)} ({holder.low}-{holder.high}).")
    return choice_item("where", key, rng, stem, plain_section(holder.title), wrong, topic="icd10cm",
                       rationale=rationale, source=_source(info.code, f"{level} {holder.key}", year), code_year=year)


KINDS = (
    Kind("find-billable", "Find the billable code", ICD, find_billable_pool, find_billable_build),
    Kind("seventh-character", "7th character", ICD, seventh_pool, seventh_build),
    Kind("billable", "Billable or header", ICD, billable_pool, billable_build),
    Kind("where", "Where does it live (chapter, block)", ICD, where_pool, where_build),
)
