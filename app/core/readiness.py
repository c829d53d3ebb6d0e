"""Readiness: the chance of scoring at least 70 % on a CPC-blueprint form (docs/readiness.md).

A Rasch model: the chance of answering an item of difficulty b right is 1 / (1 + e^-(θ - b)).
Item difficulty comes from instructor statistics (the facility index of `medcode stats items`)
where an item has enough responses, otherwise from the authored difficulty 1/2/3. Ability θ
is estimated separately for each blueprint area by EAP (the posterior mean on a grid, prior
N(0, 1)). The form's score is the sum over areas of binomials; P(pass) integrates over each
area's posterior, and the interval repeats the sum with every area at its posterior 10th and
90th percentile. Pure arithmetic: no Qt, no SQL.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core.topics import CPC_POOLED, CPC_POOLED_ITEMS, TOPICS

MINIMUM_ANSWERED = 150
PASS_FRACTION = 0.70
AUTHORED_DIFFICULTY = {1: -1.0, 2: 0.0, 3: 1.0}  # easy, medium, hard, in logits
MIN_STAT_RESPONSES = 10  # fewer instructor responses than this: use the authored difficulty
GRID = tuple(-4.0 + 0.1 * k for k in range(81))
Z80 = 1.2816  # the 10th/90th percentiles of a normal posterior
POOLED_AREA = "cpc-pooled"


@dataclass(frozen=True)
class Area:
    id: str
    label: str
    topics: tuple[str, ...]
    items: int  # items on a 100-item CPC form


def cpc_blueprint() -> tuple[Area, ...]:
    """The CPC form by area: one area per counted topic, the pooled four share 28 items."""
    areas = [Area(t.id, t.label, (t.id,), t.cpc_items) for t in TOPICS.values() if t.cpc_items]
    areas.append(Area(POOLED_AREA, "ICD-10-CM, HCPCS, guidelines and compliance", CPC_POOLED, CPC_POOLED_ITEMS))
    return tuple(areas)


def area_of(topic: str, blueprint: Sequence[Area]) -> str | None:
    return next((a.id for a in blueprint if topic in a.topics), None)


def item_difficulty(authored: int, facility: float | None = None, responses: int = 0) -> float:
    """Difficulty in logits: from the instructor's facility index (0-100) if it is reliable."""
    if facility is not None and responses >= MIN_STAT_RESPONSES:
        p = min(0.98, max(0.02, facility / 100))
        return math.log((1 - p) / p)
    return AUTHORED_DIFFICULTY.get(authored, 0.0)


def _p(theta: float, b: float) -> float:
    return 1.0 / (1.0 + math.exp(-(theta - b)))


def posterior(responses: Sequence[tuple[float, float]]) -> list[float]:
    """Posterior weights on GRID for (difficulty, score 0..1) responses; prior N(0, 1)."""
    counts = Counter((round(b, 3), round(x, 3)) for b, x in responses)  # identical answers: once, weighted
    logs = []
    for theta in GRID:
        total = -0.5 * theta * theta
        for (b, x), n in counts.items():
            p = _p(theta, b)
            total += n * (x * math.log(p) + (1 - x) * math.log(1 - p))
        logs.append(total)
    top = max(logs)
    weights = [math.exp(v - top) for v in logs]
    norm = sum(weights)
    return [w / norm for w in weights]


def eap(responses: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """EAP ability and posterior standard deviation."""
    weights = posterior(responses)
    mean = sum(t * w for t, w in zip(GRID, weights, strict=True))
    var = sum((t - mean) ** 2 * w for t, w in zip(GRID, weights, strict=True))
    return mean, math.sqrt(var)


@dataclass(frozen=True)
class AreaAbility:
    area: Area
    answered: int
    theta: float
    sd: float
    form_difficulty: float
    p_correct: float  # posterior predictive chance on one of its form items


@dataclass(frozen=True)
class Readiness:
    answered: int
    needed: int  # more answered items before the estimate is shown (0: shown)
    areas: tuple[AreaAbility, ...]
    expected_score: float  # percent
    p_pass: float
    low: float  # 80 % interval of p_pass
    high: float

    @property
    def ready(self) -> bool:
        return self.needed == 0

    def sentence(self) -> str:
        if not self.ready:
            return f"Answer {self.needed} more items and a readiness estimate appears."
        return (f"Estimated chance of scoring 70 % or more on a CPC-style exam: {self.p_pass:.0%} "
                f"(80 % interval {self.low:.0%}–{self.high:.0%}); expected score {self.expected_score:.0f} %.")


def pass_probability(areas: Sequence[tuple[int, float]], pass_fraction: float = PASS_FRACTION) -> float:
    """P(score ≥ pass mark) when area a contributes Binomial(n_a, p_a)."""
    dist = [1.0]
    for n, p in areas:
        for _ in range(n):
            nxt = [0.0] * (len(dist) + 1)
            for k, mass in enumerate(dist):
                nxt[k] += mass * (1 - p)
                nxt[k + 1] += mass * p
            dist = nxt
    total = len(dist) - 1
    need = math.ceil(pass_fraction * total - 1e-9)
    return sum(dist[need:])


def estimate(responses: Mapping[str, Sequence[tuple[float, float]]], blueprint: Sequence[Area],
             form_difficulty: Mapping[str, float], minimum: int = MINIMUM_ANSWERED,
             pass_fraction: float = PASS_FRACTION) -> Readiness:
    """The readiness estimate from each area's (difficulty, score) responses."""
    abilities = []
    for area in blueprint:
        answers = responses.get(area.id, ())
        weights = posterior(answers)
        theta, sd = eap(answers)
        b = form_difficulty.get(area.id, 0.0)
        predictive = sum(w * _p(t, b) for t, w in zip(GRID, weights, strict=True))
        abilities.append(AreaAbility(area, len(answers), theta, sd, b, predictive))
    answered = sum(a.answered for a in abilities)
    total = sum(a.area.items for a in abilities) or 1
    expected = 100 * sum(a.area.items * a.p_correct for a in abilities) / total
    p_pass = pass_probability([(a.area.items, a.p_correct) for a in abilities], pass_fraction)
    low = pass_probability([(a.area.items, _p(a.theta - Z80 * a.sd, a.form_difficulty)) for a in abilities], pass_fraction)
    high = pass_probability([(a.area.items, _p(a.theta + Z80 * a.sd, a.form_difficulty)) for a in abilities], pass_fraction)
    return Readiness(answered, max(0, minimum - answered), tuple(abilities), expected, p_pass,
                     min(low, p_pass), max(high, p_pass))
