"""Laterality by meaning over the whole FY2026 tabular list (issue 10, point 3; Guidelines I.B.13).

Every pair of sibling codes whose titles differ only in a side word (bilateral versus right or
left), also when the body word is plural on one side ("limb"/"limbs", "ovary"/"ovaries"), must be
graded `wrong_laterality` in both directions, never `related_code`. The pairs are found here from
the titles with a rule of the test's own, not with the scorer's word lists.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from app.core.codeset import CodeSystem
from app.core.models import AnswerKey, CodingCase, ItemMeta, KeyLine, KeySection
from app.core.scoring import grade

SIDE = {"right", "left", "bilateral"}


def _words(title: str) -> list[str]:
    return [word for word in re.findall(r"[a-z]+", title.lower().replace("(s)", "")) if word not in SIDE]


def _same_word(a: str, b: str) -> bool:
    """Equal, or one the English plural of the other (limb/limbs, ovary/ovaries, eyelid/eyelids)."""
    short, long = sorted((a, b), key=len)
    return a == b or long in (short + "s", short + "es", short[:-1] + "ies")


def _differ_only_in_side(one_side: str, both: str) -> bool:
    a, b = _words(one_side), _words(both)
    return len(a) == len(b) and all(_same_word(x, y) for x, y in zip(a, b, strict=True))


def side_pairs(codeset) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    rows = codeset.db.execute("SELECT code, title, parent, length(flat) FROM codes WHERE system = 'icd10cm'"
                              " AND kind IN ('subcategory', 'code') AND billable = 1").fetchall()
    siblings: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    for code, title, parent, size in rows:
        siblings[(parent, size)].append((code, title))
    pairs = []
    for group in siblings.values():
        for both, both_title in group:
            if "bilateral" not in both_title.lower():
                continue
            pairs += [(one, both) for one, title in group if one != both
                      and re.search(r"\b(right|left)\b", title.lower()) and _differ_only_in_side(title, both_title)]
    return pairs


@pytest.mark.slow
def test_every_bilateral_versus_one_side_pair_is_wrong_laterality(codeset) -> None:
    pairs = side_pairs(codeset)
    assert len(pairs) > 500  # FY2026: 586 such pairs, about 200 of them with a plural body word
    wrong = []
    for one, both in pairs:
        for key, answer in ((one, both), (both, one)):
            item = CodingCase(ItemMeta(id="p", topic="icd10cm"), "Code it.", "SYNTHETIC.",
                              AnswerKey((KeySection(CodeSystem.ICD10CM, (KeyLine((key,)),)),)))
            verdict = grade(item, answer, codeset).findings[0].verdict
            if verdict != "wrong_laterality":
                wrong.append((key, answer, verdict))
    assert wrong == [], f"{len(wrong)} of {2 * len(pairs)}: {wrong[:10]}"
