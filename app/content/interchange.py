"""What GIFT and Moodle XML import/export share: sanitising, ids, categories, the report.

Moodle files come from outside, so their HTML is cleaned with nh3 before it reaches a bank,
and every question we cannot represent is reported by name and position (a Problem) rather
than dropped. See docs/moodle-interchange.md for the mapping and the decisions made here.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from dataclasses import dataclass, field

import nh3

from app.content.bank_items import default_title
from app.core.models import Bank, Item, ItemMeta, Matching, Option, SourceRef
from app.core.problems import Problem, Severity
from app.core.topics import TOPICS

DEFAULT_TOPIC = "guidelines"
DEFAULT_CODE_YEAR = 2026
# The format requires a rationale; Moodle's general feedback is optional. Items without one
# get this text, which export leaves out again so it never travels back to Moodle.
PLACEHOLDER_RATIONALE = "No rationale was given in the imported file; add one."

# Formatting an HTML question may keep; everything else (script, style, iframe, img, event
# attributes, javascript: links) is removed. Markdown passes this inline HTML through.
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "sub", "sup", "br", "p", "ul", "ol", "li", "code",
                "pre", "a", "span", "table", "thead", "tbody", "tr", "th", "td", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
MEDIA = re.compile(r"<\s*(img|audio|video|object|embed|iframe|source)\b|<file\b|@@PLUGINFILE@@",
                   re.IGNORECASE)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")
_OUTER_P = re.compile(r"^\s*<p>((?:(?!</?p>).)*)</p>\s*$", re.DOTALL)

# Category names (lower-case slugs) that name a topic other than by its id.
TOPIC_ALIASES = {
    "icd-10-cm": "icd10cm", "icd10-cm": "icd10cm", "diagnosis": "icd10cm", "diagnoses": "icd10cm",
    "icd-10-pcs": "icd10pcs", "icd10-pcs": "icd10pcs", "pcs": "icd10pcs",
    "hcpcs-level-ii": "hcpcs", "modifiers": "hcpcs",
    "e-m": "evaluation-management", "em": "evaluation-management",
    "e-and-m": "evaluation-management",
    "medical-terminology": "terminology", "anatomy-and-physiology": "anatomy", "a-and-p": "anatomy",
    "billing": "billing-claims", "claims": "billing-claims", "payment": "reimbursement",
    "pathology": "pathology-lab", "laboratory": "pathology-lab", "lab": "pathology-lab",
    "coding-guidelines": "guidelines", "regulatory": "compliance",
}
_CATEGORY_ROOTS = {"$course$", "$system$", "$module$", "$cat1$", "top", "default"}


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


def sanitise(text: str, html: bool) -> str:
    """Text for a bank: HTML (or anything carrying tags) cleaned by nh3; plain text left alone.

    One paragraph wrapped in <p> is unwrapped, so `<p>Question</p>` becomes `Question`;
    the result is stable when cleaned again, which keeps round trips exact.
    """
    text = text.strip()
    if not (html or looks_like_html(text)):
        return text
    cleaned = nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None)
    cleaned = cleaned.strip()
    match = _OUTER_P.match(cleaned)
    return match.group(1).strip() if match else cleaned


def plain(text: str) -> str:
    """Text with every tag removed (titles and names are plain text)."""
    return " ".join(html.unescape(nh3.clean(text, tags=set())).split())


def slug(text: str, limit: int = 48) -> str:
    """Lower-case letters, digits and dashes, as item ids and tags need."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value[:limit].rstrip("-")


def category_parts(path: str) -> list[str]:
    """`$course$/Iota/Kappa` -> ["Iota", "Kappa"]: the path without Moodle's context roots."""
    parts = [part.strip() for part in path.split("/") if part.strip()]
    return [part for part in parts if part.lower() not in _CATEGORY_ROOTS]


def category_topic_tags(path: str, default_topic: str) -> tuple[str, tuple[str, ...]]:
    """Topic and tags for a category: a segment naming a topic sets it, the rest become tags."""
    topic, tags = default_topic, []
    for part in category_parts(path):
        name = slug(part)
        if name in TOPICS or name in TOPIC_ALIASES:
            topic = TOPIC_ALIASES.get(name, name)
        elif name and name not in tags:
            tags.append(name)
    return topic, tuple(tags)


def export_category(meta: ItemMeta) -> str:
    """The Moodle category an item goes to: its tags, then its topic (read back the same way)."""
    return "/".join(("$course$",) + meta.tags + (meta.topic,))


