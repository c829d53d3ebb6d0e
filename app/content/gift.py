"""Moodle GIFT text <-> bank items.

GIFT is read the way Moodle's own importer reads it (question/format/gift/format.php):
questions are separated by blank lines, `//` lines are comments, `{...}` holds the answers
and decides the type. Escapes are swapped for private characters first so that `\\=` or
`\\:` inside text never counts as syntax. Anything we cannot represent (essay, cloze,
description) becomes a Problem naming the question and its FILE:LINE.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass

from app.content.interchange import (
    PLACEHOLDER_RATIONALE, ImportContext, ImportResult, export_category, finish, looks_like_html,
    skipped,
    multiple_weights_problem, percent_text, sanitise, single_or_multiple,
)
from app.core.models import (
    Bank, Item, Matching, MatchPair, MultipleResponse, Numeric, NumericAnswer, Option, ShortAnswer,
    SingleChoice, TrueFalse,
)
from app.core.problems import Problem, Severity

_PROTECT = {"\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004",
            "}": "\ue005", ":": "\ue006", "n": "\ue007"}
_UNPROTECT = {value: ("\n" if key == "n" else key) for key, value in _PROTECT.items()}
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_CLOZE = re.compile(r"^\d*:[A-Z_]+:")
_TRUE_FALSE = re.compile(r"^(T|F|TRUE|FALSE)\s*(#.*)?$", re.DOTALL | re.IGNORECASE)


def _protect(text: str) -> str:
    return _ESCAPE.sub(lambda match: _PROTECT[match.group(1)], text)


def _unprotect(text: str) -> str:
    return "".join(_UNPROTECT.get(char, char) for char in text)


def _clean(raw: str, html: bool = False, collapse: bool = True) -> str:
    """Protected raw text -> bank text: format marker read, escapes undone, HTML sanitised."""
    match = _FORMAT.match(raw)
    if match:
        html, raw = match.group(1).lower() == "html", raw[match.end():]
    text = _unprotect(raw)
    if collapse:
        text = " ".join(text.split())
    else:  # keep the stem's lines and the indentation of nested Markdown lists
        first, *rest = text.strip().splitlines() or [""]
        body = textwrap.dedent("\n".join(rest)).splitlines()
        text = "\n".join([first.strip()] + [line.rstrip() for line in body])
    return sanitise(text, html)


@dataclass(frozen=True)
class _Answer:
    marker: str  # "=" or "~"
    weight: float | None  # percent as written, None when not given
    text: str  # still protected
    feedback: str  # still protected


def _answers(body: str) -> list[_Answer] | None:
    """`=a#fb ~%50%b` -> answers; None when text comes before the first = or ~."""
    pieces = re.split(r"(?=[=~])", body.strip())
    if pieces and pieces[0].strip():
        return None
    found = []
    for piece in (piece for piece in pieces if piece):
        rest, weight = piece[1:], None
        match = _WEIGHT.match(rest)
        if match:
            weight, rest = float(match.group(1)), rest[match.end():]
        text, _, feedback = rest.partition("#")
        found.append(_Answer(piece[0], weight, text, feedback))
    return found


@dataclass(frozen=True)
class _Question:
    title: str
    stem: str
    body: str  # inside the braces, general feedback removed, protected
    rationale: str
    line: int
    html: bool

    @property
    def name(self) -> str:
        return self.title or self.stem[:40]


def _split_blocks(text: str) -> list[tuple[int, str]]:
    """Blank-line separated blocks with their first line number, comment lines removed."""
    blocks, lines, start = [], [], 0
    for number, line in enumerate(text.splitlines() + [""], start=1):
        if not line.strip():
            if lines:
                blocks.append((start, "\n".join(lines)))
            lines = []
        elif line.lstrip().startswith("$CATEGORY:"):  # its own block, even with no blank line
            if lines:
                blocks.append((start, "\n".join(lines)))
            blocks.append((number, line.strip()))
            lines = []
        elif not line.strip().startswith("//"):
            start = start if lines else number
            lines.append(line)
    return blocks


def _question(block: str, line: int, context: ImportContext) -> _Question | None:
    """Title, format, stem and answer body of one block; reports what cannot be a question."""
    text, title = block.strip(), ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            context.error(line, "title", "a title opened with '::' is never closed")
            return None
        title, text = _unprotect(text[2:end]).strip(), text[end + 2:].strip()
    match = _FORMAT.match(text)
    html = bool(match) and match.group(1).lower() == "html"  # type: ignore[union-attr]
    text = text[match.end():] if match else text
    start, end = text.find("{"), text.rfind("}")
    name = title or " ".join(_unprotect(text[:start] if start >= 0 else text).split())[:40]
    if start < 0 or end < start:
        message = f"'{name}': a description (no answers) is not supported; not imported"
        context.error(line, "type", message)
        return None
    after = text[end + 1:].strip()
    stem = text[:start] + ("_____" + text[end + 1:] if after else "")
    body, _, general = text[start + 1:end].partition("####")
    return _Question(title, _clean(stem, html, collapse=False), body.strip(),
                     _clean(general, html, collapse=False), line, html)


def _refuse(context: ImportContext, question: _Question, message: str,
            severity: Severity = Severity.ERROR) -> None:
    """Report a question by name and line (field `answers`, or `type` for a refused type)."""
    field = "type" if "not supported" in message else "answers"
    report = context.error if severity is Severity.ERROR else context.warning
    report(question.line, field, f"'{question.name}': {message}")


def _choice(question: _Question, answers: list[_Answer], context: ImportContext) -> Item | None:
    single = any(answer.marker == "=" for answer in answers)
    options = []
    for answer in answers:
        default = 100.0 if answer.marker == "=" else 0.0
        percent = answer.weight if answer.weight is not None else default
        text, feedback = _clean(answer.text, question.html), _clean(answer.feedback, question.html)
        if single:
            right = percent >= 100
            options.append(Option(text, right, 0.0 if right else percent / 100, feedback))
        else:
            options.append(Option(text, percent > 0, percent / 100, feedback))
    weights = [option.weight for option in options]
    why = single_or_multiple(options) if single else multiple_weights_problem(weights)
    if why:
        _refuse(context, question, f"{why}; not imported")
        return None
    meta = context.meta(question.title, question.stem, question.rationale, question.line)
    kind = SingleChoice if single else MultipleResponse
    return kind(meta, question.stem, tuple(options))


def _short_answer(question: _Question, answers: list[_Answer],
                  context: ImportContext) -> Item | None:
    options = []
    for answer in answers:
        percent = answer.weight if answer.weight is not None else 100.0
        options.append(Option(_clean(answer.text, question.html), percent == 100, percent / 100,
                              _clean(answer.feedback, question.html)))
    if not any(option.correct for option in options):
        _refuse(context, question, "no answer earns full credit; not imported")
        return None
    meta = context.meta(question.title, question.stem, question.rationale, question.line)
    return ShortAnswer(meta, question.stem, tuple(options))


def _true_false(question: _Question, context: ImportContext) -> Item:
    word, *feedback = question.body.split("#")
    answer = word.strip().upper() in ("T", "TRUE")
    feedback += ["", ""]
    wrong, right = _clean(feedback[0]), _clean(feedback[1])
    meta = context.meta(question.title, question.stem, question.rationale, question.line)
    if answer:
        return TrueFalse(meta, question.stem, True, feedback_true=right, feedback_false=wrong)
    return TrueFalse(meta, question.stem, False, feedback_true=wrong, feedback_false=right)


def _number(text: str) -> NumericAnswer | None:
    """`1822:2`, `3.141..3.142` or `4` -> value and tolerance (a range becomes its midpoint)."""
    text = _unprotect(text).strip()
    try:
        if ".." in text:
            low, high = (float(part) for part in text.split("..", 1))
            answer = NumericAnswer(round((low + high) / 2, 10), round(abs(high - low) / 2, 10))
        else:
            value, _, tolerance = text.partition(":")
            width = abs(float(tolerance)) if tolerance.strip() else 0.0
            answer = NumericAnswer(float(value), width)
    except ValueError:
        return None
    finite = math.isfinite(answer.value) and math.isfinite(answer.tolerance)
    return answer if finite else None


def _numeric(question: _Question, context: ImportContext) -> Item | None:
    body, _, wrong = question.body[1:].partition("~")
    if wrong.strip():
        _refuse(context, question, "feedback for any other answer (~#...) has no place in a "
                                   "numeric item; it was left out", Severity.WARNING)
    text, _, feedback = body.partition("#")
    one = [_Answer("=", None, text, feedback)]
    pieces = _answers(body) if body.strip().startswith("=") else one
    answers = []
    for piece in pieces or []:
        number = _number(piece.text)
        if number is None:
            _refuse(context, question, f"'{_unprotect(piece.text).strip()}' is not a number, "
                                       "a value:tolerance or a min..max range")
            return None
        weight = (piece.weight if piece.weight is not None else 100.0) / 100
        feedback = _clean(piece.feedback, question.html)
        answers.append(NumericAnswer(number.value, number.tolerance, weight, feedback))
    if not any(answer.weight >= 1.0 for answer in answers):
        _refuse(context, question, "no answer earns full credit; not imported")
        return None
    meta = context.meta(question.title, question.stem, question.rationale, question.line)
    return Numeric(meta, question.stem, tuple(answers))


def _matching(question: _Question, answers: list[_Answer], context: ImportContext) -> Item | None:
    pairs, distractors = [], []
    for answer in answers:
        whole = answer.text + ("#" + answer.feedback if answer.feedback else "")
        prompt, _, matched = whole.partition("->")
        prompt_text, matched_text = _clean(prompt, question.html), _clean(matched, question.html)
        if prompt_text:
            pairs.append(MatchPair(prompt_text, matched_text))
        else:
            distractors.append(matched_text)
    if len(pairs) < 2:
        _refuse(context, question, "a matching question needs at least 2 pairs; not imported")
        return None
    meta = context.meta(question.title, question.stem, question.rationale, question.line)
    return Matching(meta, question.stem, tuple(pairs), tuple(distractors))


def _item(question: _Question, context: ImportContext) -> Item | None:
    """Decide the type from the answer body, as Moodle does, and build the item."""
    body = question.body
    cloze = bool(_CLOZE.match(body)) or "{" in body
    unsupported = "essay" if not body else "cloze (embedded answers)" if cloze else ""
    if unsupported:
        _refuse(context, question, f"{unsupported} questions are not supported; "
                                             "not imported")
        return None
    if body.startswith("#"):
        return _numeric(question, context)
    if _TRUE_FALSE.match(body):
        return _true_false(question, context)
    answers = _answers(body)
    if not answers:
        _refuse(context, question, "answers must start with = or ~; not imported")
        return None
    if all(a.marker == "=" and "->" in a.text + a.feedback for a in answers):
        return _matching(question, answers, context)
    if any(answer.marker == "~" for answer in answers):
        return _choice(question, answers, context)
    return _short_answer(question, answers, context)


def parse_gift(text: str, path: str, default_topic: str = "guidelines", code_year: int = 2026,
               bank_id: str = "") -> ImportResult:
    """All questions of a GIFT file as items, plus every problem found (FILE:LINE)."""
    context = ImportContext(path, default_topic, code_year, bank_id)
    for line, block in _split_blocks(_protect(text.lstrip("\ufeff"))):
        if block.startswith("$CATEGORY:"):
            context.category = _unprotect(block[len("$CATEGORY:"):]).strip()
            continue
        question = _question(block, line, context)
        item = _item(question, context) if question else None
        if item is not None:
            context.add(item, "answers", raw=_unprotect(block))
    return finish(context)


# ---- export ------------------------------------------------------------------------------

def _escape(text: str) -> str:
    """Bank text -> GIFT text: control characters escaped, new lines as `\\n`."""
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _marked(text: str) -> str:
    return ("[html]" if looks_like_html(text) else "") + _escape(text)


def _feedback(text: str) -> str:
    return f"#{_marked(text)}" if text else ""


def _num(value: float) -> str:
    """A number written exactly (repr keeps every digit; whole numbers lose the `.0`)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _weight(fraction: float) -> str:
    return f"%{percent_text(fraction)}%"


