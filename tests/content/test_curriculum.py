"""Every shipped lesson, whatever its module, meets the curriculum's bar (curriculum issue).

Each lesson has objectives, ends with a Sources line naming the official documents behind its
rules, has at least 3 check-yourself items linked by `lesson:`, names only codes that are valid
in their code set (ICD-10-CM and HCPCS Level II in the FY2026 data, CPT in the curated list),
and carries no AMA-style CPT descriptor wording.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from app.content.bank import load_banks
from app.content.lessons import load_lessons
from app.content.wording import descriptor_phrases
from app.core.codeset import CodeSystem

REPO = Path(__file__).resolve().parents[2]
# Codes a lesson shows on purpose as wrong; the lesson says why they do not exist.
INVALID_ON_PURPOSE = {"T78.40A"}
ICD_TOKEN = re.compile(r"(?<![A-Za-z0-9.])([A-TV-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?![A-Za-z0-9])")
# HCPCS Level II and CPT are checked when written as code (in backticks), where the number
# cannot be a dose, a year or a count.
HCPCS_TOKEN = re.compile(r"`([A-V][0-9]{4})(?:-[A-Z0-9]{2})*`")
CPT_TOKEN = re.compile(r"`([0-9]{4}[0-9FTU])(?:-[A-Z0-9]{2})*`")
CODE_LINK = re.compile(r"\]\(code:([^)\s]+)\)")
# ICD-10-PCS codes written as code: seven characters, no I or O. The shipped PCS data holds the
# Medical and Surgical (0) and Obstetrics (1) sections; codes of other sections are checked for
# their form only until a user imports the full CMS tables.
PCS_TOKEN = re.compile(r"`([0-9A-HJ-NP-Z]{7})`")
PCS_SECTIONS_IN_DATA = {"0", "1"}
SOURCES = re.compile(r"^\*\*Sources:\*\*\s+\S", re.MULTILINE)


@pytest.fixture(scope="module")
def lessons() -> list[Any]:
    modules, problems = load_lessons(REPO / "app" / "lessons")
    assert problems == [], problems
    return [lesson for module in modules for lesson in module.lessons]


@pytest.fixture(scope="module")
def linked_items() -> Counter[str]:
    banks, problems = load_banks(REPO / "app" / "question_bank")
    assert not [p for p in problems if p.severity.value == "error"], problems
    return Counter(item.meta.lesson for bank in banks for item in bank.items if item.meta.lesson)


def test_every_lesson_has_objectives_and_a_sources_line_at_the_end(lessons: list[Any]) -> None:
    for lesson in lessons:
        assert lesson.objectives, f"{lesson.id}: no learning objectives"
        paragraphs = [p for p in lesson.body.strip().split("\n\n") if p.strip()]
        assert SOURCES.match(paragraphs[-1].strip()), f"{lesson.id}: does not end with a **Sources:** line"


def test_every_lesson_has_three_linked_check_yourself_items(lessons: list[Any], linked_items: Counter[str]) -> None:
    short = {lesson.id: linked_items[lesson.id] for lesson in lessons if linked_items[lesson.id] < 3}
    assert not short, f"lessons with fewer than 3 linked items: {short}"


def test_every_lesson_has_a_worked_example_and_common_errors(lessons: list[Any]) -> None:
    for lesson in lessons:
        body = lesson.body.lower()
        assert "worked example" in body, f"{lesson.id}: no worked example"
        if lesson.module != "icd10cm-conventions":  # the first module names its errors inline
            assert "## common errors" in body, f"{lesson.id}: no 'Common errors' part"


def _named_codes(body: str) -> list[tuple[CodeSystem | None, str]]:
    found: list[tuple[CodeSystem | None, str]] = [(CodeSystem.ICD10CM, c) for c in ICD_TOKEN.findall(body)]
    found += [(CodeSystem.HCPCS, c) for c in HCPCS_TOKEN.findall(body)]
    found += [(CodeSystem.CPT, c) for c in CPT_TOKEN.findall(body)]
    found += [(CodeSystem.ICD10PCS, c) for c in PCS_TOKEN.findall(body) if c[0] in PCS_SECTIONS_IN_DATA]
    found += [(None, c) for c in CODE_LINK.findall(body)]
    return found


def test_every_code_named_in_a_lesson_is_valid_in_its_code_set(lessons: list[Any], codeset: Any) -> None:
    checked = 0
    for lesson in lessons:
        for system, code in _named_codes(lesson.body):
            if code in INVALID_ON_PURPOSE:
                assert codeset.lookup(code, CodeSystem.ICD10CM) is None, f"{code} was meant as a bad example"
                continue
            info = codeset.lookup(code, system) if system else codeset.lookup(code)
            assert info is not None, f"{lesson.id}: {code} is not a valid {system or 'code'}"
            checked += 1
    assert checked > 100


def test_the_code_check_catches_a_made_up_code(codeset: Any) -> None:
    body = "Report `J0001` and `99999` with S42.001C, and see [X](code:E11.99)."
    bad = [(s, c) for s, c in _named_codes(body) if (codeset.lookup(c, s) if s else codeset.lookup(c)) is None]
    assert {c for _, c in bad} == {"S42.001C", "J0001", "99999", "E11.99"}


def test_no_lesson_reads_like_an_ama_cpt_descriptor(lessons: list[Any]) -> None:
    for lesson in lessons:
        for number, line in enumerate(lesson.body.splitlines(), 1):
            assert not descriptor_phrases(line), f"{lesson.id}, body line {number}: {line!r}"


def test_the_curriculum_has_12_modules_80_lessons_of_500_to_1500_words() -> None:
    modules, problems = load_lessons(REPO / "app" / "lessons")
    assert problems == []
    lessons = [lesson for module in modules for lesson in module.lessons]
    assert len(modules) >= 12, [m.id for m in modules]
    assert len(lessons) >= 80, len(lessons)
    words = {lesson.id: len(lesson.body.split()) for lesson in lessons}
    assert {k: v for k, v in words.items() if not 500 <= v <= 1500} == {}
