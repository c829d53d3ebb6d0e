"""Building the item objects of app/core/models.py from a bank's YAML, one rule per type.

Each builder reads its own fields through `Fields` (which reports wrong types, unknown
fields and bad enum values with file, line and field) and then applies the rules the
format document states for that type. A builder returns None when the item is unusable;
the loader then skips that item and keeps the rest of the bank.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.content.bank_fields import Fields, child, item_line
from app.content.bank_key import build_key
from app.core.models import (
    CodingCase, Item, ItemMeta, ItemType, Matching, MatchPair, MultipleResponse, Numeric, NumericAnswer,
    Option, ShortAnswer, SingleChoice, SourceRef, TrueFalse,
)
from app.core.topics import TOPICS

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DIFFICULTIES = {"easy": 1, "medium": 2, "hard": 3}
COMMON = ("id", "type", "topic", "area", "difficulty", "tags", "lesson", "stem", "rationale", "code_year",
          "author", "source", "title")
TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    "single_choice": ("options", "shuffle"),
    "multiple_response": ("options", "shuffle"),
    "true_false": ("answer", "feedback_true", "feedback_false"),
    "numeric": ("answer", "tolerance", "answers", "unit"),
    "matching": ("pairs", "distractors"),
    "short_answer": ("answers", "case_sensitive"),
    "coding_case": ("note", "key"),
}
TITLE_LENGTH = 60


def default_title(stem: str) -> str:
    """The start of the stem's first line, used when an item has no title."""
    first = stem.strip().splitlines()[0] if stem.strip() else ""
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1].rstrip() + "…"


def _same(text: str, case_sensitive: bool = False) -> str:
    flat = " ".join(text.split())
    return flat if case_sensitive else flat.casefold()


def _repeats(fields: Fields, seq: list, texts: list[str | None], key: str, what: str, case: bool = False) -> bool:  # type: ignore[type-arg]
    """Report entries whose text repeats an earlier one; True when any did."""
    seen: dict[str, int] = {}
    found = False
    for index, text in enumerate(texts):
        if text is None:
            continue
        norm = _same(text, case)
        if norm in seen:
            fields.sink.add(item_line(seq, index, fields.at(key)), f"{fields.name(key)}[{index}].{what}",
                            f"repeats {key}[{seen[norm]}] ({text.strip()!r})")
            found = True
        else:
            seen[norm] = index
    return found


def _options(fields: Fields, with_weight: bool) -> tuple[list[Option], list[bool]] | None:
    """Options as written, plus which of them gave a weight; None when any is broken."""
    seq = fields.seq("options", required=True, minimum=2)
    if seq is None:
        return None
    known = ("text", "correct", "feedback") + (("weight",) if with_weight else ())
    options: list[Option] = []
    weighted: list[bool] = []
    broken = False
    for index in range(len(seq)):
        option = child(fields, seq, index, known, "options")
        if option is None:
            broken = True
            continue
        text = option.text("text", required=True)
        correct = option.flag("correct")
        weight = option.number("weight", low=-100, high=100, default=0.0) if with_weight else 0.0
        feedback = option.text("feedback")
        if None in (text, correct, weight, feedback):
            broken = True
            continue
        weighted.append(with_weight and option.node.get("weight") is not None)
        options.append(Option(str(text), bool(correct), (weight or 0.0) / 100.0, str(feedback)))
    if broken or _repeats(fields, seq, [o.text for o in options], "options", "text"):
        return None
    return options, weighted


def _single_choice(fields: Fields, meta: ItemMeta, stem: str) -> Item | None:
    shuffle = fields.flag("shuffle", True)
    found = _options(fields, with_weight=True)
    if found is None or shuffle is None:
        return None
    options = found[0]
    right = sum(option.correct for option in options)
    if right != 1:
        fields.error("options", f"exactly one option must have `correct: true`; found {right}")
        return None
    full = [index for index, option in enumerate(options) if not option.correct and option.weight >= 1.0]
    if full:
        fields.error("options", f"options[{full[0]}] is wrong but earns full credit (weight 100); "
                                "a partial-credit weight is below 100")
        return None
    return SingleChoice(meta, stem, tuple(options), shuffle)


