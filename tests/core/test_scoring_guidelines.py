"""Issue 10: the grader teaches the guideline. One test group per class of defect, each with examples
of our own checked against the FY2026 data (session `codeset` fixture). Rules from the ICD-10-CM
Official Guidelines or NCCI name their section."""

from __future__ import annotations

import pytest

from app.core.codes import shapes_for
from app.core.codeset import CodeSystem
from app.core.models import AnswerKey, CodingCase, ItemMeta, KeyLine, KeySection, ScoringPolicy
from app.core.scoring import grade

CM, CPT, HCPCS, PCS = CodeSystem.ICD10CM, CodeSystem.CPT, CodeSystem.HCPCS, CodeSystem.ICD10PCS


def case(*sections: KeySection, tags: tuple[str, ...] = ()) -> CodingCase:
    return CodingCase(ItemMeta(id="g", topic="icd10cm", tags=tags), "Code it.", "SYNTHETIC.",
                      AnswerKey(tuple(sections)))


def section(system: CodeSystem, *lines: KeyLine | str, first: int | None = None) -> KeySection:
    built = tuple(line if isinstance(line, KeyLine) else KeyLine((line,), first=index == first)
                  for index, line in enumerate(lines))
    return KeySection(system, built)


def found(result, verdict: str):  # type: ignore[no-untyped-def]
    hits = [f for f in result.findings if f.verdict == verdict]
    assert len(hits) == 1, [(f.verdict, f.code) for f in result.findings]
    return hits[0]


def verdicts(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.verdict for f in result.findings]


# -- 1. conditional notes: I.C.19.e.5.a (adverse effect) and I.C.19.e.5.b (poisoning) ------------------
@pytest.mark.parametrize(("poisoning", "manifestation"), [("T39.011A", "K29.70"), ("T36.0X1A", "L27.0")])
def test_poisoning_first_then_manifestation_is_right_I_C_19_e_5_b(codeset, poisoning: str, manifestation: str) -> None:
    item = case(section(CM, poisoning, manifestation))
    right = grade(item, f"{poisoning} {manifestation}", codeset)
    assert right.correct and verdicts(right) == ["correct", "correct"]
    reversed_ = grade(item, f"{manifestation} {poisoning}", codeset)
    message = found(reversed_, "sequencing_rule").message
    assert "poisoning code is sequenced first" in message and "I.C.19.e.5.b" in message


def test_adverse_effect_takes_the_nature_of_the_effect_first_I_C_19_e_5_a(codeset) -> None:
    item = case(section(CM, "K29.70", "T39.015A"))
    assert verdicts(grade(item, "K29.70 T39.015A", codeset)) == ["correct", "correct"]
    late = found(grade(item, "T39.015A K29.70", codeset), "sequencing_rule")
    assert "'code first' note at T36-T50" in late.message and late.related == "K29.70"


def test_a_reference_with_a_character_condition_covers_only_those_codes(codeset) -> None:
    """N14 says code first "poisoning ... (T36-T65 with fifth or sixth character 1-4)": not an adverse effect."""
    assert "sequencing_rule" not in verdicts(grade(case(section(CM, "N14.11", "T36.0X5A")), "N14.11 T36.0X5A", codeset))
    assert "sequencing_rule" in verdicts(grade(case(section(CM, "T36.0X1A", "N14.11")), "N14.11 T36.0X1A", codeset))


# -- 2. over-coding ------------------------------------------------------------------------------
SIBLINGS = [("E11.22", "E11.9"), ("S52.521A", "S52.522A"), ("S52.521A", "S52.521D"), ("S52.521A", "S52.52"),
            ("H65.91", "H65.90")]


@pytest.mark.parametrize(("key", "near"), SIBLINGS)
@pytest.mark.parametrize("policy", list(ScoringPolicy))
def test_a_key_code_plus_its_sibling_is_never_full_credit(codeset, key: str, near: str, policy: ScoringPolicy) -> None:
    """The unspecified sibling, the other side, the other 7th character or the heading of a matched line."""
    item = case(section(CM, key))
    result = grade(item, f"{key} {near}", codeset, policy)
    assert not result.correct and result.score < result.max_score
    assert any(f.verdict != "correct" and f.code for f in result.findings if f.learner_index == 1)


