"""Coding-case verdicts on the real ICD-10-CM, HCPCS and CPT data (session `codeset` fixture)."""

from __future__ import annotations

import pytest

from app.core.codeset import CodeSystem, NoteKind
from app.core.models import (
    AnswerKey, CodingCase, ForbiddenCode, GradeResult, ItemMeta, KeyLine, KeySection, ScoringPolicy,
)
from app.core.scoring import grade

CM, CPT, HCPCS = CodeSystem.ICD10CM, CodeSystem.CPT, CodeSystem.HCPCS


def case(*sections: KeySection, policy: ScoringPolicy | None = None) -> CodingCase:
    return CodingCase(ItemMeta(id="case", topic="icd10cm"), "Assign the codes.", "SYNTHETIC.",
                      AnswerKey(tuple(sections), policy))


def dx(*codes: str | tuple[str, ...], ordered: bool = False, first: int | None = None,
       forbidden: tuple[ForbiddenCode, ...] = (), optional: tuple[int, ...] = ()) -> KeySection:
    lines = tuple(KeyLine(code if isinstance(code, tuple) else (code,), first=(index == first),
                          optional=index in optional) for index, code in enumerate(codes))
    return KeySection(CM, lines, ordered, forbidden, "Diagnoses")


def verdicts(result: GradeResult) -> list[tuple[str, str]]:
    return [(finding.verdict, finding.code) for finding in result.findings]


def only(result: GradeResult, verdict: str):
    found = [finding for finding in result.findings if finding.verdict == verdict]
    assert len(found) == 1, verdicts(result)
    return found[0]


def test_exact_answer_is_correct_with_titles(codeset) -> None:
    result = grade(case(dx("E11.22", "N18.31")), "e1122, N18.31", codeset)
    assert (result.score, result.max_score, result.correct) == (2.0, 2.0, True)
    assert verdicts(result) == [("correct", "E11.22"), ("correct", "N18.31")]
    assert "diabetic chronic kidney disease" in result.findings[0].message


def test_seventh_character_names_both_encounters(codeset) -> None:
    finding = only(grade(case(dx("S52.521A")), "S52.521D", codeset), "wrong_seventh_character")
    assert (finding.code, finding.related) == ("S52.521D", "S52.521A")
    assert "7th character A" in finding.message and "subsequent encounter" in finding.message
    assert "initial encounter" in finding.message


def test_left_for_right_is_laterality(codeset) -> None:
    result = grade(case(dx("S52.521A")), "S52.522A", codeset)
    finding = only(result, "wrong_laterality")
    assert "left" in finding.message and "right" in finding.message
    assert only(result, "missing").code == "S52.521A"
    assert result.score == 0


def test_unspecified_side_is_laterality_too(codeset) -> None:
    assert only(grade(case(dx("S52.521A")), "S52.529A", codeset), "wrong_laterality").related == "S52.521A"


def test_category_header_is_not_billable(codeset) -> None:
    finding = only(grade(case(dx("I10")), "E11", codeset), "not_billable")
    assert "heading" in finding.message and "E11" in finding.message


def test_seventh_character_missing_is_not_billable_with_the_table(codeset) -> None:
    finding = only(grade(case(dx("I10")), "S52.522", codeset), "not_billable")
    assert "7th character" in finding.message


def test_heading_above_a_key_code_is_less_specific(codeset) -> None:
    finding = only(grade(case(dx("E11.22")), "E11.2", codeset), "less_specific")
    assert finding.related == "E11.22"


def test_code_not_in_the_set_is_invalid(codeset) -> None:
    finding = only(grade(case(dx("E11.22")), "E11.99", codeset), "invalid_code")
    assert "ICD-10-CM" in finding.message


def test_same_category_is_related(codeset) -> None:
    assert only(grade(case(dx("E11.22")), "E11.9", codeset), "related_code").related == "E11.22"


def test_unrelated_valid_code_is_extra(codeset) -> None:
    result = grade(case(dx("E11.22")), "E11.22 I10", codeset)
    assert verdicts(result) == [("correct", "E11.22"), ("extra", "I10")]
    # per_line: an extra code is over-coding, right / max(entered, key) = 1 / 2 (docs "Over-coding")
    assert (result.score, result.correct) == (0.5, False)


