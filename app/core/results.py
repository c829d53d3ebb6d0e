"""The learner result export: one JSON document per learner, read by `medcode stats items`.

The document is self-contained: besides the attempts it carries, for every item that was
answered, the item's type and its options (text and which are right). Item statistics can
then count how often each option was chosen, and spot distractors nobody picks, without
the bank at hand. The format is described in docs/results-export.md; `FORMAT` and
`VERSION` identify it, and readers refuse other formats or newer versions by name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from app.core.learner import Attempt
from app.core.models import Item, MultipleResponse, SingleChoice, TrueFalse
from app.core.problems import Problem

FORMAT = "medcode-tutor-results"
VERSION = 1


@dataclass(frozen=True)
class ItemInfo:
    """What the export says about one item: enough to count option choices."""

    key: str  # "bank/item"
    bank: str
    id: str
    type: str
    topic: str
    title: str
    options: tuple[str, ...] = ()  # option texts; true/false items use ("True", "False")
    correct: tuple[int, ...] = ()  # indices of the right options


@dataclass(frozen=True)
class ResultAttempt:
    item: str  # "bank/item"
    answered_at: str
    response: object
    chosen: tuple[int, ...] | None  # option indices for choice items, else None
    score: float
    max_score: float
    seconds: float

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0


@dataclass(frozen=True)
class LearnerResults:
    learner: str
    exported_at: str
    items: dict[str, ItemInfo]
    attempts: tuple[ResultAttempt, ...]
    source: str = ""  # the file it was read from


def item_key(bank: str, item_id: str) -> str:
    return f"{bank}/{item_id}"


def item_info(item: Item) -> ItemInfo:
    meta = item.meta
    options: tuple[str, ...] = ()
    correct: tuple[int, ...] = ()
    if isinstance(item, SingleChoice | MultipleResponse):
        options = tuple(option.text for option in item.options)
        correct = tuple(i for i, option in enumerate(item.options) if option.correct or option.weight > 0)
    elif isinstance(item, TrueFalse):
        options, correct = ("True", "False"), ((0,) if item.answer else (1,))
    title = meta.title or " ".join(getattr(item, "stem", "").split())[:60]
    return ItemInfo(item_key(meta.bank, meta.id), meta.bank, meta.id, str(item.type), meta.topic,
                    title, options, correct)


def chosen_options(item_type: str, response: object) -> tuple[int, ...] | None:
    """Which option indices a response picked, for the item types that have options."""
    if item_type == "single_choice" and isinstance(response, int) and not isinstance(response, bool):
        return (response,)
    if item_type == "multiple_response" and isinstance(response, list):
        return tuple(sorted(i for i in response if isinstance(i, int) and not isinstance(i, bool)))
    if item_type == "true_false" and isinstance(response, bool):
        return (0,) if response else (1,)
    return None


def export_document(learner: str, attempts: Sequence[Attempt], items: Iterable[Item],
                    exported_at: datetime, app_version: str) -> dict[str, object]:
    """The JSON-ready export of one learner's attempts (every attempt, oldest first)."""
    by_key = {item_key(i.meta.bank, i.meta.id): i for i in items}
    used = {item_key(a.bank_id, a.item_id) for a in attempts}
    infos = {key: item_info(by_key[key]) for key in sorted(used) if key in by_key}
    return {
        "format": FORMAT,
        "version": VERSION,
        "app_version": app_version,
        "exported_at": exported_at.isoformat(),
        "learner": learner,
        "items": {key: _info_json(info) for key, info in infos.items()},
        "attempts": [_attempt_json(a) for a in attempts],
    }