def percent_text(fraction: float) -> str:
    """A weight as Moodle writes percentages: up to 5 decimals, no trailing zeros."""
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class IdMaker:
    """Stable ids: the slug of the title (or of the stem), else a hash; unique within the bank."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, title: str, stem: str) -> str:
        digest = hashlib.sha1(stem.encode(), usedforsecurity=False).hexdigest()[:8]
        base = slug(title or default_title(stem)) or f"q-{digest}"
        candidate, number = base, 2
        while candidate in self.used:
            candidate, number = f"{base}-{number}", number + 1
        self.used.add(candidate)
        return candidate


@dataclass
class ImportContext:
    """Settings of one import and what it collects: items, problems, the current category."""

    path: str
    default_topic: str = DEFAULT_TOPIC
    code_year: int = DEFAULT_CODE_YEAR
    bank_id: str = ""
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    category: str = ""
    ids: IdMaker = field(default_factory=IdMaker)
    placeholders: int = 0

    def error(self, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, where, message))

    def warning(self, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, where, message, Severity.WARNING))

    def add(self, item: Item, where: str, raw: str = "") -> None:
        """Keep an item the bank format accepts; refuse (by name and line) one it would not.

        `raw` is the question's source text: media in it are removed by sanitising, which the
        instructor must hear about, since the question may not make sense without them.
        """
        why, line = item_problem(item), item.meta.source.line
        if why:
            self.error(line, where, f"'{item.meta.title}': {why}; not imported")
            return
        if MEDIA.search(raw):
            self.warning(line, where, f"'{item.meta.title}': images and media are not imported; "
                                      "check that the question still makes sense")
        self.items.append(item)
        self.placeholders += item.meta.rationale == PLACEHOLDER_RATIONALE

    def meta(self, title: str, stem: str, rationale: str, line: int) -> ItemMeta:
        """The meta every imported item carries (topic and tags from the current category)."""
        topic, tags = category_topic_tags(self.category, self.default_topic)
        rationale = rationale if rationale.strip() else PLACEHOLDER_RATIONALE
        title = plain(title) or default_title(stem)
        return ItemMeta(id=self.ids.make(title, stem), topic=topic, tags=tags, rationale=rationale,
                        code_year=self.code_year, author="imported",
                        source_note=f"imported from {self.path}", title=title, bank=self.bank_id,
                        source=SourceRef(self.path, line))


@dataclass(frozen=True)
class ImportResult:
    items: tuple[Item, ...]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity is Severity.ERROR]

    def counts(self) -> Counter[str]:
        return Counter(item.type.value for item in self.items)


def finish(context: ImportContext) -> ImportResult:
    if context.placeholders:
        context.warning(0, "rationale", f"{context.placeholders} question(s) had no general "
                                        "feedback; their rationale says so and should be written")
    return ImportResult(tuple(context.items), tuple(context.problems))


def skipped(bank: Bank, item: Item) -> Problem:
    """The warning for an item export leaves out (a coding case: Moodle has nothing like it)."""
    return Problem(bank.path, item.meta.source.line, item.meta.id,
                   "coding cases have no Moodle equivalent; skipped", Severity.WARNING)


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


def _repeat(texts: list[str], what: str) -> str:
    seen: set[str] = set()
    for text in texts:
        if not text.strip():
            return f"{what} has an empty text"
        if _same(text) in seen:
            return f"{what} repeats '{text}'"
        seen.add(_same(text))
    return ""


def item_problem(item: Item) -> str:
    """What the bank format would refuse in an imported item (the loader's per-item rules)."""
    if not item.stem.strip():
        return "the question text is empty"
    options = getattr(item, "options", None) or getattr(item, "answers", None) or ()
    if any(isinstance(o, Option) and not -1 <= o.weight <= 1 for o in options):
        return "a weight is outside -100 % to 100 %"
    if isinstance(item, Matching):
        answers = {_same(pair.answer) for pair in item.pairs}
        clash = [text for text in item.distractors if _same(text) in answers]
        empty = "" in answers or any(not text.strip() for text in item.distractors)
        return (_repeat([pair.prompt for pair in item.pairs], "a prompt")
                or ("an answer has an empty text" if empty else "")
                or (f"the extra answer '{clash[0]}' is also a right answer" if clash else ""))
    texts = [o.text for o in options if isinstance(o, Option)]
    return _repeat(texts, "an answer") if texts else ""


def single_or_multiple(options: list[Option]) -> str:
    """Why a choice question is refused, or "" when its weights make sense."""
    full = sum(1 for option in options if option.correct)
    if full == 1:
        return ""
    return f"{full} answers earn full credit; a single-answer question needs exactly one"


def multiple_weights_problem(weights: list[float]) -> str:
    """Moodle's own rule: the positive fractions of a multiple-answer question add up to 100 %."""
    total = sum(weight for weight in weights if weight > 0) * 100
    if not any(weight > 0 for weight in weights):
        return "no answer earns credit; at least one answer needs a positive weight"
    if abs(total - 100) > 0.01:
        return f"the positive weights add up to {total:.5g} %, not 100 %"
    return ""