def test_forbidden_reference_gives_the_keys_reason(codeset) -> None:
    key = dx("E11.65", forbidden=(ForbiddenCode("R73.-", "Hyperglycemia is integral to diabetes mellitus"),))
    finding = only(grade(case(key), "E11.65 R73.9", codeset), "forbidden")
    assert finding.code == "R73.9" and "integral to diabetes" in finding.message


def test_first_listed_rule_is_wrong_position_and_costs_half(codeset) -> None:
    result = grade(case(dx("E11.22", "N18.31", first=0)), "N18.31 E11.22", codeset)
    assert only(result, "wrong_position").code == "E11.22"
    assert result.score == 1.5


def test_ordered_section_marks_the_code_out_of_order(codeset) -> None:
    result = grade(case(dx("E11.22", "N18.31", "I10", "Z79.4", ordered=True)), "E11.22 I10 Z79.4 N18.31", codeset)
    assert [f.code for f in result.findings if f.verdict == "wrong_position"] == ["N18.31"]
    assert result.score == 3.5


def test_alternatives_and_optional_lines(codeset) -> None:
    key = dx("E11.22", ("Z79.4", "Z79.84"), optional=(1,))
    assert grade(case(key), "E11.22", codeset).correct
    result = grade(case(key), "E11.22 Z79.84", codeset)
    assert result.correct and result.max_score == 1.0
    assert ("correct", "Z79.84") in verdicts(result)


def test_duplicate_code_is_extra(codeset) -> None:
    result = grade(case(dx("E11.22")), "E11.22 E11.22", codeset)
    assert verdicts(result) == [("correct", "E11.22"), ("extra", "E11.22")]


def test_missing_line_carries_its_comment(codeset) -> None:
    key = KeySection(CM, (KeyLine(("E11.22",)), KeyLine(("N18.31",), comment="The stage comes from the record")))
    finding = only(grade(case(key), "E11.22", codeset), "missing")
    assert finding.code == "N18.31" and "stage comes from the record" in finding.message


def test_excludes1_pair_comes_from_the_tabular_notes(codeset) -> None:
    notes = codeset.notes_in_scope("E11.9", CM, NoteKind.EXCLUDES1)
    assert any("E13.-" in note.refs for note in notes)  # the data says it, not this test
    finding = only(grade(case(dx("E11.9")), "E11.9, E13.9", codeset), "excludes1_conflict")
    assert {finding.code, finding.related} == {"E11.9", "E13.9"} and "Excludes1" in finding.message


def test_excludes1_with_suffix_names_only_those_subcodes(codeset) -> None:
    assert only(grade(case(dx("G63")), "G63 E11.42", codeset), "excludes1_conflict").related in ("G63", "E11.42")
    assert "excludes1_conflict" not in [v for v, _ in verdicts(grade(case(dx("G63")), "G63 E11.9", codeset))]


def test_manifestation_before_its_etiology_is_sequencing(codeset) -> None:
    result = grade(case(dx("N18.31", "D63.1")), "D63.1 N18.31", codeset)
    finding = only(result, "sequencing_rule")
    assert (finding.code, finding.related) == ("D63.1", "N18.31") and "code first" in finding.message
    assert "sequencing_rule" not in [v for v, _ in verdicts(grade(case(dx("N18.31", "D63.1")), "N18.31 D63.1", codeset))]


def procedures() -> KeySection:
    return KeySection(HCPCS, (KeyLine(("J1100",), units=4), KeyLine(("L3260",), modifiers=("RT",))))


def test_modifier_and_units_findings_cost_a_quarter_each(codeset) -> None:
    result = grade(case(procedures()), "J1100 x2, L3260-LT-59", codeset)
    assert ("units_wrong", "J1100") in verdicts(result)
    assert only(result, "wrong_side").related == "LT"  # LT for RT is one finding, not a missing and an extra
    assert only(result, "modifier_extra").related == "59"
    assert result.score == 0.75 + 0.5
    assert grade(case(procedures()), "J1100*4 L3260-RT", codeset).correct


