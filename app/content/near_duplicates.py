"""Near-duplicate items across banks: two stems that say almost the same thing.

An instructor who copies an item and forgets to change it, or two authors who write the same
question, leave a learner answering the same thing twice and skew item statistics. The check
compares what a learner reads (the stem, a coding case's record, a matching item's prompts, the
options of a choice item),
normalised for case, spacing and Markdown, with RapidFuzz's `ratio` (a normalised edit
similarity, 0-100). Pairs at or above the threshold are reported as warnings naming both items;
the same item (same bank id and item id) read from two files is one item, not a duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from app.core.models import Item
from app.core.problems import Problem, Severity

THRESHOLD = 90.0
MIN_CHARS = 30  # shorter texts ("Which code?") say too little to compare
_MARKUP = re.compile(r"[`*_#>|]+")


def reading_text(item: Item) -> str:
    """What a learner reads before answering, normalised for comparison."""
    parts = [str(getattr(item, "stem", ""))]
    parts.append(str(getattr(item, "note", "") or ""))
    parts += [str(getattr(pair, "prompt", "")) for pair in getattr(item, "pairs", ()) or ()]
    parts += [str(getattr(option, "text", "")) for option in getattr(item, "options", ()) or ()]
    text = _MARKUP.sub(" ", " ".join(parts)).casefold()
    return " ".join(text.split())


def near_duplicate_pairs(texts: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """(i, j, score) for every pair i < j whose texts score at least `threshold`."""
    from rapidfuzz import fuzz, process

    indexes = [i for i, text in enumerate(texts) if len(text) >= MIN_CHARS]
    if len(indexes) < 2:
        return []
    chosen = [texts[i] for i in indexes]
    matrix = process.cdist(chosen, chosen, scorer=fuzz.ratio, score_cutoff=threshold, workers=1)
    pairs: list[tuple[int, int, float]] = []
    for a, b in zip(*matrix.nonzero()):
        if a < b:
            pairs.append((indexes[a], indexes[b], float(matrix[a, b])))
    return sorted(pairs)


def near_duplicate_problems(items: Iterable[Item], threshold: float = THRESHOLD) -> list[Problem]:
    """A warning at each item of a near-duplicate pair, naming the other item and its line."""
    listed = list(items)
    problems: list[Problem] = []
    for i, j, score in near_duplicate_pairs([reading_text(item) for item in listed], threshold):
        first, second = listed[i].meta, listed[j].meta
        if (first.bank, first.id) == (second.bank, second.id):
            continue  # the same item of the same bank, read twice (two versions of one bank)
        problems.append(Problem(
            second.source.path, second.source.line, f"{second.id}.stem",
            f"almost the same as {first.id} ({first.source}): {score:.0f} % alike; change one or remove it",
            Severity.WARNING,
        ))
    return problems
