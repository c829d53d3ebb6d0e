"""Readiness: Rasch/EAP per area, P(pass) with an interval, and the worked example in the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.core.readiness import (
    MINIMUM_ANSWERED,
    Area,
    cpc_blueprint,
    eap,
    estimate,
    item_difficulty,
    pass_probability,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "readiness.md"
EXAMPLE = {
    "a": [(0.0, 1.0), (0.0, 1.0), (0.0, 1.0), (0.0, 0.0), (1.0, 1.0)],
    "b": [(-1.0, 0.0), (0.0, 0.0), (0.0, 1.0)],
}


def _doc_figure(name: str) -> object:
    """The figure as printed in the doc, compared to half a unit of its last digit."""
    block = DOC.read_text(encoding="utf-8").split("```")[1]
    text = re.search(rf"{re.escape(name)} = (-?[\d.]+)", block).group(1)
    decimals = len(text.partition(".")[2])
    return pytest.approx(float(text), abs=0.5 * 10 ** -decimals + 1e-9)


def test_the_worked_example_in_docs_readiness_md() -> None:
    blueprint = (Area("a", "Area A", ("a",), 6), Area("b", "Area B", ("b",), 4))
    result = estimate(EXAMPLE, blueprint, {"a": 0.0, "b": 0.5}, minimum=5)
    a, b = result.areas
    for name, value in (("theta_A", a.theta), ("sd_A", a.sd), ("p_A", a.p_correct),
                        ("theta_B", b.theta), ("sd_B", b.sd), ("p_B", b.p_correct),
                        ("expected score", result.expected_score), ("P(pass)", result.p_pass)):
        assert value == _doc_figure(name), name
    interval = re.search(r"interval ([\d.]+) - ([\d.]+)", DOC.read_text(encoding="utf-8").split("```")[1])
    assert (result.low, result.high) == pytest.approx((float(interval.group(1)), float(interval.group(2))), abs=0.0005)
    assert result.expected_score == pytest.approx(100 * (6 * a.p_correct + 4 * b.p_correct) / 10)


def test_difficulty_from_instructor_statistics_or_the_author() -> None:
    assert item_difficulty(2, 80.0, 12) == pytest.approx(-1.386, abs=0.001)  # F = 80 %: easy
    assert item_difficulty(3, 80.0, 4) == 1.0  # too few responses: the authored "hard"
    assert item_difficulty(1) == -1.0 and item_difficulty(2) == 0.0
    assert item_difficulty(2, 100.0, 50) == pytest.approx(-3.89, abs=0.01)  # clamped at 98 %


def test_eap_moves_with_the_answers_and_narrows_with_more() -> None:
    assert eap([]) == pytest.approx((0.0, 1.0), abs=0.01)  # the prior
    few, many = eap([(0.0, 1.0)] * 3), eap([(0.0, 1.0), (0.0, 1.0), (0.0, 0.0)] * 10)
    assert few[0] > 0.5 and 0.3 < many[0] < 0.9 and many[1] < few[1]


def test_pass_probability_is_the_binomial_tail() -> None:
    assert pass_probability([(10, 0.5)]) == pytest.approx(176 / 1024)  # P(X >= 7), X ~ B(10, 1/2)
    assert pass_probability([(5, 1.0), (5, 0.0)]) == 0.0 and pass_probability([(10, 1.0)]) == 1.0


def test_the_cpc_blueprint_is_100_items_and_the_estimate_waits_for_150_answers() -> None:
    blueprint = cpc_blueprint()
    assert sum(a.items for a in blueprint) == 100
    strong = {a.id: [(0.0, 1.0)] * 8 + [(0.0, 0.0)] * 2 for a in blueprint}  # 140 answers
    early = estimate(strong, blueprint, {})
    assert not early.ready and early.needed == MINIMUM_ANSWERED - 140
    assert "Answer 10 more items" in early.sentence()
    more = {a: r + [(0.0, 1.0)] for a, r in strong.items()}
    ready = estimate(more, blueprint, {})
    assert ready.ready and ready.low <= ready.p_pass <= ready.high and ready.p_pass > 0.5
    weak = estimate({a: [(0.0, 0.0)] * 8 + [(0.0, 1.0)] * 3 for a in strong}, blueprint, {})
    assert weak.p_pass < 0.05 < ready.p_pass
