"""Exam forms and the draw: which items a mock exam asks, in which order, with which options.

A form (docs/exams.md) is data: sections, each filled by draw rules (a count of items of
some topics, CPC areas or types, within difficulty limits), the time limit, the warning,
the pass mark, the navigation and pause rules and whether the code browser is open.
`draw` is pure and seeded: the same form, pool, seed and history give the same exam, so
an exam can be reproduced from its stored seed. It never fills a short section with
other items: it reports the shortfall and the caller tells the learner before the start.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from app.core.models import CodingCase, Item, MultipleResponse, SingleChoice


class Navigation(StrEnum):
    FREE = "free"  # move anywhere in the exam until it is submitted
    LOCKED_PARTS = "locked_parts"  # free inside a part; a finished part cannot be reopened


class PausePolicy(StrEnum):
    NONE = "none"  # the clock runs on wall time, also while the app is closed
    WHILE_CLOSED = "while_closed"  # the clock stops while the app is closed


@dataclass(frozen=True)
class DrawRule:
    """`count` items matching every given filter (an empty filter matches everything)."""

    count: int
    topics: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # an item's `area`, or its topic when it has none
    types: tuple[str, ...] = ()  # item types, e.g. ("coding_case",)
    tags: tuple[str, ...] = ()  # any one of them
    min_difficulty: int = 1
    max_difficulty: int = 3
    code_sets: tuple[str, ...] = ()  # coding cases whose key needs every one of these code sets

    def matches(self, item: Item) -> bool:
        meta = item.meta
        return ((not self.code_sets or _needs(item, self.code_sets))
                and (not self.topics or meta.topic in self.topics)
                and (not self.areas or item_area(item) in self.areas)
                and (not self.types or item.type.value in self.types)
                and (not self.tags or any(tag in self.tags for tag in meta.tags))
                and self.min_difficulty <= meta.difficulty <= self.max_difficulty)


@dataclass(frozen=True)
class FormSection:
    id: str
    title: str
    rules: tuple[DrawRule, ...]
    part: int = 1

    @property
    def count(self) -> int:
        return sum(rule.count for rule in self.rules)


@dataclass(frozen=True)
class ExamForm:
    id: str
    title: str
    sections: tuple[FormSection, ...]
    minutes: int
    pass_mark: float = 70.0  # percent
    warning_minutes: int = 30
    navigation: Navigation = Navigation.FREE
    pause: PausePolicy = PausePolicy.NONE
    code_browser: bool = True
    exam: str = ""  # CPC, CCS, CCA... (for labels)
    description: str = ""
    source: str = ""  # file the form came from, for messages

    @property
    def count(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def parts(self) -> tuple[int, ...]:
        return tuple(sorted({section.part for section in self.sections}))

    def section(self, section_id: str) -> FormSection | None:
        return next((s for s in self.sections if s.id == section_id), None)


def _needs(item: Item, code_sets: tuple[str, ...]) -> bool:
    if not isinstance(item, CodingCase):
        return False
    present = {section.code_set.value for section in item.key.sections}
    return all(code_set in present for code_set in code_sets)


def item_area(item: Item) -> str:
    """The blueprint area an item counts for: its explicit `area`, else its topic."""
    return item.meta.area or item.meta.topic


def item_key(item: Item) -> str:
    """How an exam names an item: bank id and item id, unique across the loaded banks."""
    return f"{item.meta.bank}/{item.meta.id}"


@dataclass(frozen=True)
class Shortfall:
    section_id: str
    title: str
    wanted: int
    found: int

    @property
    def missing(self) -> int:
        return self.wanted - self.found

    def __str__(self) -> str:
        return f"section {self.title!r} needs {self.wanted} items; the banks have {self.found} ({self.missing} short)"


@dataclass(frozen=True)
class DrawnItem:
    key: str  # item_key(item)
    section: str  # section id
    part: int
    option_order: tuple[int, ...] = ()  # display position -> option index (choice items)


@dataclass(frozen=True)
class Draw:
    seed: int
    items: tuple[DrawnItem, ...]
    shortfalls: tuple[Shortfall, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.shortfalls


def _option_order(item: Item, rng: random.Random) -> tuple[int, ...]:
    if isinstance(item, (SingleChoice, MultipleResponse)):
        order = list(range(len(item.options)))
        if item.shuffle:
            rng.shuffle(order)
        return tuple(order)
    return ()


def draw(form: ExamForm, pool: list[Item] | tuple[Item, ...], seed: int, recent: frozenset[str] = frozenset()) -> Draw:
    """Draw the exam: per section and rule, unseen items first (`recent` keys last), seeded.

    The pool is sorted by key first, so the order the banks were loaded in does not matter.
    An item is used at most once per exam, even when two rules could take it.
    """
    rng = random.Random(seed)
    keyed = sorted(((item_key(item), item) for item in pool), key=lambda pair: pair[0])
    by_topic: dict[str, list[tuple[str, Item]]] = {}
    for pair in keyed:  # most rules name topics: look only at those items
        by_topic.setdefault(pair[1].meta.topic, []).append(pair)
    used: set[str] = set()
    drawn: list[DrawnItem] = []
    shortfalls: list[Shortfall] = []
    for section in form.sections:
        chosen: list[tuple[str, Item]] = []
        for rule in section.rules:
            source = sorted((p for t in set(rule.topics) for p in by_topic.get(t, ())), key=lambda p: p[0]) \
                if rule.topics else keyed
            candidates = [pair for pair in source if pair[0] not in used and rule.matches(pair[1])]
            rng.shuffle(candidates)
            candidates.sort(key=lambda pair: pair[0] in recent)  # stable: unseen first
            taken = candidates[:rule.count]
            used.update(key for key, _item in taken)
            chosen += taken
        if len(chosen) < section.count:
            shortfalls.append(Shortfall(section.id, section.title, section.count, len(chosen)))
        rng.shuffle(chosen)
        drawn += [DrawnItem(key, section.id, section.part, _option_order(item, rng)) for key, item in chosen]
    return Draw(seed, tuple(drawn), tuple(shortfalls))


def fill_report(form: ExamForm, pool: list[Item] | tuple[Item, ...]) -> list[tuple[FormSection, int]]:
    """For each section, how many items the pool can give it (at most its count)."""
    result = draw(form, pool, seed=0)
    found = {s.section_id: s.found for s in result.shortfalls}
    return [(section, found.get(section.id, section.count)) for section in form.sections]


# -- forms as plain data (stored with each exam, so a resumed exam keeps its rules) ----------
def form_to_dict(form: ExamForm) -> dict[str, object]:
    return asdict(form)


def form_from_dict(data: dict) -> ExamForm:  # type: ignore[type-arg]
    sections = tuple(
        FormSection(s["id"], s["title"], tuple(
            DrawRule(r["count"], tuple(r["topics"]), tuple(r["areas"]), tuple(r["types"]), tuple(r["tags"]),
                     r["min_difficulty"], r["max_difficulty"], tuple(r["code_sets"])) for r in s["rules"]), s["part"])
        for s in data["sections"])
    values = {k: v for k, v in data.items() if k != "sections"}
    values["navigation"] = Navigation(values["navigation"])
    values["pause"] = PausePolicy(values["pause"])
    return ExamForm(sections=sections, **values)
