"""Drills read from the tabular list's instructional notes: Excludes1 / Excludes2 pairs, and
"code first" / "use additional code" sequencing.

The pool lists notes (owner and cited reference); `resolve` draws a concrete pair of billable
codes from one; `build` then reads the answer for that pair from the notes again, in both
directions, so the key never depends on how the pair was drawn.
"""

from __future__ import annotations

import random

from app.core.codes import compact, ref_covers
from app.core.codeset import CodeNote, CodeSystem, NoteKind
from app.core.drills.base import Context, Kind, Scope, choice_item, code_link
from app.core.drills.pools import (
    billable_under, book_index, cached, icd_rows, icd_year, ref_bounds, scope_notes, within,
)
from app.core.models import Item
from app.core.note_rules import applicable, note_covers

ICD = CodeSystem.ICD10CM
EX1 = "No: an Excludes1 note applies, so the two are never reported together"
EX2 = "Yes: an Excludes2 note applies, so both may be reported when both are present"
NONE = "Yes: no Excludes note links the two codes"
EXCLUDE_STATEMENTS = (EX1, EX2, NONE)
SEQUENCING = (NoteKind.CODE_FIRST, NoteKind.USE_ADDITIONAL, NoteKind.CODE_ALSO)


def _sources(ctx: Context, scope: Scope, kinds: tuple[NoteKind, ...], name: str) -> list[str]:
    def make() -> list[str]:
        found = []
        for kind in kinds:
            for note in ctx.codes.notes_of_kind(kind):
                if _is_code(note.owner) and scope.covers(note.owner):
                    found += [f"{kind.value}|{note.owner}|{ref}" for ref in note.refs]  # headings cite nothing
        return sorted(set(found))
    return cached(ctx.codes, (name, str(scope)), make)


def _is_code(owner: str) -> bool:
    return len(owner) >= 3 and owner[0].isalpha() and "-" not in owner


def _draw_pair(ctx: Context, source: str, scope: Scope, rng: random.Random) -> tuple[str, str] | None:
    """A billable code under the note's owner (inside the scope) and one the reference covers."""
    _kind, owner, ref = source.split("|")
    bounds = ref_bounds(ref)
    firsts = billable_under(ctx.codes, owner.replace(".", ""), owner.replace(".", ""))
    if not scope.open:
        firsts = [c for c in firsts if scope.covers(c)]
    seconds = billable_under(ctx.codes, *bounds) if bounds else ()
    if not firsts or not seconds:
        return None
    first, second = rng.choice(firsts), rng.choice(seconds)
    return (first, second) if first != second and ref_covers(ref, second) else None


def _covering(ctx: Context, code: str, other: str, kind: NoteKind) -> list[CodeNote]:
    """Notes of `kind` in scope for `code` that apply to it and cite `other`.

    Conditions are honoured as the scorer reads them (app.core.note_rules): a note "for adverse
    effects" applies only to an adverse-effect code, and a reference "with sixth character 1-4"
    covers only codes with those characters.
    """
    flat = compact(other)
    return [n for n in applicable(scope_notes(ctx.codes, code, kind), code)
            if any(within(r, flat) for r in n.refs) and note_covers(n, other)]


def _quote(note: CodeNote) -> str:
    return f"the {note.kind.value.replace('_', ' ').capitalize()} note at {code_link(note.owner, ICD)}: “{note.text}”"


# -- Excludes1 / Excludes2 -----------------------------------------------------------------
def excludes_pool(ctx: Context, scope: Scope) -> list[str]:
    return _sources(ctx, scope, (NoteKind.EXCLUDES1, NoteKind.EXCLUDES2), "excludes")


def excludes_resolve(ctx: Context, source: str, scope: Scope, rng: random.Random) -> str | None:
    pair = _draw_pair(ctx, source, scope, rng)
    if pair is None:
        return None
    first, second = pair
    if rng.random() < 0.25:  # a near neighbour of the excluded code, which the note may not reach
        rows, where = book_index(ctx.codes)
        at = where.get(second, 0)
        near = [r.code for r in rows[max(0, at - 40): at + 40] if r.billable and r.code[:3] != first[:3]]
        second = rng.choice(near) if near else second
    return f"{first}:{second}"


def exclusion(ctx: Context, first: str, second: str) -> tuple[str, list[CodeNote]] | None:
    """What the notes say about reporting the two codes together (None when they disagree)."""
    ex1 = _covering(ctx, first, second, NoteKind.EXCLUDES1) + _covering(ctx, second, first, NoteKind.EXCLUDES1)
    ex2 = _covering(ctx, first, second, NoteKind.EXCLUDES2) + _covering(ctx, second, first, NoteKind.EXCLUDES2)
    if ex1 and ex2:
        return None
    return (EX1, ex1) if ex1 else (EX2, ex2) if ex2 else (NONE, [])


