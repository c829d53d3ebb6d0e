"""Moodle XML (question/format/xml) <-> bank items.

The file is parsed with defusedxml and DTDs are forbidden outright: a DOCTYPE is how the
"billion laughs" entity expansion and external-entity file reads get in, and a Moodle export
never needs one. Question types we cannot represent are reported by name, question number
and line (found by scanning the raw text, since ElementTree keeps no line numbers).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only used to build and write XML, never to parse
from xml.etree.ElementTree import Element, ParseError  # noqa: S405

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from app.content.interchange import (
    PLACEHOLDER_RATIONALE, ImportContext, ImportResult, export_category, finish, looks_like_html,
    skipped,
    multiple_weights_problem, percent_text, plain, sanitise, single_or_multiple,
)
from app.core.models import (
    Bank, Item, Matching, MatchPair, MultipleResponse, Numeric, NumericAnswer, Option, ShortAnswer,
    SingleChoice, TrueFalse,
)
from app.core.problems import Problem, Severity

_HIDDEN = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>", re.DOTALL)
_QUESTION_TAG = re.compile(r"<question\b")
HOSTILE = ("a DOCTYPE/DTD is not allowed in a Moodle XML file (it can declare entities that expand "
           "without limit or read other files); refused")


def _question_lines(text: str) -> list[int]:
    """Line of each <question> tag in document order, ignoring comments and CDATA."""
    visible = _HIDDEN.sub(lambda match: "\n" * match.group(0).count("\n"), text)
    return [visible.count("\n", 0, match.start()) + 1 for match in _QUESTION_TAG.finditer(visible)]


def _rich(node: Element | None) -> str:
    """The <text> of a Moodle text field, sanitised when its format is HTML."""
    if node is None:
        return ""
    return sanitise(node.findtext("text") or "", node.get("format", "html") == "html")


def _float(text: str) -> float:
    """A finite number; ValueError (reported by the caller) for anything else, nan and inf too."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


def _fraction(answer: Element) -> float:
    return _float(answer.get("fraction", "0")) / 100


def _answers(question: Element) -> list[tuple[str, float, str]]:
    """(text, weight as a fraction, feedback) of each <answer>."""
    return [(_rich(answer), _fraction(answer), _rich(answer.find("feedback")))
            for answer in question.findall("answer")]


