"""Drills from the modifier lists (CPT and HCPCS Level II) and from the glossary of word parts.

Neither has code ranges, so a drill limited to a range leaves these kinds out.
"""

from __future__ import annotations

import random

from app.core.codeset import CodeInfo, CodeSystem
from app.core.drills.base import Context, Kind, Scope, choice_item, spread
from app.core.glossary import GlossaryEntry, PartKind
from app.core.models import Item

MODIFIER_SETS = (CodeSystem.CPT, CodeSystem.HCPCS)


# -- modifiers ---------------------------------------------------------------------------------
def modifier_pool(ctx: Context, scope: Scope) -> list[str]:
    if not scope.open:
        return []
    return sorted(f"{system.value}-{info.code}:{variant}" for system in MODIFIER_SETS
                  for info in ctx.codes.modifiers(system) for variant in ("meaning", "situation"))


def _long(info: CodeInfo) -> str:
    return info.extra.get("long") or info.title


def modifier_build(ctx: Context, key: str, rng: random.Random) -> Item | None:
    source, _, variant = key.partition(":")
    system_name, _, code = source.partition("-")
    if system_name not in {s.value for s in MODIFIER_SETS} or variant not in ("meaning", "situation"):
        return None
    system = CodeSystem(system_name)
    listed = ctx.codes.modifiers(system)
    index = next((i for i, info in enumerate(listed) if info.code == code), None)
    if index is None:
        return None
    info = listed[index]
    every = [m for s in MODIFIER_SETS for m in ctx.codes.modifiers(s)]
    text = (lambda m: m.title.casefold()) if variant == "meaning" else (lambda m: _long(m).casefold())
    if sum(text(m) == text(info) for m in every) != 1:
        return None  # another modifier has the same wording: the item would have two right answers
    # Neighbours in the list share a theme (sides, fingers, eyelids...): the plausible mix-ups.
    near = [m for m in listed[max(0, index - 6): index + 7] if m.code != code and text(m) != text(info)]
    others = spread(rng, near, 3)
    source_note = (f"-{code}: {system.label} modifier list (MedCode Tutor's own wording of public facts)")
    rationale = f"**-{code}**: {info.title}. {_long(info)}"
    if variant == "meaning":
        return choice_item("modifier", key, rng, f"What does {system.label} modifier **-{code}** mean?", info.title,
                           [m.title for m in others], topic="hcpcs", rationale=rationale, source=source_note)
    return choice_item("modifier", key, rng, f"Which {system.label} modifier reports this?\n\n> {_long(info)}",
                       f"-{code}", [f"-{m.code}" for m in others], topic="hcpcs", rationale=rationale,
                       source=source_note, feedback={f"-{m.code}": f"-{m.code}: {m.title}" for m in others})


def _glossary_source(entry: GlossaryEntry) -> str:
    name = entry.source.path.replace("\\", "/").rsplit("/", 1)[-1] or "glossary"
    return f"{entry.term}: {name}" + (f" line {entry.source.line}" if entry.source.line else "")


# -- terminology -----------------------------------------------------------------------------
def word_part_pool(ctx: Context, scope: Scope) -> list[str]:
    return sorted({e.term for e in ctx.glossary if e.is_part}) if scope.open else []


_INDEX: dict[int, tuple[tuple[GlossaryEntry, ...], dict[str, list[GlossaryEntry]]]] = {}


def _entries(ctx: Context, term: str) -> list[GlossaryEntry]:
    """Entries spelled `term`, from an index kept per glossary (the same tuple is reused per drill)."""
    glossary = tuple(ctx.glossary)
    known = _INDEX.get(id(ctx.glossary))
    if known is None or known[0] is not ctx.glossary:
        index: dict[str, list[GlossaryEntry]] = {}
        for entry in glossary:
            index.setdefault(entry.term.casefold(), []).append(entry)
        _INDEX.clear()  # one glossary at a time: the app has one file
        _INDEX[id(ctx.glossary)] = known = (ctx.glossary, index)  # type: ignore[assignment]
    return list(known[1].get(term.casefold(), []))


def word_part_build(ctx: Context, key: str, rng: random.Random) -> Item | None:
    found = [e for e in _entries(ctx, key) if e.is_part]
    if len(found) != 1:
        return None  # unknown, or one spelling with two meanings
    entry = found[0]
    same = [e for e in ctx.glossary if e.kind is entry.kind and e.meaning.casefold() != entry.meaning.casefold()]
    close = [e.meaning for e in same if e.system == entry.system]
    wrong = spread(rng, close, 3)
    wrong += spread(rng, [e.meaning for e in same if e.meaning not in wrong], 3 - len(wrong))
    used_in = [e.term for e in ctx.glossary if entry.term in e.parts][:3]
    rationale = f"**{entry.term}** ({entry.kind.value}) means “{entry.meaning}”." + (
        f" It is used in {', '.join(used_in)}." if used_in else "")
    return choice_item("word-part", key, rng, f"What does the {entry.kind.value} **{entry.term}** mean?",
                       entry.meaning, wrong, topic="terminology", rationale=rationale,
                       source=_glossary_source(entry))


def term_pool(ctx: Context, scope: Scope) -> list[str]:
    return sorted({e.term for e in ctx.glossary if e.kind is PartKind.TERM and e.parts}) if scope.open else []


def term_build(ctx: Context, key: str, rng: random.Random) -> Item | None:
    found = [e for e in _entries(ctx, key) if e.kind is PartKind.TERM]
    terms = [e for e in ctx.glossary if e.kind is PartKind.TERM]
    if len(found) != 1 or sum(e.meaning.casefold() == found[0].meaning.casefold() for e in terms) != 1:
        return None  # two terms with one meaning: both would be right
    entry = found[0]
    sharing = [e.term for e in terms if e.term != entry.term and set(e.parts) & set(entry.parts)]
    wrong = spread(rng, sharing, 3)
    wrong += spread(rng, [e.term for e in terms if e.system == entry.system and e.term not in wrong
                          and e.term != entry.term], 3 - len(wrong))
    meanings = {e.term: e.meaning for e in ctx.glossary}
    build = " + ".join(f"{p} ({meanings.get(p, '?')})" for p in entry.parts)
    return choice_item("term-build", key, rng, f"Which term means “{entry.meaning}”?", entry.term, wrong,
                       topic="terminology", rationale=f"{build} = **{entry.term}**.",
                       source=_glossary_source(entry),
                       feedback={t: f"{t}: {meanings.get(t, '')}" for t in wrong})


KINDS = (
    Kind("modifier", "Modifiers", None, modifier_pool, modifier_build),
    Kind("word-part", "Terminology: word parts", None, word_part_pool, word_part_build),
    Kind("term-build", "Terminology: build the term", None, term_pool, term_build),
)
