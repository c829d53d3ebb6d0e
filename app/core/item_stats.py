"""Classical item analysis over learner result exports (docs/instructors.md, "Statistics").

Rules, chosen so that an instructor can redo every figure by hand:

- Each learner counts once per item: their FIRST attempt. Later attempts come after the
  learner has seen the answer and rationale, so they measure memory, not the item.
- Facility index: the mean of the first-attempt scores as a share of the item's maximum,
  0-100 %. High means easy.
- Discrimination index: the Pearson correlation, across learners who answered the item,
  between their score fraction on this item and their mean score fraction on all their
  OTHER items (the "corrected item-total" correlation Moodle also reports), -1..1. It is
  undefined (None) with fewer than 3 learners or when either side has no variance.
- Option counts: how many first attempts chose each option (choice and true/false items).
- Flags: fewer than 10 responses; negative discrimination; a wrong option nobody chose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import sqrt

from app.core.results import ItemInfo, LearnerResults, ResultAttempt

MIN_RESPONSES = 10


@dataclass(frozen=True)
class ItemStatistics:
    key: str
    title: str
    type: str
    responses: int
    facility: float  # 0..100
    discrimination: float | None
    options: tuple[tuple[str, int, bool], ...]  # (option text, times chosen, is right)
    flags: tuple[str, ...]


def first_attempts(results: LearnerResults) -> dict[str, ResultAttempt]:
    """Each item's earliest attempt for one learner (ISO timestamps sort in time order)."""
    first: dict[str, ResultAttempt] = {}
    for attempt in sorted(results.attempts, key=lambda a: a.answered_at):
        first.setdefault(attempt.item, attempt)
    return first


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 3 or len(xs) != len(ys):
        return None
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x == 0 or var_y == 0:
        return None
    return cov / sqrt(var_x * var_y)


def item_statistics(exports: Iterable[LearnerResults]) -> list[ItemStatistics]:
    """Statistics for every item answered in any export, ordered by item key."""
    learners = [first_attempts(results) for results in exports]
    infos: dict[str, ItemInfo] = {}
    for results in exports:
        infos.update(results.items)
    return [_one_item(key, infos[key], learners) for key in sorted(infos)
            if any(key in firsts for firsts in learners)]


def _rest_fraction(firsts: dict[str, ResultAttempt], key: str) -> float | None:
    others = [a.fraction for k, a in firsts.items() if k != key]
    return sum(others) / len(others) if others else None


def _one_item(key: str, info: ItemInfo, learners: list[dict[str, ResultAttempt]]) -> ItemStatistics:
    answered = [firsts for firsts in learners if key in firsts]
    fractions = [firsts[key].fraction for firsts in answered]
    facility = 100.0 * sum(fractions) / len(fractions)
    discrimination = None  # needs 3 learners (pearson): skip the rest-of-test sums, O(items) each
    if len(answered) >= 3:
        pairs = [(firsts[key].fraction, rest) for firsts in answered
                 if (rest := _rest_fraction(firsts, key)) is not None]
        discrimination = pearson([p[0] for p in pairs], [p[1] for p in pairs])
    counts = [0] * len(info.options)
    for firsts in answered:
        for index in firsts[key].chosen or ():
            if 0 <= index < len(counts):
                counts[index] += 1
    options = tuple((text, counts[i], i in info.correct) for i, text in enumerate(info.options))
    return ItemStatistics(key, info.title, info.type, len(answered), facility, discrimination,
                          options, _flags(len(answered), discrimination, options))


def _flags(responses: int, discrimination: float | None,
           options: tuple[tuple[str, int, bool], ...]) -> tuple[str, ...]:
    flags = []
    if responses < MIN_RESPONSES:
        flags.append(f"only {responses} response{'s' if responses != 1 else ''} (fewer than {MIN_RESPONSES})")
    if discrimination is not None and discrimination < 0:
        flags.append(f"negative discrimination ({discrimination:.2f})")
    for text, count, right in options:
        if not right and count == 0:
            flags.append(f"distractor never chosen: {text!r}")
    return tuple(flags)