def learner_results(learner: str, attempts: Sequence[Attempt], items: Iterable[Item]) -> LearnerResults:
    """The objects `parse_results` reads from `export_document`'s JSON, built without the JSON.

    The progress page's item figures use it on each item's first attempt. Attempts of items
    no longer in any loaded bank, or with a score outside 0..max, are left out (the export
    reader would refuse the whole document because of them).
    """
    by_key = {item_key(i.meta.bank, i.meta.id): i for i in items}
    used = {item_key(a.bank_id, a.item_id) for a in attempts}
    infos = {key: item_info(by_key[key]) for key in sorted(used) if key in by_key}
    kept = tuple(
        ResultAttempt(key, a.answered_at.isoformat(), a.response, chosen_options(a.item_type, a.response),
                      float(a.score), float(a.max_score), round(a.seconds, 1))
        for a in attempts
        if (key := item_key(a.bank_id, a.item_id)) in infos and 0 <= a.score <= a.max_score
    )
    return LearnerResults(learner, "", infos, kept)


def _info_json(info: ItemInfo) -> dict[str, object]:
    return {"bank": info.bank, "id": info.id, "type": info.type, "topic": info.topic,
            "title": info.title, "options": list(info.options), "correct": list(info.correct)}


def _attempt_json(attempt: Attempt) -> dict[str, object]:
    chosen = chosen_options(attempt.item_type, attempt.response)
    return {
        "item": item_key(attempt.bank_id, attempt.item_id),
        "type": attempt.item_type,
        "answered_at": attempt.answered_at.isoformat(),
        "response": attempt.response,
        "chosen": list(chosen) if chosen is not None else None,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "seconds": round(attempt.seconds, 1),
    }


class ResultsError(ValueError):
    """A result file that cannot be read; carries the problems found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def parse_results(text: str, path: str = "<results>") -> LearnerResults:
    """Read one export; raise ResultsError naming the file, line and field on bad input."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ResultsError([Problem(path, error.lineno, "json", error.msg)]) from None
    problems: list[Problem] = []
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ResultsError([Problem(path, 1, "format", f"not a MedCode Tutor result export (expected format {FORMAT!r})")])
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ResultsError([Problem(path, 1, "version", f"version {version!r} is not supported (this app reads up to {VERSION})")])
    items = _read_items(data.get("items"), path, problems)
    attempts = _read_attempts(data.get("attempts"), items, path, problems)
    if problems:
        raise ResultsError(problems)
    return LearnerResults(str(data.get("learner", "")), str(data.get("exported_at", "")), items,
                          tuple(attempts), path)


def _read_items(raw: object, path: str, problems: list[Problem]) -> dict[str, ItemInfo]:
    if not isinstance(raw, dict):
        problems.append(Problem(path, 1, "items", "must be an object keyed by bank/item"))
        return {}
    items: dict[str, ItemInfo] = {}
    for key, value in raw.items():
        try:
            options = tuple(str(o) for o in value.get("options", []))
            correct = tuple(int(i) for i in value.get("correct", []))
            items[key] = ItemInfo(key, str(value["bank"]), str(value["id"]), str(value["type"]),
                                  str(value.get("topic", "")), str(value.get("title", "")), options, correct)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            problems.append(Problem(path, 1, f"items.{key}", f"is incomplete or malformed ({error})"))
    return items


def _read_attempts(raw: object, items: dict[str, ItemInfo], path: str,
                   problems: list[Problem]) -> list[ResultAttempt]:
    if not isinstance(raw, list):
        problems.append(Problem(path, 1, "attempts", "must be a list"))
        return []
    attempts = []
    for index, value in enumerate(raw):
        field = f"attempts[{index}]"
        try:
            key = str(value["item"])
            chosen = value.get("chosen")
            attempt = ResultAttempt(key, str(value["answered_at"]), value.get("response"),
                                    tuple(int(i) for i in chosen) if chosen is not None else None,
                                    float(value["score"]), float(value["max_score"]),
                                    float(value.get("seconds", 0)))
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            problems.append(Problem(path, 1, field, f"is incomplete or malformed ({error})"))
            continue
        if key not in items:
            problems.append(Problem(path, 1, f"{field}.item", f"{key!r} is not described under items"))
        elif not 0 <= attempt.score <= attempt.max_score:
            problems.append(Problem(path, 1, f"{field}.score", "must be between 0 and max_score"))
        else:
            attempts.append(attempt)
    return attempts
