"""The fast bank reader gives the loader exactly the tree ruamel's round-trip reader gives.

Same keys and values, same scalar types (YAML 1.2: `yes` is text, `true` a boolean), the
same line for every mapping, key and list entry, and block scalars marked as blocks; and
whatever it does not handle goes to the ruamel reader (the broken-bank tests check the
messages word for word).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.content.bank_fields import BlockText
from app.content.bank_yaml import parse_reference, parse_text, read_text
from app.content.yaml_fast import NeedsReference, parse_fast, plain_value

REPO = Path(__file__).resolve().parents[2]
YAML_FILES = sorted(REPO.glob("app/question_bank/*.yaml")) + sorted((REPO / "tests").rglob("*.yaml"))


def _same(fast: object, reference: object, path: str = "$") -> None:
    """Equal values, equal scalar kinds, and equal lines everywhere a message can point."""
    if isinstance(reference, dict):
        assert isinstance(fast, dict) and list(fast) == list(reference), path
        assert fast.lc.line == reference.lc.line, path  # type: ignore[attr-defined]
        for key in reference:
            assert fast.lc.key(key)[0] == reference.lc.key(key)[0], f"{path}.{key}"  # type: ignore[attr-defined]
            _same(fast[key], reference[key], f"{path}.{key}")
    elif isinstance(reference, list):
        assert isinstance(fast, list) and len(fast) == len(reference), path
        for index, value in enumerate(reference):
            assert fast.lc.item(index)[0] == reference.lc.item(index)[0], f"{path}[{index}]"  # type: ignore[attr-defined]
            _same(fast[index], value, f"{path}[{index}]")
    else:
        assert fast == reference and type(fast) in (str, int, float, bool, type(None), *BlockText.__subclasses__()), path
        assert isinstance(fast, bool) == isinstance(reference, bool), path
        block = type(reference).__name__ in ("LiteralScalarString", "FoldedScalarString")
        assert isinstance(fast, BlockText) == block, path


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_yaml_file_in_the_project_reads_the_same(path: Path) -> None:
    text, problems = read_text(path)
    if text is None:
        return  # binary junk and bad UTF-8 never reach a YAML reader
    reference, problems = parse_reference(text, str(path))
    try:
        fast = parse_fast(text)
    except NeedsReference:
        assert parse_text(text, str(path)) == (reference, problems) or problems  # the reference reads it
        return
    assert problems == [], f"ruamel refuses {path} but the fast reader read it"
    _same(fast, reference)


@pytest.mark.parametrize(("text", "value"), [
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("true", True), ("False", False), ("2026", 2026), ("-3", -3),
    ("+4", 4), ("0", 0), ("1.5", 1.5), ("-0.25", -0.25), ("~", None), ("null", None), ("", None),
    ("1.0.0", "1.0.0"), ("-x", "-x"), ("E11.9", "E11.9"), ("99213", 99213), ("N18.31", "N18.31"),
    ("12:30", "12:30"), ("tRUE", "tRUE"),
])
def test_plain_scalars_are_typed_as_yaml_1_2(text: str, value: object) -> None:
    assert plain_value(text) == value and type(plain_value(text)) is type(value)
    reference, _ = parse_reference(f"k: {text}\n", "x")
    assert reference["k"] == value and isinstance(reference["k"], bool) == isinstance(value, bool)  # type: ignore[index]


@pytest.mark.parametrize("text", ["0x1F", "0o17", "017", "1_000", "1e3", "1.", ".5", ".inf", ".nan",
                                  "2026-01-05", "2026-1-5 10:00:00", "<<", "="])
def test_unusual_numbers_dates_and_merge_keys_go_to_the_reference_reader(text: str) -> None:
    with pytest.raises(NeedsReference):
        parse_fast(f"k: {text}\n")


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\n---\nb: 2\n", "%YAML 1.1\n---\na: 1\n", "a: 1\na: 2\n",
    "? [a]\n: 1\n", "a: 'unclosed\n", "[" * 80 + "]" * 80 + "\n",
])
def test_what_the_fast_reader_does_not_handle_is_handed_on(text: str) -> None:
    with pytest.raises(NeedsReference):
        parse_fast(text)
    assert parse_text(text, "x") == parse_reference(text, "x")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.-+_eExo:~ tTrRuUfFaAlLsSnNyY#'\"", max_size=8))
def test_any_short_scalar_reads_the_same_or_is_handed_on(text: str) -> None:
    document = f"k: {text}\nlist:\n  - {text}\n"
    reference, problems = parse_reference(document, "x")
    try:
        fast = parse_fast(document)
    except NeedsReference:
        return
    assert problems == []
    _same(fast, reference)
