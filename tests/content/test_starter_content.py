"""The starter module "ICD-10-CM: structure and conventions" and its bank, checked as data.

Content is shipped to students who study for open-book exams, so a wrong code, a header
code in an answer key, a manifestation keyed first or a lesson that fails to render would
teach the wrong thing. These tests read the real files and check them against the real
FY2026 ICD-10-CM data (simple_icd_10_cm) and the app's own loader, checker and scorer.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from app.content.lessons import load_lessons
from app.content.render import markdown_to_html

REPO = Path(__file__).resolve().parents[2]
MODULE_DIR = REPO / "app" / "lessons" / "icd10cm-conventions"
BANK_PATH = REPO / "app" / "question_bank" / "icd10cm-conventions.yaml"
LESSON_IDS = (
    "icd10cm-structure",
    "icd10cm-conventions-notes",
    "icd10cm-seventh-character",
    "icd10cm-combination-codes",
    "icd10cm-laterality-and-specificity",
)
# Codes a lesson shows on purpose as wrong (the text explains why they do not exist).
INVALID_ON_PURPOSE = {"T78.40A"}
CODE_TOKEN = re.compile(r"(?<![A-Za-z0-9])([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?![A-Za-z0-9])")
# "CODE Title" quoted in running text: a code, one space, then capitalised words.
QUOTED_TITLE = re.compile(CODE_TOKEN.pattern + r" ([A-Z][^|*`\n;:]*)")


@pytest.fixture(scope="module")
def module() -> Any:
    modules, problems = load_lessons(MODULE_DIR)
    assert problems == []
    assert [m.id for m in modules] == ["icd10cm-conventions"]
    return modules[0]


@pytest.fixture(scope="module")
def bank_tree() -> dict[str, Any]:
    tree = YAML(typ="safe", pure=True).load(BANK_PATH.read_text(encoding="utf-8"))
    assert isinstance(tree, dict)
    return tree


def _items(tree: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    return [item for item in tree["items"] if kind is None or item["type"] == kind]


def _key_lines(tree: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (case["id"], line)
        for case in _items(tree, "coding_case")
        for section in case["key"]["sections"]
        for line in section["lines"]
    ]


def _key_codes(line: dict[str, Any]) -> list[str]:
    return [line["code"]] if "code" in line else list(line["any_of"])


# -- lessons ---------------------------------------------------------------------------------
def test_module_has_five_ordered_lessons(module: Any) -> None:
    assert module.title == "ICD-10-CM: structure and conventions"
    assert tuple(lesson.id for lesson in module.lessons) == LESSON_IDS
    for lesson in module.lessons:
        assert lesson.objectives and lesson.minutes > 0


def test_lessons_have_length_objectives_and_check_yourself(module: Any) -> None:
    for lesson in module.lessons:
        words = len(lesson.body.split())
        # The curriculum issue's bound: 500 to 1,500 words of prose per lesson.
        assert 500 <= words <= 1500, f"{lesson.id}: {words} words"
        assert "## Check yourself" in lesson.body, lesson.id


def test_lessons_render_offline_with_a_table_and_a_nested_list(module: Any) -> None:
    pages = [markdown_to_html(lesson.body) for lesson in module.lessons]
    for lesson, html in zip(module.lessons, pages):
        assert html.strip(), lesson.id
        assert "<img" not in html.lower(), lesson.id
        assert not re.search(r"https?://", lesson.body + html), lesson.id
    assert any("<table>" in html for html in pages)
    nested = re.compile(r"<li>(?:(?!</li>).)*<(?:ul|ol)>", re.DOTALL)
    assert any(nested.search(html) for html in pages)


def test_every_code_named_in_a_lesson_is_real(module: Any) -> None:
    import simple_icd_10_cm as cm

    seen: set[str] = set()
    for lesson in module.lessons:
        for code in CODE_TOKEN.findall(lesson.body):
            seen.add(code)
            if code in INVALID_ON_PURPOSE:
                assert not cm.is_valid_item(code), f"{code} was meant as a bad example"
            else:
                assert cm.is_valid_item(code), f"{lesson.id}: {code} is not in FY2026 ICD-10-CM"
    assert {"E11.22", "S52.521A", "W19.XXXA", "G30.9", "F02.80", "I13.0"} <= seen


def _quoted_titles(text: str) -> tuple[int, list[str]]:
    """Count "CODE Title" quotations in `text`; list those unlike the official title."""
    import simple_icd_10_cm as cm

    checked, wrong = 0, []
    for code, quoted in QUOTED_TITLE.findall(" ".join(text.split())):  # titles may wrap
        if not cm.is_valid_item(code):
            continue
        official = cm.get_description(code)
        quoted = re.split(r"\.(?:\s|$)", quoted)[0].strip()
        short = quoted.split(" (")[0] if "(" not in official else quoted
        if not (official.startswith(short) or quoted.startswith(official)):
            wrong.append(f"{code} quoted as {quoted!r}; official: {official!r}")
        checked += 1
    return checked, wrong


def test_title_check_spots_a_misquoted_title() -> None:
    assert _quoted_titles("Use E11.22 Type 1 diabetes with kidney disease here.") == (
        1,
        ["E11.22 quoted as 'Type 1 diabetes with kidney disease here'; official: "
         "'Type 2 diabetes mellitus with diabetic chronic kidney disease'"],
    )


def test_titles_quoted_in_lessons_match_the_official_wording(module: Any) -> None:
    total = 0
    for lesson in module.lessons:
        checked, wrong = _quoted_titles(lesson.body)
        assert wrong == [], lesson.id
        total += checked
    assert total >= 15


# -- bank ------------------------------------------------------------------------------------
def test_bank_manifest(bank_tree: dict[str, Any]) -> None:
    manifest = bank_tree["bank"]
    assert manifest["id"] == "icd10cm-conventions"
    assert manifest["code_year"] == 2026
    assert manifest["licence"] == "CC-BY-4.0"
    assert manifest["author"] == "MedCode Tutor authors"
    assert manifest["policy"] == "per_line"


def test_bank_counts_per_type(bank_tree: dict[str, Any]) -> None:
    counts = Counter(item["type"] for item in _items(bank_tree))
    assert sum(counts.values()) >= 26
    assert counts["single_choice"] >= 14
    assert counts["true_false"] >= 2
    assert counts["multiple_response"] >= 2
    assert counts["matching"] >= 1
    assert counts["numeric"] >= 1
    assert counts["coding_case"] >= 7
    assert {item.get("difficulty") for item in _items(bank_tree)} == {"easy", "medium", "hard"}
    assert {item["topic"] for item in _items(bank_tree)} <= {"icd10cm", "guidelines"}


def test_every_item_names_an_existing_lesson(bank_tree: dict[str, Any], module: Any) -> None:
    lesson_ids = {lesson.id for lesson in module.lessons}
    used = {item["lesson"] for item in _items(bank_tree)}
    assert used <= lesson_ids
    assert used == lesson_ids  # every lesson has practice


def test_single_choice_items_explain_every_distractor(bank_tree: dict[str, Any]) -> None:
    for item in _items(bank_tree, "single_choice"):
        assert item["rationale"].strip(), item["id"]
        for option in item["options"]:
            if not option.get("correct"):
                assert option.get("feedback", "").strip(), f"{item['id']}: {option['text']}"


def test_cases_are_synthetic_and_use_every_key_feature(bank_tree: dict[str, Any]) -> None:
    cases = _items(bank_tree, "coding_case")
    for case in cases:
        assert "synthetic record" in case["note"].lower(), case["id"]
    lines = [line for _, line in _key_lines(bank_tree)]
    assert any(line.get("first") for line in lines)
    assert any("any_of" in line for line in lines)
    assert any(line.get("optional") for line in lines)
    forbidden = [
        rule
        for case in cases
        for section in case["key"]["sections"]
        for rule in section.get("forbidden", [])
    ]
    assert forbidden and all(rule["reason"].strip() for rule in forbidden)


def test_every_key_code_is_a_valid_billable_fy2026_code(bank_tree: dict[str, Any]) -> None:
    import simple_icd_10_cm as cm

    for case_id, line in _key_lines(bank_tree):
        for code in _key_codes(line):
            assert cm.is_valid_item(code), f"{case_id}: {code} is not valid"
            assert cm.is_leaf(code), f"{case_id}: {code} is a header, not billable"
    for case in _items(bank_tree, "coding_case"):
        for section in case["key"]["sections"]:
            for rule in section.get("forbidden", []):
                assert cm.is_valid_item(rule["code"]), f"{case['id']}: forbidden {rule['code']}"


def test_no_manifestation_code_is_keyed_first(bank_tree: dict[str, Any]) -> None:
    import simple_icd_10_cm as cm

    for case_id, line in _key_lines(bank_tree):
        if line.get("first"):
            for code in _key_codes(line):
                titles = [cm.get_description(c) for c in [code, *cm.get_ancestors(code)]]
                assert not any("in diseases classified elsewhere" in t for t in titles), case_id


def test_bank_loads_and_passes_the_full_checker(
    codeset: Any, module: Any, bank_tree: dict[str, Any]
) -> None:
    """The app's checker looks for Excludes1 pairs, manifestations first, code-first order."""
    from app.content.bank import load_bank
    from app.content.checker import check_bank_file

    bank, problems = load_bank(BANK_PATH, codeset)
    assert problems == []
    assert bank is not None and len(bank.items) == len(_items(bank_tree))
    lesson_ids = {lesson.id for lesson in module.lessons}
    assert check_bank_file(BANK_PATH, codeset, lesson_ids) == []


