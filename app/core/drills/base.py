"""What every drill kind shares: ids, scopes, the choice-item builder and the source record.

An item is a pure function of its id: `drill:<kind>:<key>` names the kind and the source
(a code, a code pair, a table cell, a word part), and the only randomness inside an item
(which distractors, in which order) comes from a `random.Random` seeded with the id. So a
seed only decides which ids a drill draws, and `rebuild(item_id)` gives back the same item
for review months later, as long as the code data has not changed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.core.codes import compact
from app.core.codeset import CodeSystem, DrillCodes
from app.core.glossary import GlossaryEntry
from app.core.models import Item, ItemMeta, Option, SingleChoice

PREFIX = "drill"
BANK_ID = "drills"
_RANGE = re.compile(r"^([0-9A-Z]{1,7})(?:-([0-9A-Z]{1,7}))?$")


class DrillError(ValueError):
    """A drill request that cannot be met (unknown kind, a range with nothing to draw from)."""


@dataclass(frozen=True)
class Scope:
    """A code range that limits the sources: "E08-E13", "S52" or "0DT"; empty for everything."""

    low: str = ""
    high: str = ""

    @classmethod
    def parse(cls, text: str | None) -> Scope:
        """Read "E08-E13", "E08.3-E08.4", "S52" or "" (dots and spaces ignored, any case)."""
        value = (text or "").strip().upper().replace(" ", "").replace(".", "")
        if value in ("", "ALL"):
            return cls()
        match = _RANGE.match(value)
        if not match:
            raise DrillError(f"{text!r} is not a code range: write E08-E13, S52 or 0DT")
        low, high = match.group(1), match.group(2) or match.group(1)
        if high[: len(low)] < low[: len(high)]:
            raise DrillError(f"the range {text!r} runs backwards")
        return cls(low, high)

    @property
    def open(self) -> bool:
        return not self.low

    def covers(self, code: str) -> bool:
        flat = compact(code)
        return self.open or (self.low <= flat[: len(self.low)] and flat[: len(self.high)] <= self.high)

    def __str__(self) -> str:
        return "" if self.open else (self.low if self.low == self.high else f"{self.low}-{self.high}")


@dataclass(frozen=True)
class Context:
    """What a kind's pool and builder may read: the code data and the glossary."""

    codes: DrillCodes
    glossary: Sequence[GlossaryEntry] = ()


@dataclass(frozen=True)
class Kind:
    """One drill kind: its name, what it teaches, whether a code range applies, and its two halves.

    `pool(ctx, scope)` lists candidate keys (sorted, so a seed draws the same ones);
    `build(ctx, key, rng)` turns one key into an item, or None when the data would make an
    unfair item (an ambiguous key, too few distinct distractors). Where a pool entry is a
    source rather than a key (a note: any code under its owner with any code it cites),
    `resolve` draws the concrete key from it.
    """

    name: str
    label: str
    system: CodeSystem | None  # the code set a range applies to; None: ranges do not apply
    pool: Callable[[Context, Scope], Sequence[str]]
    build: Callable[[Context, str, random.Random], Item | None]
    # Sources that stand for many keys (a note and its reference) pick a concrete key here.
    resolve: Callable[[Context, str, Scope, random.Random], str | None] | None = None


def item_id(kind: str, key: str) -> str:
    return f"{PREFIX}:{kind}:{key}"


def split_id(value: str) -> tuple[str, str] | None:
    """(kind, key) of a drill id, or None when it is not one."""
    prefix, _, rest = value.partition(":")
    kind, _, key = rest.partition(":")
    return (kind, key) if prefix == PREFIX and kind and key else None


def code_link(code: str, system: CodeSystem) -> str:
    """A Markdown link that opens the code in the app's code browser."""
    return f"[{code}](code:{system.value}/{code})"


def choice_item(kind: str, key: str, rng: random.Random, stem: str, right: str, wrong: Sequence[str],
                *, topic: str, rationale: str, source: str, code_year: int = 0,
                feedback: dict[str, str] | None = None) -> SingleChoice | None:
    """A single-choice item with the key and up to three distractors, in a seeded order.

    Returns None unless there are at least two distractors, all distinct from each other
    and from the key once case and spacing are ignored: an unfair item is never made.
    """
    seen, options = {_norm(right)}, [Option(right, correct=True, feedback=(feedback or {}).get(right, ""))]
    for text in wrong:
        if _norm(text) not in seen and len(options) < 4:
            seen.add(_norm(text))
            options.append(Option(text, feedback=(feedback or {}).get(text, "")))
    if len(options) < 3:
        return None
    rng.shuffle(options)
    meta = ItemMeta(id=item_id(kind, key), topic=topic, difficulty=2, tags=("drill", kind), rationale=rationale,
                    code_year=code_year, author="MedCode Tutor drill generator", source_note=source,
                    title=f"{kind} {key}", bank=BANK_ID)
    return SingleChoice(meta=meta, stem=stem, options=tuple(options), shuffle=False)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def spread(rng: random.Random, values: Sequence[str], count: int) -> list[str]:
    """Up to `count` values in a seeded random order (all of them when there are fewer)."""
    return rng.sample(list(values), max(0, min(count, len(values))))