def _export_body(item: Item) -> list[str]:
    """The answer lines inside the braces for one (non-coding) item."""
    if isinstance(item, SingleChoice):
        return [("=" if o.correct else "~" + (_weight(o.weight) if o.weight else ""))
                + _marked(o.text) + _feedback(o.feedback) for o in item.options]
    if isinstance(item, MultipleResponse):
        right = sum(1 for option in item.options if option.correct) or 1
        weighted = any(option.weight for option in item.options)
        return ["~" + _weight(o.weight if weighted else (1 if o.correct else -1) / right)
                + _marked(o.text) + _feedback(o.feedback) for o in item.options]
    if isinstance(item, TrueFalse):
        right, wrong = ((item.feedback_true, item.feedback_false) if item.answer
                        else (item.feedback_false, item.feedback_true))
        tail = f"#{_marked(wrong)}#{_marked(right)}" if right else ""
        tail = tail or (f"#{_marked(wrong)}" if wrong else "")
        return [("TRUE" if item.answer else "FALSE") + tail]
    if isinstance(item, ShortAnswer):
        return ["=" + ("" if o.weight == 1 else _weight(o.weight)) + _marked(o.text)
                + _feedback(o.feedback) for o in item.answers]
    if isinstance(item, Numeric):
        return ["#"] + ["=" + ("" if a.weight == 1 else _weight(a.weight))
                        + f"{_num(a.value)}:{_num(a.tolerance)}{_feedback(a.feedback)}"
                        for a in item.answers]
    if isinstance(item, Matching):
        pairs = [f"={_marked(pair.prompt)} -> {_marked(pair.answer)}" for pair in item.pairs]
        return pairs + [f"= -> {_marked(text)}" for text in item.distractors]
    raise TypeError(item.type)


def export_gift(bank: Bank) -> tuple[str, list[Problem]]:
    """The bank as GIFT text; coding cases have no GIFT form and are reported as skipped."""
    manifest = bank.manifest
    blocks = [f"// {manifest.title} (bank {manifest.id}, version {manifest.version}), "
              "exported by MedCode Tutor"]
    problems: list[Problem] = []
    category = ""
    for item in bank.items:
        if item.type.value == "coding_case":
            problems.append(skipped(bank, item))
            continue
        if export_category(item.meta) != category:
            category = export_category(item.meta)
            blocks.append(f"$CATEGORY: {category}")
        body = _export_body(item)
        if item.meta.rationale and item.meta.rationale != PLACEHOLDER_RATIONALE:
            body.append("####" + _marked(item.meta.rationale))
        stem = ("[html]" if looks_like_html(item.stem) else "[markdown]") + _escape(item.stem)
        answers = "\n".join(f"    {line}" for line in body)
        blocks.append(f"::{_escape(item.meta.title)}::{stem}{{\n{answers}\n}}")
    return "\n\n".join(blocks) + "\n", problems
