"""Moodle XML import and export on Moodle's own XML files (../shared/fixtures/moodle)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from app.content.gift import parse_gift
from app.content.interchange import ImportResult
from app.content.moodle_xml import HOSTILE, export_moodle_xml, parse_moodle_xml
from app.core.models import (
    Bank, BankManifest, CodingCase, Item, Matching, MultipleResponse, Numeric, ShortAnswer, SingleChoice, SourceRef,
    TrueFalse,
)

from conftest import SHARED  # the shared folder, found the same way by every test
MOODLE = SHARED / "fixtures" / "moodle"


def parse(name: str) -> ImportResult:
    return parse_moodle_xml((MOODLE / name).read_text(encoding="utf-8"), name)


def comparable(items: tuple[Item, ...]) -> list[Item]:
    return [dataclasses.replace(item, meta=dataclasses.replace(item.meta, source=SourceRef(), source_note=""))
            for item in items]


def bank_of(items: tuple[Item, ...]) -> Bank:
    return Bank(BankManifest("round-trip", "Round trip", "1.0.0", "imported", "unknown", 2026), items)


def quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def test_nested_categories_become_tags_and_essay_is_reported() -> None:
    result = parse("moodle-xml-nested-categories.xml")
    assert result.counts() == {"true_false": 4}
    assert [(item.meta.title, item.meta.tags) for item in result.items] == [
        ("Iota Question", ("iota",)), ("Kappa Question", ("iota", "kappa")),
        ("Lambda Question", ("iota", "kappa", "lambda")), ("Mu Question", ("iota", "mu"))]
    assert all(isinstance(item, TrueFalse) and item.answer for item in result.items)
    assert result.items[0].stem == "Testing Iota Question"  # <p> unwrapped
    (essay,) = result.errors
    assert (essay.line, essay.field) == (55, "question 4 (essay)")
    assert "'Kappa Essay Question'" in essay.message and "not supported" in essay.message


def test_invalid_grades_are_reported() -> None:
    result = parse("moodle-xml-invalid-grades.xml")
    assert result.items == ()
    (problem,) = result.errors
    assert (problem.line, problem.field) == (4, "question 1 (multichoice)")
    assert problem.message == ("'Question with invalid grades : x > 1 & x < 2': the positive weights "
                               "add up to 99.667 %, not 100 %; not imported")  # the name's tags removed


MULTI = """
  <question type="multichoice">
    <name><text>Claim forms</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which go on the <b>CMS-1500</b>?<script>steal()</script></p>]]></text></questiontext>
    <generalfeedback format="html"><text>The CMS-1500 is the professional claim.</text></generalfeedback>
    <single>false</single>
    <answer fraction="50" format="html"><text>Diagnosis pointers</text><feedback><text>Yes.</text></feedback></answer>
    <answer fraction="50" format="html"><text>Procedure codes</text><feedback><text>Yes.</text></feedback></answer>
    <answer fraction="-100" format="html"><text>Revenue codes</text><feedback><text>UB-04 only.</text></feedback></answer>
  </question>"""

OTHERS = """
  <question type="multichoice">
    <name><text>Longest code</text></name>
    <questiontext format="plain_text"><text>How many characters at most?</text></questiontext>
    <single>true</single>
    <shuffleanswers>0</shuffleanswers>
    <answer fraction="0"><text>5</text></answer>
    <answer fraction="100"><text>7</text><feedback format="html"><text>Right.</text></feedback></answer>
    <answer fraction="50"><text>6</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>NOS</text></name>
    <questiontext format="markdown"><text>What does **NOS** mean?</text></questiontext>
    <usecase>1</usecase>
    <answer fraction="100"><text>not otherwise specified</text></answer>
    <answer fraction="50"><text>not specified</text><feedback><text>Almost.</text></feedback></answer>
  </question>
  <question type="numerical">
    <name><text>Coinsurance</text></name>
    <questiontext format="html"><text>Allowed $200, coinsurance 20 %. Patient owes?</text></questiontext>
    <answer fraction="100"><text>40</text><tolerance>0.01</tolerance><feedback><text>Good.</text></feedback></answer>
    <answer fraction="0"><text>*</text><tolerance>0</tolerance></answer>
    <units><unit><multiplier>1</multiplier><unit_name>$</unit_name></unit></units>
  </question>
  <question type="matching">
    <name><text>Suffixes</text></name>
    <questiontext format="html"><text>Match each suffix.</text></questiontext>
    <subquestion format="html"><text>-itis</text><answer><text>inflammation</text></answer></subquestion>
    <subquestion format="html"><text>-ectomy</text><answer><text>removal</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>stone</text></answer></subquestion>
  </question>
  <question type="cloze">
    <name><text>Embedded</text></name>
    <questiontext format="html"><text>{1:SHORTANSWER:=x}</text></questiontext>
  </question>
  <question type="calculated">
    <name><text>Formula</text></name>
  </question>"""


def test_every_supported_type_with_weights_and_feedback() -> None:
    text = quiz(MULTI, OTHERS)
    result = parse_moodle_xml(text, "inline.xml")
    multi, single, short, number, matching = result.items
    assert isinstance(multi, MultipleResponse)
    assert multi.stem == "Which go on the <b>CMS-1500</b>?"  # script removed
    assert [(o.text, o.weight, o.correct, o.feedback) for o in multi.options] == [
        ("Diagnosis pointers", 0.5, True, "Yes."), ("Procedure codes", 0.5, True, "Yes."),
        ("Revenue codes", -1.0, False, "UB-04 only.")]
    assert multi.meta.rationale == "The CMS-1500 is the professional claim."
    assert isinstance(single, SingleChoice) and not single.shuffle and multi.shuffle
    assert [(o.text, o.correct, o.weight, o.feedback) for o in single.options] == [
        ("5", False, 0.0, ""), ("7", True, 0.0, "Right."), ("6", False, 0.5, "")]
    assert isinstance(short, ShortAnswer) and short.case_sensitive and short.stem == "What does **NOS** mean?"
    assert [(a.text, a.weight, a.feedback) for a in short.answers] == [
        ("not otherwise specified", 1.0, ""), ("not specified", 0.5, "Almost.")]
    assert isinstance(number, Numeric) and number.unit == "$"
    assert [(a.value, a.tolerance, a.weight, a.feedback) for a in number.answers] == [(40.0, 0.01, 1.0, "Good.")]
    assert isinstance(matching, Matching) and matching.distractors == ("stone",)
    assert [(p.prompt, p.answer) for p in matching.pairs] == [("-itis", "inflammation"), ("-ectomy", "removal")]
    lines = text.splitlines()
    expected = [lines.index(f'  <question type="{kind}">') + 1 for kind in ("cloze", "calculated")]
    assert [(p.field, p.line) for p in result.errors] == list(zip(["question 6 (cloze)", "question 7 (calculated)"], expected))
    assert "'Embedded': cloze questions are not supported" in result.errors[0].message
    warnings = [p for p in result.problems if p not in result.errors and p.line]
    assert [(p.field, "'*'" in p.message) for p in warnings] == [("question 4 (numerical)", True)]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz><question type="truefalse"><questiontext><text>&lol3;</text></questiontext></question></quiz>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext><text>&secret;</text></questiontext></question></quiz>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL, '<!DOCTYPE quiz SYSTEM "http://example.org/q.dtd"><quiz/>'])
def test_hostile_xml_is_refused_with_a_clear_message(text: str) -> None:
    result = parse_moodle_xml(text, "evil.xml")
    assert result.items == ()
    assert [str(p) for p in result.problems] == [f"evil.xml:1: xml: {HOSTILE}"]


def test_broken_and_foreign_xml_are_reported() -> None:
    broken = parse_moodle_xml("<quiz>\n<question type='truefalse'>\n</quiz>", "broken.xml")
    assert [(p.line, p.field) for p in broken.problems] == [(3, "xml")]
    assert "not well-formed" in broken.problems[0].message
    other = parse_moodle_xml("<html><body/></html>", "page.xml")
    assert "not <quiz>" in other.problems[0].message


def test_round_trip_moodle_xml_bank_moodle_xml() -> None:
    first = parse("moodle-xml-nested-categories.xml")
    text, skipped = export_moodle_xml(bank_of(first.items))
    second = parse_moodle_xml(text, "again.xml")
    assert skipped == [] and second.errors == []
    assert comparable(second.items) == comparable(first.items)


def test_round_trip_of_every_type_through_moodle_xml() -> None:
    first = parse_moodle_xml(quiz(MULTI, OTHERS), "inline.xml")
    text, _ = export_moodle_xml(bank_of(first.items))
    second = parse_moodle_xml(text, "again.xml")
    assert second.errors == [] and comparable(second.items) == comparable(first.items)


@pytest.mark.parametrize("name", ["gift-examples.txt", "gift-questions.txt", "gift-questions-in-category.txt"])
def test_gift_questions_survive_moodle_xml(name: str) -> None:
    first = parse_gift((MOODLE / name).read_text(encoding="utf-8"), name)
    text, _ = export_moodle_xml(bank_of(first.items))
    second = parse_moodle_xml(text, "again.xml")
    assert second.errors == [] and comparable(second.items) == comparable(first.items)


def test_coding_case_is_reported_as_skipped() -> None:
    from app.content.bank import load_bank

    bank, _ = load_bank(Path(__file__).parent / "samples" / "all-types.yaml")
    assert bank is not None
    cases = [item.meta.id for item in bank.items if isinstance(item, CodingCase)]
    text, skipped = export_moodle_xml(bank)
    assert [p.field for p in skipped] == cases and cases
    assert "no Moodle equivalent" in skipped[0].message
    again = parse_moodle_xml(text, "out.xml")
    assert len(again.items) == len(bank.items) - len(cases) and again.errors == []


def test_numbers_that_cannot_be_read_are_reported() -> None:
    text = quiz('<question type="multichoice"><name><text>Odd</text></name>'
                '<answer fraction="--0"><text>a</text></answer></question>',
                '<question type="numerical"><name><text>Inf</text></name>'
                '<answer fraction="100"><text>inf</text><tolerance>0</tolerance></answer></question>')
    result = parse_moodle_xml(text, "odd.xml")
    assert result.items == ()
    assert [(p.field, "'Odd'" in p.message or "'Inf'" in p.message) for p in result.errors] == [
        ("question 1 (multichoice)", True), ("question 2 (numerical)", True)]


def test_images_removed_by_sanitising_are_reported() -> None:
    text = quiz('<question type="truefalse"><name><text>Film</text></name>'
                '<questiontext format="html"><text><![CDATA[<p>Is this a fracture? '
                '<img src="@@PLUGINFILE@@/xray.png"></p>]]></text>'
                '<file name="xray.png" encoding="base64">iVBORw0KGgo=</file></questiontext>'
                '<answer fraction="100"><text>true</text></answer>'
                '<answer fraction="0"><text>false</text></answer></question>')
    result = parse_moodle_xml(text, "img.xml")
    (item,) = result.items
    assert item.stem == "Is this a fracture?"
    warnings = [p for p in result.problems if p.line]
    assert [(p.field, "'Film': images and media are not imported" in p.message) for p in warnings] == [
        ("question 1 (truefalse)", True)]
    gift = parse_gift('::Pic::[html]Name it <img src\\="a.png">{=tibia ~fibula}', "img.gift")
    assert gift.items[0].stem == "Name it" and [p.line for p in gift.problems if p.line] == [1]
