"""Drills generated from the code data: unlimited practice items whose keys are read from the data.

`generate(codes, kind, seed, count, scope)` returns ordinary `Item`s for the existing scorer;
the same arguments give the same items. `rebuild(item_id, codes)` gives back one item from its
stable id (`drill:<kind>:<source>`), so review can bring it back later. The kinds, their data
and their quality rules are described in docs/drills.md.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from app.core.codeset import DrillCodes
from app.core.drills import icd, lists, notes, pcs
from app.core.drills.base import BANK_ID, Context, DrillError, Kind, Scope, item_id, split_id
from app.core.glossary import GlossaryEntry
from app.core.models import Item

MIXED = "mixed"
KINDS: dict[str, Kind] = {kind.name: kind for kind in (*icd.KINDS, *notes.KINDS, *pcs.KINDS, *lists.KINDS)}
MAX_COUNT = 1000
_TRIES_PER_ITEM = 30


def kind_labels() -> list[tuple[str, str]]:
    """(name, label) of every kind, mixed first: what the practice page and the CLI offer."""
    return [(MIXED, "Mixed (all kinds)")] + [(k.name, k.label) for k in KINDS.values()]


def generate(codes: DrillCodes, kind: str, seed: int, count: int, scope: str = "",
             glossary: Sequence[GlossaryEntry] = ()) -> list[Item]:
    """`count` items of `kind` (or "mixed") drawn with `seed`, limited to the code range `scope`.

    Fewer items come back when the range holds fewer fair sources. Raises DrillError for an
    unknown kind, a malformed range, or a range that holds no source for the kind(s).
    """
    if kind != MIXED and kind not in KINDS:
        raise DrillError(f"unknown drill kind {kind!r}; choose one of: {', '.join([MIXED, *KINDS])}")
    if not 1 <= count <= MAX_COUNT:
        raise DrillError(f"the count must be between 1 and {MAX_COUNT}")
    area = Scope.parse(scope)
    ctx = Context(codes, tuple(glossary))
    chosen = list(KINDS.values()) if kind == MIXED else [KINDS[kind]]
    pools = {k.name: k.pool(ctx, area) for k in chosen if area.open or k.system is not None}
    pools = {name: pool for name, pool in pools.items() if pool}
    if not pools:
        where = f" in {area}" if not area.open else ""
        raise DrillError(f"there is nothing to draw {kind} drills from{where}")
    rng = random.Random(f"drill|{kind}|{seed}|{area}")
    names = sorted(pools)
    items: list[Item] = []
    seen: set[str] = set()
    for attempt in range(count * _TRIES_PER_ITEM):
        if len(items) >= count:
            break
        name = rng.choice(names)
        item = _draw(ctx, KINDS[name], pools[name], area, rng, seen)
        if item is not None:
            items.append(item)
    return items


def _draw(ctx: Context, kind: Kind, pool: Sequence[str], area: Scope, rng: random.Random,
          seen: set[str]) -> Item | None:
    source = pool[rng.randrange(len(pool))]
    key = kind.resolve(ctx, source, area, rng) if kind.resolve else source
    if key is None or item_id(kind.name, key) in seen:
        return None
    seen.add(item_id(kind.name, key))
    return kind.build(ctx, key, random.Random(item_id(kind.name, key)))


def rebuild(drill_id: str, codes: DrillCodes, glossary: Sequence[GlossaryEntry] = ()) -> Item | None:
    """The item with this id, as `generate` made it; None when the id is not a drill the data still supports."""
    parts = split_id(drill_id)
    if parts is None or parts[0] not in KINDS:
        return None
    kind, key = parts
    return KINDS[kind].build(Context(codes, tuple(glossary)), key, random.Random(drill_id))


def is_drill(item_id_: str) -> bool:
    return split_id(item_id_) is not None


__all__ = ["BANK_ID", "KINDS", "MIXED", "DrillError", "generate", "is_drill", "kind_labels", "rebuild"]