def test_cpt_modifiers_on_a_matched_line(codeset) -> None:
    key = KeySection(CPT, (KeyLine(("99213",), modifiers=("25",)), KeyLine(("27786",), modifiers=("RT",))))
    result = grade(case(key), "99213 27786-RT-59", codeset)
    assert {(f.verdict, f.related) for f in result.findings if f.verdict.startswith("modifier")} == {
        ("modifier_missing", "25"), ("modifier_extra", "59")}


def test_codes_are_routed_to_their_sections_and_lists_go_by_position(codeset) -> None:
    item = case(dx("E11.22"), KeySection(CPT, (KeyLine(("99213",)),)))
    assert grade(item, "99213 e11.22", codeset).correct
    assert grade(item, ["E11.22", "99213"], codeset).correct
    wrong_way = grade(item, ["99213", "E11.22"], codeset)
    assert wrong_way.score == 0 and ("extra", "99213") in verdicts(wrong_way)
    assert "is a CPT code; it belongs with the CPT codes, not in the ICD-10-CM answer" in \
        wrong_way.findings[0].message


def test_a_code_from_a_set_the_case_does_not_use_is_extra(codeset) -> None:
    result = grade(case(dx("E11.22")), "E11.22 99213", codeset)
    assert ("extra", "99213") in verdicts(result) and "CPT" in result.findings[1].message


@pytest.mark.parametrize("response", ["", "hello world", 42, None, [7], {"a": 1}, "x2 E11.22-ZZZ"])
def test_malformed_responses_score_zero_with_unreadable(codeset, response: object) -> None:
    result = grade(case(dx("E11.22", "N18.31")), response, codeset)
    assert result.score == 0 and not result.correct
    assert response == "" or "unreadable" in [f.verdict for f in result.findings]


def test_a_malformed_piece_is_unreadable_and_the_rest_is_graded(codeset) -> None:
    result = grade(case(dx("E11.22", "N18.31")), ["E11.22 ???", 7], codeset)
    assert result.score == 1.0
    assert [f.verdict for f in result.findings].count("unreadable") == 2


def test_policies(codeset) -> None:
    key = dx("E11.22", "N18.31")
    answer = "E11.22 I10 E11.99"
    assert grade(case(key), answer, codeset, ScoringPolicy.PER_LINE).score == 0.5  # 1 x 2 / (2 + 2)
    assert grade(case(key), answer, codeset, ScoringPolicy.PER_LINE_DEDUCT).score == 0.0
    assert grade(case(key), "E11.22 N18.31 I10", codeset, ScoringPolicy.PER_LINE_DEDUCT).score == 1.0
    assert grade(case(key), "E11.22 N18.31 I10", codeset, ScoringPolicy.ALL_OR_NOTHING).score == 0.0
    assert grade(case(key), "E11.22 N18.31", codeset, ScoringPolicy.ALL_OR_NOTHING).score == 2.0


def test_item_policy_wins_over_the_banks(codeset) -> None:
    item = case(dx("E11.22", "N18.31"), policy=ScoringPolicy.ALL_OR_NOTHING)
    result = grade(item, "E11.22", codeset, ScoringPolicy.PER_LINE)
    assert result.score == 0.0 and result.extra["policy"] == "all_or_nothing"


@pytest.mark.parametrize(("answer", "phrase"), [("H65.93", "both sides"), ("H65.90", "an unspecified side"),
                                                ("H65.92", "the left side")])
def test_laterality_from_titles_with_ear_and_bilateral(codeset, answer: str, phrase: str) -> None:
    finding = only(grade(case(dx("H65.91")), answer, codeset), "wrong_laterality")
    assert finding.message.startswith(f"{answer} codes {phrase}, but the record documents the right side")


def test_pcs_body_part_side_is_laterality_and_other_joint_is_related(codeset) -> None:
    item = case(KeySection(CodeSystem.ICD10PCS, (KeyLine(("0SR90J9",)),)))  # right hip replacement
    assert only(grade(item, "0SRB0J9", codeset), "wrong_laterality").related == "0SR90J9"  # left hip
    assert only(grade(item, "0SRC0J9", codeset), "related_code").related == "0SR90J9"  # right knee
    assert grade(item, "0sr90j9", codeset).correct