def test_each_case_key_scores_full_and_forbidden_codes_are_flagged(codeset: Any) -> None:
    from app.content.bank import load_bank
    from app.core.models import CodingCase
    from app.core.scoring import grade

    bank, _ = load_bank(BANK_PATH, codeset)
    assert bank is not None
    cases = [item for item in bank.items if isinstance(item, CodingCase)]
    for case in cases:
        section = case.key.sections[0]
        ordered = sorted(section.lines, key=lambda line: not line.first)
        answer = [line.codes[0] for line in ordered if not line.optional]
        result = grade(case, ", ".join(answer), codeset)
        assert result.correct, f"{case.id}: {answer} -> {result.findings}"
        for rule in section.forbidden:
            flagged = grade(case, ", ".join([*answer, rule.code]), codeset)
            assert "forbidden" in {f.verdict for f in flagged.findings}, f"{case.id}: {rule.code}"


def test_titles_quoted_in_the_bank_match_the_official_wording() -> None:
    checked, wrong = _quoted_titles(BANK_PATH.read_text(encoding="utf-8"))
    assert wrong == []
    assert checked >= 10


def test_audited_fracture_tables_match_the_code_data(codeset: Any) -> None:
    """The 7th-character lesson's table of fracture tables agrees with the FY2026 tabular."""
    from app.core.codeset import CodeSystem

    lesson = (MODULE_DIR / "03-seventh-character.md").read_text(encoding="utf-8")
    expected = {
        "S52.531": "ABCDEFGHJKMNPQRS", "S72.001": "ABCDEFGHJKMNPQRS", "S82.001": "ABCDEFGHJKMNPQRS",
        "S42.001": "ABDGKPS", "S62.001": "ABDGKPS", "S92.001": "ABDGKPS",
        "S02.0": "ABDGKS", "S12.000": "ABDGKS", "S22.31": "ABDGKS", "S32.001": "ABDGKS",
        "S52.521": "ADGKPS", "S42.271": "ADGKPS", "S82.311": "ADGKPS",
    }
    for code, letters in expected.items():
        info = codeset.lookup(code, CodeSystem.ICD10CM)
        assert info is not None, code
        assert "".join(s.char for s in info.seventh_characters) == letters, code
    assert "A, B, D, G, K, P, S" in lesson and "A, B, D, G, K, S" in lesson and "A, D, G, K, P, S" in lesson
    assert "one is a form of the other" not in (MODULE_DIR / "02-conventions-notes.md").read_text(encoding="utf-8")