def test_default_policy_divides_by_the_key_plus_the_unmatched_codes(codeset) -> None:
    item = case(section(CM, "E11.22", "N18.31"), section(CPT, "99213"))
    assert grade(item, "E11.22 N18.31 99213", codeset).score == 3
    over = grade(item, "E11.22 N18.31 99213 E11.9 I10", codeset)
    assert (over.score, over.correct) == (round(3 * 3 / 5, 4), False)  # Practicode would give 3 / 5 x 3 too
    helpful = [f for f in over.findings if f.code == "E11.9"]
    assert [f.verdict for f in helpful] == ["related_code"]  # the helpful verdict stays in the message


# -- 3. laterality by meaning -------------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "answer", "phrase"), [
    ("G56.01", "G56.03", "both sides"),  # "right upper limb" / "bilateral upper limbs"
    ("C56.3", "C56.1", "the right side"),  # "bilateral ovaries" / "right ovary"
    ("I70.213", "I70.212", "the left side"),  # "bilateral legs" / "left leg"
])
def test_plural_body_words_are_still_laterality_I_B_13(codeset, key: str, answer: str, phrase: str) -> None:
    finding = found(grade(case(section(CM, key)), answer, codeset), "wrong_laterality")
    assert finding.message.startswith(f"{answer} codes {phrase}")


# -- 4. codes from another code set ----------------------------------------------------------------------
@pytest.mark.parametrize("code", ["G0121", "J3301"])
def test_a_hcpcs_code_in_a_cm_and_cpt_case_is_named_as_hcpcs(codeset, code: str) -> None:
    result = grade(case(section(CM, "Z12.11"), section(CPT, "45378")), f"Z12.11 45378 {code}", codeset)
    finding = next(f for f in result.findings if f.code == code)
    assert finding.verdict == "extra" and "not a valid" not in finding.message
    assert f"{code} (" in finding.message and "is a HCPCS Level II code; this case asks for ICD-10-CM and CPT" \
        in finding.message
    assert not result.correct


def test_a_cpt_code_in_the_diagnosis_box_and_a_pcs_code_in_a_cm_box(codeset) -> None:
    cpt = grade(case(section(CM, "E11.22"), section(CPT, "99213")), ["99213", "E11.22"], codeset)
    assert "is a CPT code; it belongs with the CPT codes, not in the ICD-10-CM answer" in cpt.findings[0].message
    pcs = grade(case(section(CM, "K35.80")), ["K35.80 0DTJ4ZZ"], codeset)
    finding = next(f for f in pcs.findings if f.code == "0DTJ4ZZ")
    assert "is a ICD-10-PCS code; this case asks for ICD-10-CM codes" in finding.message


# -- 6. modifier alternatives and sides (NCCI: X{EPSU} are the specific forms of 59) -------------------------
def test_a_key_may_accept_59_or_xs(codeset) -> None:
    item = case(section(CPT, KeyLine(("20610",), modifiers=("59|XS",))))
    assert grade(item, "20610-XS", codeset).correct and grade(item, "20610-59", codeset).correct
    assert "modifier_missing" in verdicts(grade(item, "20610-XU", codeset))


def test_an_x_modifier_for_59_gets_credit_with_a_payer_note_ncci(codeset) -> None:
    item = case(section(CPT, KeyLine(("20610",), modifiers=("59",))))
    result = grade(item, "20610-XS", codeset)
    assert result.correct and verdicts(result) == ["correct"]
    assert "XS (separate structure) is accepted where the key has 59" in result.findings[0].message
    assert "payer" in result.findings[0].message


def test_the_other_side_is_one_wrong_side_finding(codeset) -> None:
    item = case(section(HCPCS, KeyLine(("L3260",), modifiers=("LT",))))
    result = grade(item, "L3260-RT", codeset)
    assert verdicts(result) == ["correct", "wrong_side"] and result.score == 0.75
    assert "the left side" in found(result, "wrong_side").message


# -- 7. units ----------------------------------------------------------------------------------------
def test_no_units_in_the_key_means_one(codeset) -> None:
    item = case(section(CPT, "20610"))
    result = grade(item, "20610 x2", codeset)
    assert not result.correct and "the key gives no units" in found(result, "units_wrong").message


def test_a_drug_message_names_the_dose_per_unit(codeset) -> None:
    result = grade(case(section(HCPCS, KeyLine(("J1885",), units=2))), "J1885", codeset)
    assert "J1885 is per 15 mg: 30 mg is 2 units" in found(result, "units_wrong").message
    one = grade(case(section(HCPCS, "J1885")), "J1885 x3", codeset)
    assert "J1885 is per 15 mg: 15 mg is 1 unit" in found(one, "units_wrong").message