class _Reader:
    """One question element -> an item, reporting with the question's number, name and line."""

    def __init__(self, context: ImportContext, node: Element, number: int, line: int) -> None:
        self.context, self.node, self.number, self.line = context, node, number, line
        self.name = plain(node.findtext("name/text") or "")
        self.stem = _rich(node.find("questiontext"))
        self.where = f"question {number} ({node.get('type', '?')})"

    def error(self, message: str, severity: Severity = Severity.ERROR) -> None:
        where = self.where
        label = f"'{self.name}': " if self.name else ""
        problem = Problem(self.context.path, self.line, where, label + message, severity)
        self.context.problems.append(problem)

    def meta(self):  # type: ignore[no-untyped-def]
        rationale = _rich(self.node.find("generalfeedback"))
        return self.context.meta(self.name, self.stem, rationale, self.line)

    def multichoice(self) -> Item | None:
        single = (self.node.findtext("single") or "true").strip().lower() in ("true", "1")
        options = []
        for text, weight, feedback in _answers(self.node):
            right = weight >= 0.99999 if single else weight > 0
            options.append(Option(text, right, 0.0 if single and right else weight, feedback))
        weights = [option.weight for option in options]
        why = single_or_multiple(options) if single else multiple_weights_problem(weights)
        if why:
            self.error(f"{why}; not imported")
            return None
        kind = SingleChoice if single else MultipleResponse
        shuffle = (self.node.findtext("shuffleanswers") or "true").strip().lower() in ("true", "1")
        return kind(self.meta(), self.stem, tuple(options), shuffle)

    def truefalse(self) -> Item | None:
        feedback = {text.strip().lower(): (weight, fb) for text, weight, fb in _answers(self.node)}
        if set(feedback) != {"true", "false"}:
            self.error("a true/false question needs a 'true' and a 'false' answer; not imported")
            return None
        answer = feedback["true"][0] >= 0.99999
        return TrueFalse(self.meta(), self.stem, answer, feedback["true"][1], feedback["false"][1])

    def shortanswer(self) -> Item | None:
        answers = tuple(Option(text, weight >= 0.99999, weight, feedback)
                        for text, weight, feedback in _answers(self.node))
        if not any(answer.correct for answer in answers):
            self.error("no answer earns full credit; not imported")
            return None
        case = (self.node.findtext("usecase") or "0").strip() == "1"
        return ShortAnswer(self.meta(), self.stem, answers, case)

    def numerical(self) -> Item | None:
        answers = []
        for node in self.node.findall("answer"):
            value = (node.findtext("text") or "").strip()
            if value == "*":
                self.error("the '*' (any other answer) entry has no place in a numeric item; "
                           "it was left out", Severity.WARNING)
                continue
            try:
                number, tolerance = _float(value), abs(_float(node.findtext("tolerance") or "0"))
            except ValueError:
                self.error(f"answer '{value}' is not a number; not imported")
                return None
            feedback = _rich(node.find("feedback"))
            answers.append(NumericAnswer(number, tolerance, _fraction(node), feedback))
        if not any(answer.weight >= 0.99999 for answer in answers):
            self.error("no answer earns full credit; not imported")
            return None
        units = [u.findtext("unit_name") or "" for u in self.node.findall("units/unit")
                 if _float(u.findtext("multiplier") or "1") == 1]
        return Numeric(self.meta(), self.stem, tuple(answers), units[0].strip() if units else "")

    def matching(self) -> Item | None:
        pairs, distractors = [], []
        for sub in self.node.findall("subquestion"):
            prompt, answer = _rich(sub), sanitise(sub.findtext("answer/text") or "", False)
            if prompt:
                pairs.append(MatchPair(prompt, answer))
            else:
                distractors.append(answer)
        if len(pairs) < 2:
            self.error("a matching question needs at least 2 pairs; not imported")
            return None
        return Matching(self.meta(), self.stem, tuple(pairs), tuple(distractors))


_SUPPORTED = {"multichoice", "truefalse", "shortanswer", "numerical", "matching"}


