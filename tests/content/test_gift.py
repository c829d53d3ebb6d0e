"""GIFT import and export on Moodle's own GIFT files (../shared/fixtures/moodle)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.content.bank import load_bank
from app.content.bank_writer import bank_to_yaml
from app.content.gift import export_gift, parse_gift
from app.content.interchange import PLACEHOLDER_RATIONALE, ImportResult
from app.core.models import (
    Bank, BankManifest, Item, Matching, MultipleResponse, Numeric, ShortAnswer, SingleChoice, SourceRef, TrueFalse,
)
from app.core.problems import Severity

from conftest import SHARED  # the shared folder, found the same way by every test
MOODLE = SHARED / "fixtures" / "moodle"
GIFT_FILES = ("gift-examples.txt", "gift-questions.txt", "gift-questions-in-category.txt")


def parse(name: str) -> ImportResult:
    return parse_gift((MOODLE / name).read_text(encoding="utf-8"), name)


def by_title(result: ImportResult, title: str) -> list[Item]:
    return [item for item in result.items if item.meta.title == title]


def comparable(items: tuple[Item, ...]) -> list[Item]:
    """Items without where they came from (file, line), which a round trip changes by design."""
    return [dataclasses.replace(item, meta=dataclasses.replace(item.meta, source=SourceRef(), source_note=""))
            for item in items]


def bank_of(items: tuple[Item, ...]) -> Bank:
    return Bank(BankManifest("round-trip", "Round trip", "1.0.0", "imported", "unknown", 2026), items)


@pytest.mark.parametrize(("name", "expected"), [
    ("gift-examples.txt", {"single_choice": 16, "short_answer": 9, "numeric": 8, "true_false": 5,
                           "matching": 3, "multiple_response": 2}),
    ("gift-questions.txt", {"true_false": 3, "matching": 1, "single_choice": 1, "multiple_response": 1,
                            "numeric": 1, "short_answer": 1}),
    ("gift-questions-in-category.txt", {"matching": 1, "single_choice": 1, "short_answer": 1, "true_false": 1}),
])
def test_counts_by_type(name: str, expected: dict[str, int]) -> None:
    assert parse(name).counts() == Counter(expected)


def test_essay_is_reported_by_name_and_line_not_dropped() -> None:
    errors = parse("gift-questions.txt").errors
    assert [(p.line, p.field) for p in errors] == [(2, "type")]
    assert "'Q8'" in errors[0].message and "essay" in errors[0].message
    assert str(errors[0]).startswith("gift-questions.txt:2: type: ")


def test_cloze_and_description_are_reported_with_their_lines() -> None:
    text = ("::Cloze::Match {1:SHORTANSWER:=Paris} and {1:MULTICHOICE:~a~=b}.\n\n"
            "// a comment between questions\n"
            "::Intro::This is only a description.\n\n"
            "::Fine::Two plus two? {#4}\n")
    result = parse_gift(text, "mixed.gift")
    assert [(p.line, "cloze" in p.message, "description" in p.message) for p in result.errors] == [
        (1, True, False), (4, False, True)]
    assert [item.meta.title for item in result.items] == ["Fine"]


def test_multiple_response_weights_and_feedback() -> None:
    (colours,) = by_title(parse("gift-questions.txt"), "colours")
    assert isinstance(colours, MultipleResponse)
    assert [(o.text, o.weight, o.correct, o.feedback) for o in colours.options] == [
        ("yellow", 0.5, True, "right; good!"), ("red", -1.0, False, "wrong"),
        ("off-beige", 0.5, True, "right; good!"), ("blue", -1.0, False, "wrong")]


def test_single_choice_partial_credit_and_feedback() -> None:
    hometown = by_title(parse("gift-examples.txt"), "Jesus' hometown")
    choice = next(item for item in hometown if isinstance(item, SingleChoice))
    assert choice.stem == "Jesus Christ was from _____."
    assert [(o.text, o.correct, o.weight) for o in choice.options] == [
        ("Jerusalem", False, 0.0), ("Bethlehem", False, 0.25), ("Galilee", False, 0.5), ("Nazareth", True, 0.0)]
    assert choice.options[3].feedback == "Yes! That's right!"
    short = next(item for item in hometown if isinstance(item, ShortAnswer))
    assert [(a.text, a.weight) for a in short.answers] == [("Nazareth", 1.0), ("Nazereth", 0.75), ("Bethlehem", 0.25)]


def test_true_false_feedback_and_general_feedback() -> None:
    (q1,) = by_title(parse("gift-questions.txt"), "Q1")
    assert isinstance(q1, TrueFalse) and q1.answer is False
    assert q1.feedback_true == "42 is the Ultimate Answer."  # shown to whoever picks the wrong "true"
    assert q1.feedback_false == "You gave the right answer."
    assert q1.meta.rationale == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    tomb = [i for i in parse("gift-examples.txt").items if isinstance(i, TrueFalse) and i.feedback_true]
    assert [(i.answer, i.feedback_true) for i in tomb] == [(False, "No one is buried in Grant's tomb.")]


def test_numeric_tolerance_range_and_weighted_answers() -> None:
    result = parse("gift-examples.txt")
    (example,) = by_title(result, "Numerical example")
    assert isinstance(example, Numeric)
    assert [(a.value, a.tolerance, a.weight) for a in example.answers] == [(1822, 0, 1.0), (1822, 2, 0.5)]
    assert example.answers[1].feedback == "He was born in 1822. You get 50% credit for being close."
    ranges = [i for i in result.items if isinstance(i, Numeric) and i.answers[0].tolerance == pytest.approx(0.0005)]
    assert [a.value for r in ranges for a in r.answers] == [pytest.approx(3.1415), pytest.approx(3.1415)]
    (q5,) = by_title(parse("gift-questions.txt"), "Q5")
    assert [(a.value, a.tolerance) for a in q5.answers] == [(3.0, 2.0)]  # type: ignore[union-attr]


def test_numeric_wrong_answer_feedback_is_a_warning() -> None:
    warnings = [p for p in parse("gift-questions.txt").problems if p.severity is Severity.WARNING and p.line]
    assert [(p.line, "'Q5'" in p.message) for p in warnings] == [(31, True)]


def test_matching_pairs_formats_and_distractor() -> None:
    (activities,) = by_title(parse("gift-questions.txt"), "Moodle activities")
    assert isinstance(activities, Matching)
    assert activities.stem == "Match the <b>activity</b> to the description."
    assert [p.answer for p in activities.pairs] == ["Forum", "Choice", "Database", "Wiki"]
    assert activities.pairs[1].prompt.startswith("A teacher asks a question")  # [moodle] marker removed
    assert activities.distractors == ("Chat",)


def test_escapes_become_literal_characters() -> None:
    result = parse("gift-examples.txt")
    (control,) = by_title(result, "GIFT Control Characters")
    assert [o.text for o in control.options] == ["~", "=", "#", "{", "}", "\\"]  # type: ignore[union-attr]
    assert control.options[5].correct and control.options[0].feedback == "~ is a control character."  # type: ignore[union-attr]
    (equals,) = by_title(result, "Which answer equals 5?")
    assert [o.text for o in equals.options if o.correct] == ["= 2 + 3"]  # type: ignore[union-attr]


def test_category_html_and_escaped_colon() -> None:
    result = parse("gift-questions-in-category.txt")
    assert {item.meta.tags for item in result.items} == {("default-for-new-features",)}
    (greeting,) = by_title(result, "Greeting")
    assert greeting.stem.startswith('<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this greeting:</a>')
    assert [o.feedback for o in greeting.options] == ["Sorry, listen again.", "Yes, well done!"] + ["Sorry, listen again."] * 2  # type: ignore[union-attr]


def test_category_naming_a_topic_sets_the_topic() -> None:
    text = "$CATEGORY: $course$/Medical Terminology/Suffixes\n\n::S1::-itis means? {=inflammation}\n"
    (item,) = parse_gift(text, "t.gift", default_topic="anatomy").items
    assert (item.meta.topic, item.meta.tags) == ("terminology", ("suffixes",))
    (other,) = parse_gift("::S1::-itis means? {=inflammation}", "t.gift", default_topic="anatomy").items
    assert other.meta.topic == "anatomy"


def test_html_is_sanitised() -> None:
    text = ('::Bad::[html]<p>Pick one<script>alert(1)</script> <b onclick="x()">now</b>'
            '<a href="javascript:evil()">link</a></p>{=<img src\\=x onerror\\=alert(1)>yes ~no}')
    (item,) = parse_gift(text, "bad.gift").items
    assert item.stem == "Pick one <b>now</b><a>link</a>"
    assert item.options[0].text == "yes"  # type: ignore[union-attr]


def test_ids_are_unique_slugs_and_stable() -> None:
    result = parse("gift-examples.txt")
    ids = [item.meta.id for item in result.items]
    assert len(set(ids)) == len(ids)
    assert "jesus-hometown" in ids and "jesus-hometown-2" in ids
    assert ids == [item.meta.id for item in parse("gift-examples.txt").items]


def test_missing_general_feedback_gets_placeholder_and_one_warning() -> None:
    result = parse("gift-questions.txt")
    placeholders = [item for item in result.items if item.meta.rationale == PLACEHOLDER_RATIONALE]
    assert len(placeholders) == 7
    assert [p for p in result.problems if p.field == "rationale"][0].message.startswith("7 question(s)")


@pytest.mark.parametrize("name", GIFT_FILES)
def test_round_trip_gift_bank_gift(name: str) -> None:
    first = parse(name)
    text, skipped = export_gift(bank_of(first.items))
    second = parse_gift(text, "again.gift")
    assert skipped == [] and second.errors == []
    assert comparable(second.items) == comparable(first.items)


@pytest.mark.parametrize("name", GIFT_FILES)
def test_imported_bank_is_written_and_loads_without_problems(name: str, tmp_path: Path) -> None:
    items = parse(name).items
    path = tmp_path / "bank.yaml"
    path.write_text(bank_to_yaml(bank_of(items)), encoding="utf-8")
    bank, problems = load_bank(path)
    assert problems == [] and bank is not None
    assert [i.type for i in bank.items] == [i.type for i in items]
    assert [getattr(i, "options", None) for i in bank.items] == [getattr(i, "options", None) for i in items]


def test_export_escapes_control_characters_and_new_lines() -> None:
    text = "::T\\: x::Is a \\= b \\# c \\~ d \\\\ e\\: \\{1\\}?\\n\\nNext.{=yes\\: 1 #fine \\# ~no}"
    source = parse_gift(text, "t.gift")
    assert source.errors == []
    (item,) = source.items
    assert (item.meta.title, item.stem) == ("T: x", "Is a = b # c ~ d \\ e: {1}?\n\nNext.")
    assert [(o.text, o.feedback) for o in item.options] == [("yes: 1", "fine #"), ("no", "")]  # type: ignore[union-attr]
    exported, _ = export_gift(bank_of(source.items))
    again = parse_gift(exported, "t2.gift")
    assert comparable(again.items) == comparable(source.items)
    tricky = dataclasses.replace(source.items[0], stem="a = {b} ~ c # d: e \\ f\n\ng")
    exported, _ = export_gift(bank_of((tricky,)))
    assert parse_gift(exported, "t3.gift").items[0].stem == "a = {b} ~ c # d: e \\ f\n\ng"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="{}=~#:%->\\.\n \tab01[]$/*T", max_size=80))
def test_any_text_gives_items_or_problems_never_an_exception(text: str) -> None:
    result = parse_gift(text, "fuzz.gift")
    assert all(problem.path == "fuzz.gift" for problem in result.problems)


def test_numbers_that_are_not_finite_are_refused() -> None:
    result = parse_gift("Q? {#nan:1}\n\nR? {#1..inf}\n", "n.gift")
    assert result.items == () and [p.line for p in result.errors] == [1, 3]


def test_category_line_directly_above_a_question_keeps_the_question() -> None:
    text = "// course questions\n$CATEGORY: $course$/Billing\n::B1::Which form do physicians bill on? {=CMS-1500 ~UB-04}\n"
    result = parse_gift(text, "c.gift")
    (item,) = result.items
    assert (item.meta.title, item.meta.topic, item.meta.source.line) == ("B1", "billing-claims", 3)


def test_markdown_stem_with_nested_list_survives_a_round_trip() -> None:
    (item,) = parse_gift("::L::Pick one {=a ~b}", "l.gift").items
    stem = "Which applies?\n\n- first\n  - nested detail\n- second"
    exported, _ = export_gift(bank_of((dataclasses.replace(item, stem=stem),)))
    assert parse_gift(exported, "l2.gift").items[0].stem == stem


@pytest.mark.parametrize(("text", "message"), [
    ("::Dup::Pick {=Same ~same  ~other}", "'Dup': an answer repeats 'same'; not imported"),
    ("::Empty::Pick {=yes ~ ~no}", "'Empty': an answer has an empty text; not imported"),
    ("::Big::Pick {=a ~%-500%b}", "'Big': a weight is outside -100 % to 100 %; not imported"),
    ("::Pairs::Match {=a -> x =b -> y = -> x}", "'Pairs': the extra answer 'x' is also a right answer"),
])
def test_items_the_bank_format_would_refuse_are_reported(text: str, message: str) -> None:
    result = parse_gift(text, "r.gift")
    assert result.items == ()
    assert [str(p).startswith(f"r.gift:1: answers: {message}") for p in result.errors] == [True]


MUTATION = st.lists(st.tuples(st.integers(0, 6000), st.sampled_from(list("{}=~#:%->\\\n \t[]*") + [""])),
                    max_size=12)


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(GIFT_FILES), edits=MUTATION)
def test_whatever_is_imported_loads_as_a_bank_without_problems(name: str, edits: list[tuple[int, str]],
                                                               tmp_path_factory: pytest.TempPathFactory) -> None:
    """Damaged GIFT: every item the importer keeps is one the bank loader accepts."""
    chars = list((MOODLE / name).read_text(encoding="utf-8"))
    for position, char in edits:
        index = position % (len(chars) + 1)
        chars[index:index + (0 if char else 1)] = [char] if char else []
    items = parse_gift("".join(chars), name).items
    if not items:
        return
    path = tmp_path_factory.mktemp("fuzz") / "bank.yaml"
    path.write_text(bank_to_yaml(bank_of(items)), encoding="utf-8")
    bank, problems = load_bank(path)
    assert problems == [] and bank is not None and len(bank.items) == len(items)