def _multiple_response(fields: Fields, meta: ItemMeta, stem: str) -> Item | None:
    shuffle = fields.flag("shuffle", True)
    found = _options(fields, with_weight=True)
    if found is None or shuffle is None:
        return None
    options, weighted = found
    if any(weighted) and not all(weighted):
        fields.error("options", "give a weight to every option or to none")
        return None
    if all(weighted):
        for index, option in enumerate(options):
            if option.correct and option.weight <= 0:
                fields.error("options", f"options[{index}] has `correct: true` but a weight of {option.weight * 100:g}")
                return None
        options = [Option(o.text, o.weight > 0, o.weight, o.feedback) for o in options]
        total = sum(o.weight for o in options if o.weight > 0) * 100
        if abs(total - 100) > 0.01:
            fields.error("options", f"the positive weights must add up to 100; they add up to {total:g}")
            return None
    if not any(option.correct for option in options):
        fields.error("options", "at least one option must have `correct: true`")
        return None
    return MultipleResponse(meta, stem, tuple(options), shuffle)


def _true_false(fields: Fields, meta: ItemMeta, stem: str) -> Item | None:
    value = fields.raw("answer", required=True)
    if fields.node.get("answer") is not None and not isinstance(value, bool):
        fields.error("answer", "must be true or false")
        return None
    feedback_true, feedback_false = fields.text("feedback_true"), fields.text("feedback_false")
    if not isinstance(value, bool) or feedback_true is None or feedback_false is None:
        return None
    return TrueFalse(meta, stem, value, feedback_true, feedback_false)


def _numeric_answer(entry: Fields) -> NumericAnswer | None:
    value = entry.number("value" if "value" in entry.known else "answer", required=True)
    if "tolerance" not in entry.node or entry.node["tolerance"] is None:
        entry.sink.add(entry.line, entry.name("tolerance"), "a numeric answer needs a tolerance (write 0 for an exact answer)")
        return None
    tolerance = entry.number("tolerance", low=0)
    weight = entry.number("weight", low=0, high=100, default=100.0) if "weight" in entry.known else 100.0
    feedback = entry.text("feedback") if "feedback" in entry.known else ""
    if None in (value, tolerance, weight, feedback):
        return None
    return NumericAnswer(float(value), float(tolerance), float(weight) / 100.0, str(feedback))  # type: ignore[arg-type]


def _numeric(fields: Fields, meta: ItemMeta, stem: str) -> Item | None:
    unit = fields.text("unit")
    if "answers" in fields.node and ("answer" in fields.node or "tolerance" in fields.node):
        fields.error("answers", "write either `answer` with `tolerance`, or `answers`, not both")
        return None
    if "answers" not in fields.node:
        single = Fields(fields.sink, fields.node, fields.prefix, fields.known, fields.line)
        answer = _numeric_answer(single)
        return None if answer is None or unit is None else Numeric(meta, stem, (answer,), unit)
    seq = fields.seq("answers", required=True, minimum=1)
    if seq is None:
        return None
    answers = []
    for index in range(len(seq)):
        entry = child(fields, seq, index, ("value", "tolerance", "weight", "feedback"), "answers")
        answers.append(_numeric_answer(entry) if entry is not None else None)
    if None in answers or unit is None:
        return None
    if not any(answer.weight >= 1.0 for answer in answers):  # type: ignore[union-attr]
        fields.error("answers", "no answer earns full credit (weight 100)")
        return None
    return Numeric(meta, stem, tuple(answers), unit)  # type: ignore[arg-type]


def _matching(fields: Fields, meta: ItemMeta, stem: str) -> Item | None:
    seq = fields.seq("pairs", required=True, minimum=2)
    distractors = fields.words("distractors")
    if seq is None or distractors is None:
        return None
    pairs: list[MatchPair | None] = []
    for index in range(len(seq)):
        pair = child(fields, seq, index, ("prompt", "answer"), "pairs")
        prompt = pair.text("prompt", required=True) if pair else None
        answer = pair.text("answer", required=True) if pair else None
        pairs.append(MatchPair(prompt, answer) if prompt is not None and answer is not None else None)
    if None in pairs or _repeats(fields, seq, [p.prompt for p in pairs], "pairs", "prompt"):  # type: ignore[union-attr]
        return None
    answers = {_same(p.answer) for p in pairs}  # type: ignore[union-attr]
    clash = [d for d in distractors if _same(d) in answers]
    if clash:
        fields.error("distractors", f"{clash[0]!r} is also the answer of a pair")
        return None
    return Matching(meta, stem, tuple(pairs), distractors)  # type: ignore[arg-type]