def _load(text: str, context: ImportContext) -> Element | None:
    try:
        root = fromstring(text, forbid_dtd=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        context.error(1, "xml", HOSTILE)
        return None
    except ParseError as error:
        context.error(error.position[0], "xml", f"not well-formed XML: {error}")
        return None
    if root.tag != "quiz":
        context.error(1, "xml", f"the top element is <{root.tag}>, not <quiz>: "
                                "not a Moodle XML question file")
        return None
    return root


def parse_moodle_xml(text: str, path: str, default_topic: str = "guidelines", code_year: int = 2026,
                     bank_id: str = "") -> ImportResult:
    """All questions of a Moodle XML file as items, plus every problem found."""
    context = ImportContext(path, default_topic, code_year, bank_id)
    root = _load(text.lstrip("\ufeff"), context)
    lines = _question_lines(text)
    for index, node in enumerate(root.findall("question") if root is not None else []):
        kind = node.get("type", "")
        if kind == "category":
            context.category = node.findtext("category/text") or ""
            continue
        reader = _Reader(context, node, index + 1, lines[index] if index < len(lines) else 0)
        if kind not in _SUPPORTED:
            reader.error(f"{kind or 'untyped'} questions are not supported; not imported")
            continue
        try:
            item = getattr(reader, kind)()
        except ValueError as error:  # a fraction, tolerance or multiplier that is not a number
            reader.error(f"a number cannot be read ({error}); not imported")
            continue
        if item is not None:
            raw = "".join(node.itertext()) + ("<file>" if node.find(".//file") is not None else "")
            context.add(item, reader.where, raw)
    return finish(context)


# ---- export ------------------------------------------------------------------------------

def _field(parent: Element, tag: str, text: str, **attributes: str) -> Element:
    node = ET.SubElement(parent, tag, attributes)
    ET.SubElement(node, "text").text = text
    return node


def _formatted(parent: Element, tag: str, text: str) -> Element:
    return _field(parent, tag, text, format="html" if looks_like_html(text) else "markdown")


def _answer(parent: Element, text: str, fraction: float, feedback: str) -> Element:
    node = _formatted(parent, "answer", text)
    node.set("fraction", percent_text(fraction))
    _formatted(node, "feedback", feedback)
    return node


def _fill(question: Element, item: Item) -> None:
    """The type's own elements (answers, subquestions, flags) for one item."""
    if isinstance(item, (SingleChoice, MultipleResponse)):
        single = isinstance(item, SingleChoice)
        ET.SubElement(question, "single").text = "true" if single else "false"
        ET.SubElement(question, "shuffleanswers").text = "true" if item.shuffle else "false"
        ET.SubElement(question, "answernumbering").text = "abc"
        right = sum(1 for option in item.options if option.correct) or 1
        weighted = single or any(option.weight for option in item.options)
        for option in item.options:
            fraction = 1.0 if single and option.correct else option.weight
            if not weighted:  # Moodle's equivalent of "right options share, wrong ones take away"
                fraction = (1 if option.correct else -1) / right
            _answer(question, option.text, fraction, option.feedback)
    elif isinstance(item, TrueFalse):
        _answer(question, "true", 1.0 if item.answer else 0.0, item.feedback_true)
        _answer(question, "false", 0.0 if item.answer else 1.0, item.feedback_false)
    elif isinstance(item, ShortAnswer):
        ET.SubElement(question, "usecase").text = "1" if item.case_sensitive else "0"
        for option in item.answers:
            _answer(question, option.text, option.weight, option.feedback)
    elif isinstance(item, Numeric):
        for value in item.answers:
            node = _answer(question, repr(value.value), value.weight, value.feedback)
            ET.SubElement(node, "tolerance").text = repr(value.tolerance)
        if item.unit:
            unit = ET.SubElement(ET.SubElement(question, "units"), "unit")
            ET.SubElement(unit, "multiplier").text = "1"
            ET.SubElement(unit, "unit_name").text = item.unit
    elif isinstance(item, Matching):
        pairs = [(pair.prompt, pair.answer) for pair in item.pairs]
        for prompt, answer in pairs + [("", text) for text in item.distractors]:
            _field(_formatted(question, "subquestion", prompt), "answer", answer)


_TYPES = {SingleChoice: "multichoice", MultipleResponse: "multichoice", TrueFalse: "truefalse",
          ShortAnswer: "shortanswer", Numeric: "numerical", Matching: "matching"}


def export_moodle_xml(bank: Bank) -> tuple[str, list[Problem]]:
    """The bank as Moodle XML; coding cases (no Moodle equivalent) are reported as skipped."""
    quiz, problems, category, manifest = ET.Element("quiz"), [], "", bank.manifest
    quiz.append(ET.Comment(f" {manifest.title} (bank {manifest.id}, version {manifest.version}) "))
    for item in bank.items:
        kind = _TYPES.get(type(item))
        if kind is None:
            problems.append(skipped(bank, item))
            continue
        if export_category(item.meta) != category:
            category = export_category(item.meta)
            _field(ET.SubElement(quiz, "question", type="category"), "category", category)
        question = ET.SubElement(quiz, "question", type=kind)
        _field(question, "name", item.meta.title)
        _formatted(question, "questiontext", item.stem)
        rationale = item.meta.rationale if item.meta.rationale != PLACEHOLDER_RATIONALE else ""
        _formatted(question, "generalfeedback", rationale)
        ET.SubElement(question, "defaultgrade").text = "1"
        _fill(question, item)
    ET.indent(quiz)
    text = ET.tostring(quiz, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n', problems