def excludes_build(ctx: Context, key: str, rng: random.Random) -> Item | None:
    first, _, second = key.partition(":")
    rows = icd_rows(ctx.codes)
    a, b = rows.get(first), rows.get(second)
    if a is None or b is None or not (a.billable and b.billable) or a == b:
        return None
    found = exclusion(ctx, first, second)
    if found is None:
        return None
    right, notes = found
    year = icd_year(ctx.codes)
    stem = (f"May these two codes be reported together for the same encounter?\n\n"
            f"- **{a.code}** {a.title}\n- **{b.code}** {b.title}")
    why = ("Read from " + "; ".join(_quote(n) for n in notes[:2]) + ".") if notes else (
        f"Neither {code_link(a.code, ICD)} nor {code_link(b.code, ICD)} (nor the categories, blocks and chapters"
        " above them) has an Excludes1 or Excludes2 note that cites the other.")
    item = choice_item("excludes", key, rng, stem, right, [s for s in EXCLUDE_STATEMENTS if s != right],
                       topic="icd10cm", rationale=why, code_year=year,
                       source=f"{a.code} + {b.code}: " + (f"{notes[0].kind.value} note at {notes[0].owner}" if notes
                                                           else "no Excludes note") + f", CDC ICD-10-CM FY{year}")
    if item is None:
        return None
    order = {text: i for i, text in enumerate(EXCLUDE_STATEMENTS)}
    return type(item)(meta=item.meta, stem=item.stem, shuffle=False,
                      options=tuple(sorted(item.options, key=lambda o: order[o.text])))


# -- code first / use additional -------------------------------------------------------------
def code_first_pool(ctx: Context, scope: Scope) -> list[str]:
    return _sources(ctx, scope, (NoteKind.CODE_FIRST, NoteKind.USE_ADDITIONAL), "code-first")


def code_first_resolve(ctx: Context, source: str, scope: Scope, rng: random.Random) -> str | None:
    pair = _draw_pair(ctx, source, scope, rng)
    return f"{pair[0]}:{pair[1]}" if pair and pair[0][:3] != pair[1][:3] else None


def _cited(ctx: Context, code: str, other: str) -> list[CodeNote]:
    return [n for kind in SEQUENCING for n in _covering(ctx, code, other, kind)]


def _uncited_neighbours(ctx: Context, first: str, second: str, rng: random.Random) -> list[str]:
    """Three billable codes near `second` that no sequencing note of `first` cites.

    Conditions are ignored here on purpose (a conditional note's codes are left out too), so
    no distractor can be a second right answer. Reference bounds compare as ref_covers does.
    """
    book, where = book_index(ctx.codes)
    at = where.get(second, 0)
    near = [r.code for r in book[max(0, at - 60): at + 60] if r.billable and r.code not in (first, second)]
    near = rng.sample(near, min(len(near), 24))  # a random few: three usually pass at once
    bounds = [span for kind in SEQUENCING for n in scope_notes(ctx.codes, first, kind) for r in n.refs
              if (span := ref_bounds(r)) is not None]
    wrong: list[str] = []
    for code in near:
        flat = compact(code)
        if code[:3] != first[:3] and not any(low <= flat[: len(low)] and flat[: len(high)] <= high
                                             for low, high in bounds):
            wrong.append(code)
        if len(wrong) == 3:
            break
    return wrong


def code_first_build(ctx: Context, key: str, rng: random.Random) -> Item | None:
    first, _, second = key.partition(":")
    rows = icd_rows(ctx.codes)
    a, b = rows.get(first), rows.get(second)
    if a is None or b is None or not (a.billable and b.billable):
        return None
    notes = _cited(ctx, first, second)
    kinds = {n.kind for n in notes}
    if len(kinds) != 1 or kinds & {NoteKind.CODE_ALSO}:
        return None  # the pair is cited by no note, or by notes that ask different things
    note = notes[0]
    wrong = _uncited_neighbours(ctx, first, second, rng)
    infos = [rows[c] for c in wrong]
    label = lambda info: f"{info.code} {info.title}"  # noqa: E731
    year = icd_year(ctx.codes)
    if note.kind is NoteKind.CODE_FIRST:
        stem = (f"**{a.code}** “{a.title}” carries a “Code first” instruction. Which of these codes does it "
                f"ask you to list before {a.code}?")
        order = f"List {code_link(b.code, ICD)} first, then {code_link(a.code, ICD)}."
    else:
        stem = (f"**{a.code}** “{a.title}” carries a “Use additional code” instruction. Which of these codes "
                f"is the additional code it asks for?")
        order = f"List {code_link(a.code, ICD)} first and add {code_link(b.code, ICD)}."
    return choice_item("code-first", key, rng, stem, label(b), [label(i) for i in infos], topic="icd10cm",
                       rationale=f"Read from {_quote(note)}. {b.code} falls under that reference. {order}",
                       source=f"{a.code}: {note.kind.value} note at {note.owner}, CDC ICD-10-CM FY{year}",
                       code_year=year)


KINDS = (
    Kind("excludes", "Excludes1 or Excludes2", ICD, excludes_pool, excludes_build, excludes_resolve),
    Kind("code-first", "Code first / use additional", ICD, code_first_pool, code_first_build, code_first_resolve),
)