def _short_answer(fields: Fields, meta: ItemMeta, stem: str) -> Item | None:
    case_sensitive = fields.flag("case_sensitive")
    seq = fields.seq("answers", required=True, minimum=1)
    if seq is None or case_sensitive is None:
        return None
    answers: list[Option | None] = []
    for index in range(len(seq)):
        entry = child(fields, seq, index, ("text", "weight", "feedback"), "answers")
        text = entry.text("text", required=True) if entry else None
        weight = entry.number("weight", low=0, high=100, default=100.0) if entry else None
        feedback = entry.text("feedback") if entry else None
        ok = None not in (text, weight, feedback)
        answers.append(Option(str(text), weight == 100, float(weight) / 100, str(feedback)) if ok else None)  # type: ignore[arg-type]
    if None in answers or _repeats(fields, seq, [a.text for a in answers], "answers", "text", case_sensitive):  # type: ignore[union-attr]
        return None
    if not any(answer.correct for answer in answers):  # type: ignore[union-attr]
        fields.error("answers", "no answer earns full credit (weight 100)")
        return None
    return ShortAnswer(meta, stem, tuple(answers), case_sensitive)  # type: ignore[arg-type]


def _coding_case(fields: Fields, meta: ItemMeta, stem: str) -> Item | None:
    note = fields.text("note", required=True)
    node = fields.mapping("key", required=True)
    if node is None:
        return None
    key = build_key(Fields(fields.sink, node, fields.name("key"), (), fields.at("key")))
    if note is None or key is None:
        return None
    return CodingCase(meta, stem, note, key)


BUILDERS: dict[str, Callable[[Fields, ItemMeta, str], Item | None]] = {
    ItemType.SINGLE_CHOICE.value: _single_choice,
    ItemType.MULTIPLE_RESPONSE.value: _multiple_response,
    ItemType.TRUE_FALSE.value: _true_false,
    ItemType.NUMERIC.value: _numeric,
    ItemType.MATCHING.value: _matching,
    ItemType.SHORT_ANSWER.value: _short_answer,
    ItemType.CODING_CASE.value: _coding_case,
}


def _difficulty(fields: Fields) -> int | None:
    value = fields.node.get("difficulty")
    if isinstance(value, int) and not isinstance(value, bool) and value in (1, 2, 3):
        return int(value)  # type: ignore[arg-type]
    name = fields.choice("difficulty", DIFFICULTIES, default="medium")
    return DIFFICULTIES[name] if name else None


def _meta(fields: Fields, item_id: str, bank: dict[str, object], stem: str) -> ItemMeta | None:
    topic = fields.choice("topic", TOPICS, required=True)
    values = (topic, _difficulty(fields), fields.words("tags"), fields.text("lesson"), fields.text("rationale", required=True),
              fields.number("code_year", low=2000, high=2100, whole=True, default=bank["code_year"]),  # type: ignore[arg-type]
              fields.text("author", default=str(bank["author"])), fields.text("source", default="original"),
              fields.text("title", default=default_title(stem)))
    if None in values:
        return None
    topic, difficulty, tags, lesson, rationale, code_year, author, source, title = values
    area = _area(fields)
    if area is None:
        return None
    return ItemMeta(id=item_id, topic=topic, difficulty=difficulty, tags=tags, lesson=lesson, rationale=rationale,  # type: ignore[arg-type]
                    code_year=int(code_year), author=author, source_note=source, title=title,  # type: ignore[arg-type]
                    bank=str(bank["id"]), source=SourceRef(fields.sink.where, fields.line), area=area)


def _area(fields: Fields) -> str | None:
    """The optional exam-blueprint area (e.g. `ccs-coding-knowledge`); exam forms draw by it."""
    area = fields.text("area")
    if area and not ID_PATTERN.match(area):
        fields.error("area", f"{area!r} is not a valid area id (lower-case letters, digits and dashes)")
        return None
    return area


def item_label(node: dict, index: int) -> str:  # type: ignore[type-arg]
    """How messages name an item: its id when it has a usable one, else `items[index]`."""
    value = node.get("id")
    return value if isinstance(value, str) and ID_PATTERN.match(value) else f"items[{index}]"


def build_item(fields: Fields, bank: dict[str, object]) -> Item | None:
    """One item from its mapping, or None (with problems recorded) when it cannot be used."""
    item_id = fields.text("id", required=True)
    if item_id is not None and not ID_PATTERN.match(item_id):
        fields.error("id", f"{item_id!r} is not a valid id (lower-case letters, digits and dashes, e.g. cm-conv-001)")
        item_id = None
    kind = fields.choice("type", BUILDERS, required=True)
    fields.known = COMMON + (TYPE_FIELDS[kind] if kind else tuple(f for names in TYPE_FIELDS.values() for f in names))
    fields.check_unknown()
    stem = fields.text("stem", required=True)
    meta = _meta(fields, item_id or "", bank, stem or "")
    if kind is None:
        return None
    item = BUILDERS[kind](fields, meta or ItemMeta(id="", topic=""), stem or "")  # reports the type's own problems
    return item if meta is not None and stem is not None and item_id is not None else None
