"""Domain objects: lessons, items of every type, answer keys and grading results.

All are frozen dataclasses with no reference back to a database or a file handle.
`source` fields (file and line) are kept so that messages can point at the origin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.core.codeset import CodeSystem


class ItemType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_RESPONSE = "multiple_response"
    TRUE_FALSE = "true_false"
    NUMERIC = "numeric"
    MATCHING = "matching"
    SHORT_ANSWER = "short_answer"
    CODING_CASE = "coding_case"


class ScoringPolicy(StrEnum):
    """How a coding case's key lines turn into a score (see docs/scoring.md)."""

    PER_LINE = "per_line"  # one point per required line matched
    PER_LINE_DEDUCT = "per_line_deduct"  # as PER_LINE, minus a point per extra/forbidden code
    ALL_OR_NOTHING = "all_or_nothing"  # full marks only for a perfect answer


@dataclass(frozen=True)
class SourceRef:
    """Where a piece of content came from, for messages: file path and 1-based line."""

    path: str = ""
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    module: str  # module id, e.g. "icd10cm-conventions"
    module_title: str
    objectives: tuple[str, ...]
    minutes: int
    body: str  # Markdown, front matter removed
    order: int = 0
    source: SourceRef = SourceRef()


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    lessons: tuple[Lesson, ...]


@dataclass(frozen=True)
class ItemMeta:
    """What every item carries, whatever its type."""

    id: str
    topic: str  # one of app.core.topics.TOPICS
    difficulty: int = 2  # 1 easy, 2 medium, 3 hard
    tags: tuple[str, ...] = ()
    lesson: str = ""  # lesson id
    rationale: str = ""  # Markdown
    code_year: int = 0
    author: str = ""
    source_note: str = ""  # the item's source (book chapter, "original", an import)
    title: str = ""
    bank: str = ""  # bank id
    source: SourceRef = SourceRef()
    area: str = ""  # exam blueprint area (CPC area, CCS/CCA domain); "" means the topic is the area


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool = False
    weight: float = 0.0  # fraction of the item's credit, -1.0..1.0 (multiple response)
    feedback: str = ""


@dataclass(frozen=True)
class SingleChoice:
    meta: ItemMeta
    stem: str
    options: tuple[Option, ...]
    shuffle: bool = True

    type = ItemType.SINGLE_CHOICE


@dataclass(frozen=True)
class MultipleResponse:
    meta: ItemMeta
    stem: str
    options: tuple[Option, ...]
    shuffle: bool = True

    type = ItemType.MULTIPLE_RESPONSE


@dataclass(frozen=True)
class TrueFalse:
    meta: ItemMeta
    stem: str
    answer: bool
    feedback_true: str = ""
    feedback_false: str = ""

    type = ItemType.TRUE_FALSE


@dataclass(frozen=True)
class NumericAnswer:
    value: float
    tolerance: float = 0.0
    weight: float = 1.0
    feedback: str = ""


@dataclass(frozen=True)
class Numeric:
    meta: ItemMeta
    stem: str
    answers: tuple[NumericAnswer, ...]
    unit: str = ""  # shown after the entry box, e.g. "$"

    type = ItemType.NUMERIC


@dataclass(frozen=True)
class MatchPair:
    prompt: str  # e.g. a word part: "-itis"
    answer: str  # e.g. its meaning: "inflammation"


@dataclass(frozen=True)
class Matching:
    meta: ItemMeta
    stem: str
    pairs: tuple[MatchPair, ...]
    distractors: tuple[str, ...] = ()  # extra answers that match no prompt

    type = ItemType.MATCHING


@dataclass(frozen=True)
class ShortAnswer:
    meta: ItemMeta
    stem: str
    answers: tuple[Option, ...]  # accepted texts with weights and feedback
    case_sensitive: bool = False

    type = ItemType.SHORT_ANSWER


@dataclass(frozen=True)
class KeyLine:
    """One line of an answer key: a code, or a set of acceptable alternatives."""

    codes: tuple[str, ...]  # canonical codes; any one of them satisfies the line
    modifiers: tuple[str, ...] = ()  # required modifiers (CPT/HCPCS)
    units: int | None = None  # required units (CPT/HCPCS); None means "not checked"
    optional: bool = False  # earns nothing and costs nothing
    first: bool = False  # must be first-listed / principal in its section
    comment: str = ""  # why this line is in the key (shown after grading)
    source: SourceRef = SourceRef()


@dataclass(frozen=True)
class ForbiddenCode:
    code: str  # a code or a reference such as "R73.-"
    reason: str
    source: SourceRef = SourceRef()


@dataclass(frozen=True)
class KeySection:
    code_set: CodeSystem
    lines: tuple[KeyLine, ...]
    ordered: bool = False  # the learner's order must follow the key's order
    forbidden: tuple[ForbiddenCode, ...] = ()
    label: str = ""  # e.g. "Diagnoses", "Procedures"


@dataclass(frozen=True)
class AnswerKey:
    sections: tuple[KeySection, ...]
    policy: ScoringPolicy | None = None  # None: the bank's policy applies


@dataclass(frozen=True)
class CodingCase:
    meta: ItemMeta
    stem: str  # the instruction: "Assign the ICD-10-CM codes for this encounter."
    note: str  # the synthetic record, Markdown
    key: AnswerKey

    type = ItemType.CODING_CASE


Item = SingleChoice | MultipleResponse | TrueFalse | Numeric | Matching | ShortAnswer | CodingCase


@dataclass(frozen=True)
class BankManifest:
    id: str
    title: str
    version: str
    author: str
    licence: str
    code_year: int
    policy: ScoringPolicy = ScoringPolicy.PER_LINE
    description: str = ""
    source: SourceRef = SourceRef()


@dataclass(frozen=True)
class Bank:
    manifest: BankManifest
    items: tuple[Item, ...]
    path: str = ""


@dataclass(frozen=True)
class Finding:
    """One observation about a response: a verdict, what it concerns, and one sentence."""

    verdict: str  # e.g. "correct", "missing", "wrong_seventh_character" (docs/scoring.md)
    code: str  # the learner's code, or the key line's code for "missing"
    message: str
    section: str = ""  # code-set value of the section, "" for non-coding items
    learner_index: int | None = None  # position of the learner entry it concerns
    key_index: int | None = None  # position of the key line it concerns
    related: str = ""  # a second code the finding cites (the key code, the Excludes1 partner)


@dataclass(frozen=True)
class GradeResult:
    score: float
    max_score: float
    correct: bool
    findings: tuple[Finding, ...] = ()
    feedback: str = ""  # item-level text (chosen option's feedback); the rationale is separate
    extra: dict[str, object] = field(default_factory=dict, hash=False, compare=False)

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0
