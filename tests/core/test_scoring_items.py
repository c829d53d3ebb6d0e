"""Grading the non-case item types: choices, true/false, numbers, matching, short answers."""

from __future__ import annotations

import pytest

from app.core.models import (
    ItemMeta, Matching, MatchPair, MultipleResponse, Numeric, NumericAnswer, Option, ShortAnswer,
    SingleChoice, TrueFalse,
)
from app.core.scoring import grade

META = ItemMeta(id="i", topic="terminology")


def single() -> SingleChoice:
    return SingleChoice(META, "?", (Option("5"), Option("7", True, feedback="Seven."), Option("6", weight=0.5),
                                    Option("9", weight=-0.5)))


def test_single_choice(codeset) -> None:
    right = grade(single(), 1, codeset)
    assert (right.score, right.correct, right.feedback) == (1.0, True, "Seven.")
    assert grade(single(), 0, codeset).score == 0.0
    assert grade(single(), 2, codeset).score == 0.5  # a partial-credit wrong option
    assert grade(single(), 3, codeset).score == 0.0  # a penalty never goes below zero


def options(weighted: bool) -> tuple[Option, ...]:
    if weighted:
        return (Option("a", True, 0.5), Option("b", True, 0.5), Option("c", False, -0.5), Option("d", False, -1.0))
    return (Option("a", True), Option("b", True), Option("c"), Option("d"))


@pytest.mark.parametrize(("weighted", "chosen", "score"), [
    (False, [0, 1], 1.0), (False, [0], 0.5), (False, [0, 2], 0.0), (False, [2, 3], 0.0), (False, [0, 1, 2], 0.5),
    (True, [0, 1], 1.0), (True, [0], 0.5), (True, [0, 1, 2], 0.5), (True, [0, 3], 0.0), (True, [], 0.0),
])
def test_multiple_response_shares_and_weights(codeset, weighted: bool, chosen: list[int], score: float) -> None:
    result = grade(MultipleResponse(META, "?", options(weighted)), chosen, codeset)
    assert result.score == score and result.correct == (score == 1.0)


def test_true_false(codeset) -> None:
    item = TrueFalse(META, "NEC means not elsewhere classifiable.", True, feedback_false="It does.")
    assert grade(item, True, codeset).correct
    wrong = grade(item, False, codeset)
    assert (wrong.score, wrong.feedback) == (0.0, "It does.")
    assert grade(item, "true", codeset).correct


def test_numeric_tolerance_and_weighted_answers(codeset) -> None:
    item = Numeric(META, "?", (NumericAnswer(380, 0.01), NumericAnswer(620, 0, 0.25, "That adds.")), "$")
    assert grade(item, "380", codeset).correct
    assert grade(item, " $380.005 ", codeset).correct
    assert grade(item, "1,000", codeset).score == 0
    partial = grade(item, "620", codeset)
    assert (partial.score, partial.feedback) == (0.25, "That adds.")
    assert grade(item, 380, codeset).correct


def test_matching_gives_credit_per_pair(codeset) -> None:
    item = Matching(META, "?", (MatchPair("-itis", "inflammation"), MatchPair("-ectomy", "removal"),
                                MatchPair("nephr/o", "kidney"), MatchPair("hepat/o", "liver")), ("stone",))
    result = grade(item, {0: "Inflammation", 1: "stone", "2": "kidney"}, codeset)
    assert result.score == 0.5
    assert [f.verdict for f in result.findings] == ["correct", "incorrect", "correct", "missing"]


def test_short_answer_ignores_case_and_spacing(codeset) -> None:
    item = ShortAnswer(META, "?", (Option("not otherwise specified", True, 1.0),
                                   Option("not specified", False, 0.5, "Almost.")))
    assert grade(item, "  Not  Otherwise Specified. ", codeset).correct
    assert grade(item, "not specified", codeset).score == 0.5
    strict = ShortAnswer(META, "?", (Option("NOS", True, 1.0),), case_sensitive=True)
    assert not grade(strict, "nos", codeset).correct


@pytest.mark.parametrize("item", [single(), MultipleResponse(META, "?", options(False)),
                                  TrueFalse(META, "?", True), Numeric(META, "?", (NumericAnswer(1.0),)),
                                  Matching(META, "?", (MatchPair("a", "b"), MatchPair("c", "d"))),
                                  ShortAnswer(META, "?", (Option("x", True, 1.0),))])
@pytest.mark.parametrize("response", [None, "??", -1, 99, True, [None], {"x": object()}, float("nan"), b"1"])
def test_odd_responses_never_raise(codeset, item, response: object) -> None:
    result = grade(item, response, codeset)
    assert 0.0 <= result.score <= result.max_score
    if result.score == 0:
        assert result.findings
