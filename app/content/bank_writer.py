"""`bank_to_yaml`: a Bank object written back in the documented bank format.

The import tools and the editor build Bank objects and need a file an instructor can read
and `medcode bank check` accepts. The writer leaves out every field that holds its default
(so the file stays short) and writes weights in percent, as the format does; loading the
result gives back an equal Bank, apart from SourceRef lines and paths.
"""

from __future__ import annotations

import io

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import LiteralScalarString

from app.content.bank_items import default_title
from app.core.models import (
    AnswerKey, Bank, BankManifest, CodingCase, Item, KeyLine, KeySection, Matching, MultipleResponse, Numeric,
    NumericAnswer, Option, ShortAnswer, SingleChoice, TrueFalse,
)

DIFFICULTY_NAMES = {1: "easy", 2: "medium", 3: "hard"}


def _text(value: str) -> object:
    """Multi-line text as a literal block (|), the rest as plain scalars quoted where needed."""
    return LiteralScalarString(value) if "\n" in value.rstrip("\n") else value


def _number(value: float) -> int | float:
    """Whole numbers without ".0"; other floats exactly (repr round-trips)."""
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else float(value)


def _percent(fraction: float) -> int | float:
    """A fraction as the percent the format uses; rounding undoes float noise (0.07 * 100)."""
    return _number(round(fraction * 100, 10))


def _put(node: CommentedMap, key: str, value: object, default: object = "") -> None:
    if value != default:
        node[key] = _text(value) if isinstance(value, str) else value


def _manifest(manifest: BankManifest) -> CommentedMap:
    node = CommentedMap()
    for key in ("id", "title", "version", "author", "licence"):
        node[key] = getattr(manifest, key)
    node["code_year"] = manifest.code_year
    node["policy"] = manifest.policy.value
    _put(node, "description", manifest.description)
    return node


def _options(options: tuple[Option, ...], weighted: bool) -> list[CommentedMap]:
    """Options; `weighted` (multiple response with weights) writes every weight and no `correct`."""
    found = []
    for option in options:
        node = CommentedMap(text=_text(option.text))
        if weighted:
            node["weight"] = _percent(option.weight)
        else:
            _put(node, "correct", option.correct, False)
            _put(node, "weight", _percent(option.weight), 0)
        _put(node, "feedback", option.feedback)
        found.append(node)
    return found


def _numeric(node: CommentedMap, item: Numeric) -> None:
    only = item.answers[0] if len(item.answers) == 1 else None
    if only is not None and only.weight == 1.0 and not only.feedback:
        node["answer"] = _number(only.value)
        node["tolerance"] = _number(only.tolerance)
    else:
        node["answers"] = [_numeric_answer(answer) for answer in item.answers]
    _put(node, "unit", item.unit)


def _numeric_answer(answer: NumericAnswer) -> CommentedMap:
    node = CommentedMap(value=_number(answer.value), tolerance=_number(answer.tolerance))
    _put(node, "weight", _percent(answer.weight), 100)
    _put(node, "feedback", answer.feedback)
    return node


def _line(line: KeyLine) -> CommentedMap:
    node = CommentedMap()
    if len(line.codes) == 1:
        node["code"] = line.codes[0]
    else:
        node["any_of"] = list(line.codes)
    if line.modifiers:
        node["modifiers"] = list(line.modifiers)
    _put(node, "units", line.units, None)
    _put(node, "optional", line.optional, False)
    _put(node, "first", line.first, False)
    _put(node, "comment", line.comment)
    return node


def _section(section: KeySection) -> CommentedMap:
    node = CommentedMap(code_set=section.code_set.value, label=section.label)
    _put(node, "ordered", section.ordered, False)
    node["lines"] = [_line(line) for line in section.lines]
    if section.forbidden:
        node["forbidden"] = [CommentedMap(code=rule.code, reason=_text(rule.reason)) for rule in section.forbidden]
    return node


def _key(key: AnswerKey) -> CommentedMap:
    node = CommentedMap()
    if key.policy is not None:
        node["policy"] = key.policy.value
    node["sections"] = [_section(section) for section in key.sections]
    return node


def _body(node: CommentedMap, item: Item) -> None:
    """The fields of the item's own type, in the order the format document shows them."""
    if isinstance(item, (SingleChoice, MultipleResponse)):
        _put(node, "shuffle", item.shuffle, True)
        weighted = isinstance(item, MultipleResponse) and any(option.weight for option in item.options)
        node["options"] = _options(item.options, weighted)
    elif isinstance(item, TrueFalse):
        node["answer"] = item.answer
        _put(node, "feedback_true", item.feedback_true)
        _put(node, "feedback_false", item.feedback_false)
    elif isinstance(item, Numeric):
        _numeric(node, item)
    elif isinstance(item, Matching):
        node["pairs"] = [CommentedMap(prompt=_text(p.prompt), answer=_text(p.answer)) for p in item.pairs]
        if item.distractors:
            node["distractors"] = [_text(text) for text in item.distractors]
    elif isinstance(item, ShortAnswer):
        _put(node, "case_sensitive", item.case_sensitive, False)
        node["answers"] = []
        for answer in item.answers:
            entry = CommentedMap(text=_text(answer.text))
            _put(entry, "weight", _percent(answer.weight), 100)
            _put(entry, "feedback", answer.feedback)
            node["answers"].append(entry)
    elif isinstance(item, CodingCase):
        node["note"] = _text(item.note)
        node["key"] = _key(item.key)


def _item(item: Item, manifest: BankManifest) -> CommentedMap:
    meta = item.meta
    node = CommentedMap(id=meta.id, type=item.type.value, topic=meta.topic)
    _put(node, "area", meta.area)
    _put(node, "difficulty", DIFFICULTY_NAMES.get(meta.difficulty, "medium"), "medium")
    if meta.tags:
        node["tags"] = list(meta.tags)
    _put(node, "lesson", meta.lesson)
    _put(node, "title", meta.title, default_title(item.stem))
    _put(node, "code_year", meta.code_year, manifest.code_year)
    _put(node, "author", meta.author, manifest.author)
    _put(node, "source", meta.source_note, "original")
    node["stem"] = _text(item.stem)
    _body(node, item)
    node["rationale"] = _text(meta.rationale)
    return node


def bank_to_yaml(bank: Bank) -> str:
    """The bank as YAML text in the documented format (docs/question-bank-format.md)."""
    root = CommentedMap(bank=_manifest(bank.manifest), items=[_item(item, bank.manifest) for item in bank.items])
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(root, stream)
    return stream.getvalue()