# -- 8. FY2026 code shapes ---------------------------------------------------------------------------------
def test_a_letter_in_the_second_position_is_a_cm_code(codeset) -> None:
    assert CM in shapes_for("QA0.0131") and CM in shapes_for("qa00131")
    assert codeset.lookup("qa00131").code == "QA0.0131"
    assert grade(case(section(CM, "QA0.0131")), "qa00131", codeset).correct
    assert shapes_for("HELLO") == ()


# -- 9. messages a student misreads ------------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "complete"), [("T36.05A", "T36.0X5A"), ("W19.XXA", "W19.XXXA")])
def test_a_missing_placeholder_x_is_named_I_A_4(codeset, typed: str, complete: str) -> None:
    finding = found(grade(case(section(CM, "K29.70")), typed, codeset), "invalid_code")
    assert f"{typed} is missing its placeholder X" in finding.message and f"The code is {complete}." in finding.message


def test_a_missing_7th_character_names_it_I_A_5(codeset) -> None:
    finding = found(grade(case(section(CM, "S52.521A")), "S52.521", codeset), "less_specific")
    assert "missing its 7th character" in finding.message
    assert "7th character A (initial encounter for closed fracture)" in finding.message


def test_a_heading_whose_first_code_is_billable_is_given_as_the_example_I_B_2(codeset) -> None:
    finding = found(grade(case(section(CM, "I10")), "E11.2", codeset), "not_billable")
    assert "such as E11.21 (Type 2 diabetes mellitus with diabetic nephropathy)" in finding.message
    assert "a code under E11.21" not in finding.message


def test_a_space_before_a_modifier_is_read_with_a_note(codeset) -> None:
    result = grade(case(section(CPT, KeyLine(("99213",), modifiers=("25",)))), "99213 -25", codeset)
    assert result.correct and verdicts(result) == ["correct"]
    assert "write a modifier attached to its code with no space" in result.findings[0].message


def test_two_external_cause_alternatives_are_not_called_a_repeat(codeset) -> None:
    item = case(section(CM, "S52.521A", KeyLine(("W19.XXXA", "W01.0XXA"))))
    finding = found(grade(item, "S52.521A W19.XXXA W01.0XXA", codeset), "extra")
    assert "repeat" not in finding.message and "alternatives for the same key line" in finding.message


def test_outpatient_cases_say_first_listed_inpatient_say_principal_sections_ii_and_iv(codeset) -> None:
    outpatient = case(section(CM, "E11.22", "N18.31", first=0), section(CPT, "99213"))
    message = found(grade(outpatient, "N18.31 E11.22 99213", codeset), "wrong_position").message
    assert "first-listed" in message and "principal" not in message and "Section IV.A" in message
    inpatient = case(section(CM, "E11.22", "N18.31", first=0), tags=("inpatient",))
    assert "principal" in found(grade(inpatient, "N18.31 E11.22", codeset), "wrong_position").message


def test_an_uncurated_cpt_code_shows_no_placeholder_title(codeset) -> None:
    info = codeset.lookup("27590", CPT)
    assert info is not None and info.source == "format"  # known by its number only
    result = grade(case(section(CPT, "27590")), "27590", codeset)
    assert result.findings[0].message == "27590 is right: it is in the key."
    missing = grade(case(section(CPT, "27590")), "", codeset)
    assert "not shipped" not in missing.findings[0].message


# -- 10. annotated answers -------------------------------------------------------------------------------
def test_words_in_parentheses_are_a_note_not_five_unreadable_codes(codeset) -> None:
    result = grade(case(section(CM, "E11.42", "I10")), "E11.42 (type 2 DM with polyneuropathy), I10 (HTN)",
                   codeset)
    assert result.correct and verdicts(result) == ["correct", "correct"]
    assert "('type 2 DM with polyneuropathy') were read as your note and not graded" in result.findings[0].message


def test_codes_check_accepts_the_fy2026_shapes_and_every_code_in_the_data_fits(codeset) -> None:
    from app.codesets.cli import check_line

    assert check_line(codeset, "QA0.0131").split("\t")[:4] == ["QA0.0131", "icd10cm", "yes", "yes"]
    assert check_line(codeset, "qa00131").split("\t")[1:4] == ["icd10cm", "yes", "yes"]
    flats = [row[0] for row in codeset.db.execute(
        "SELECT flat FROM codes WHERE system = 'icd10cm' AND kind IN ('category', 'subcategory', 'code')")]
    assert len(flats) > 90_000 and [flat for flat in flats if CM not in shapes_for(flat)] == []
