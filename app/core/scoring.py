"""`grade(item, response, codes, policy)`: the one scorer for every item type.

Pure: no storage, no Qt, no clock. The session and the CLI call it the same way. It never
raises on a response, since responses come from people (and from stored attempts written
by older versions): anything it cannot read scores 0 with an `unreadable` finding.
Coding cases are graded in `app.core.case_scoring`; the rules are in docs/scoring.md.
"""

from __future__ import annotations

import math
import re

from app.core.case_scoring import grade_case
from app.core.codeset import CodeSet
from app.core.models import (
    CodingCase, Finding, GradeResult, Item, Matching, MultipleResponse, Numeric, ScoringPolicy,
    ShortAnswer, SingleChoice, TrueFalse,
)

NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
TRUE_WORDS = frozenset({"true", "t", "yes", "y"})
FALSE_WORDS = frozenset({"false", "f", "no", "n"})


def grade(item: Item, response: object, codes: CodeSet, policy: ScoringPolicy | None = None) -> GradeResult:
    """Score one response. `policy` is the bank's default; a coding case's own key policy wins."""
    if isinstance(item, CodingCase):
        return grade_case(item, response, codes, policy)
    if isinstance(item, SingleChoice):
        return _single(item, response)
    if isinstance(item, MultipleResponse):
        return _multiple(item, response)
    if isinstance(item, TrueFalse):
        return _true_false(item, response)
    if isinstance(item, Numeric):
        return _numeric(item, response)
    if isinstance(item, Matching):
        return _matching(item, response)
    if isinstance(item, ShortAnswer):
        return _short(item, response)
    return _unreadable(f"items of type {type(item).__name__} cannot be graded")


def _result(score: float, findings: list[Finding], feedback: str = "") -> GradeResult:
    score = round(min(max(score, 0.0), 1.0), 4)
    return GradeResult(score, 1.0, score >= 1.0, tuple(findings), feedback)


def _unreadable(why: str) -> GradeResult:
    return GradeResult(0.0, 1.0, False, (Finding("unreadable", "", f"The answer could not be read: {why}."),))


def _verdict(score: float) -> str:
    return "correct" if score >= 1.0 else ("partial" if score > 0 else "incorrect")


def _index(value: object, size: int) -> int | None:
    """An option index from an int (or digit text, as stored attempts may hold); bools are not indices."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < size:
        return None
    return value


def _single(item: SingleChoice, response: object) -> GradeResult:
    chosen = _index(response, len(item.options))
    if chosen is None:
        return _unreadable(f"choose one of the {len(item.options)} options")
    option = item.options[chosen]
    score = 1.0 if option.correct else max(option.weight, 0.0)
    message = "The chosen option is right." if option.correct else "The chosen option is not the right one."
    return _result(score, [Finding(_verdict(score), str(chosen), message, learner_index=chosen)], option.feedback)


def _multiple(item: MultipleResponse, response: object) -> GradeResult:
    """Weights when the bank gives them; otherwise an equal share per right option, minus one per wrong."""
    if not isinstance(response, (list, tuple, set, frozenset)):
        return _unreadable("a multiple-response answer is a list of option numbers")
    indices = [_index(value, len(item.options)) for value in response]
    chosen = sorted({index for index in indices if index is not None})
    if None in indices:
        return _unreadable("an option number is not one of the item's options")
    weighted = any(option.weight for option in item.options)
    share = 1.0 / max(1, sum(option.correct for option in item.options))
    score, findings, feedback = 0.0, [], []
    for index in chosen:
        option = item.options[index]
        score += option.weight if weighted else (share if option.correct else -share)
        findings.append(Finding("correct" if option.correct else "incorrect", str(index),
                                "This option is right." if option.correct else "This option is not right.",
                                learner_index=index))
        feedback.extend([option.feedback] if option.feedback else [])
    for index, option in enumerate(item.options):
        if option.correct and index not in chosen:
            findings.append(Finding("missing", str(index), "A right option was not chosen.", key_index=index))
    return _result(score, findings, "\n".join(feedback))


def _true_false(item: TrueFalse, response: object) -> GradeResult:
    answer: bool | None = response if isinstance(response, bool) else None
    if isinstance(response, str):
        word = response.strip().lower()
        answer = True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
    if answer is None:
        return _unreadable("answer true or false")
    right = answer == item.answer
    feedback = item.feedback_true if answer else item.feedback_false
    message = f"The statement is {'true' if item.answer else 'false'}."
    return _result(1.0 if right else 0.0, [Finding("correct" if right else "incorrect", str(answer).lower(), message)],
                   feedback)


def _number(response: object) -> float | None:
    if isinstance(response, bool):
        return None
    if isinstance(response, (int, float)):
        value = float(response)
    elif isinstance(response, str):
        text = response.strip().replace(",", "").replace("$", "").replace("%", "").replace(" ", "")
        if not NUMBER.match(text):
            return None
        value = float(text)
    else:
        return None
    return value if math.isfinite(value) else None


def _numeric(item: Numeric, response: object) -> GradeResult:
    value = _number(response)
    if value is None:
        return _unreadable("type a number, such as 40 or 12.50")
    hits = [answer for answer in item.answers if abs(value - answer.value) <= answer.tolerance + 1e-9]
    best = max(hits, key=lambda answer: answer.weight, default=None)
    score = best.weight if best else 0.0
    message = f"{value:g} is {'within' if best else 'outside'} the accepted range."
    return _result(score, [Finding(_verdict(score), f"{value:g}", message)], best.feedback if best else "")


def _plain(text: str, case_sensitive: bool = False) -> str:
    text = " ".join(text.split()).strip(" .")
    return text if case_sensitive else text.casefold()


def _matching(item: Matching, response: object) -> GradeResult:
    """Each pair earns an equal share; a prompt left out or matched wrongly earns nothing."""
    if not isinstance(response, dict):
        return _unreadable("a matching answer pairs each prompt with an answer")
    chosen: dict[int, str] = {}
    for key, value in response.items():
        index = _index(key, len(item.pairs))
        if index is not None and isinstance(value, str):
            chosen[index] = value
    findings, right = [], 0
    for index, pair in enumerate(item.pairs):
        given = chosen.get(index)
        ok = given is not None and _plain(given) == _plain(pair.answer)
        right += ok
        verdict = "correct" if ok else ("missing" if given is None else "incorrect")
        findings.append(Finding(verdict, pair.prompt, f"{pair.prompt} goes with {pair.answer}.", key_index=index))
    return _result(right / len(item.pairs) if item.pairs else 0.0, findings)


def _short(item: ShortAnswer, response: object) -> GradeResult:
    if not isinstance(response, str):
        return _unreadable("type the answer as text")
    given = _plain(response, item.case_sensitive)
    hits = [option for option in item.answers if _plain(option.text, item.case_sensitive) == given]
    best = max(hits, key=lambda option: option.weight, default=None)
    score = best.weight if best else 0.0
    message = "The answer is accepted." if best and score >= 1 else (
        "The answer earns part of the credit." if best and score > 0 else "The answer is not one the key accepts.")
    return _result(score, [Finding(_verdict(score), response[:80], message)], best.feedback if best else "")
