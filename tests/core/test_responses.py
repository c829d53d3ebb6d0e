"""Reading typed codes: separators, case, dots, modifiers, units and what cannot be read."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.responses import Entry, Unreadable, parse_codes


def entries(text: str) -> list[tuple[str, tuple[str, ...], int]]:
    return [(e.code, e.modifiers, e.units) for e in parse_codes(text) if isinstance(e, Entry)]


def test_separators_case_and_dots() -> None:
    assert entries("e11.22; N18.31,I10\nz79.4  E1165") == [
        ("E1122", (), 1), ("N1831", (), 1), ("I10", (), 1), ("Z794", (), 1), ("E1165", (), 1)]


def test_modifiers_are_attached_with_dashes() -> None:
    assert entries("99213-25 27786-rt-59") == [("99213", ("25",), 1), ("27786", ("RT", "59"), 1)]


def test_units_attached_or_as_the_next_token() -> None:
    assert entries("J1100x4 J1100*2 J1100 x3 J1100 X 5 27786-RT*2") == [
        ("J1100", (), 4), ("J1100", (), 2), ("J1100", (), 3), ("J1100", (), 5), ("27786", ("RT",), 2)]


def test_a_seven_character_pcs_code_is_not_read_as_units() -> None:
    assert entries("0DTJ4ZZ") == [("0DTJ4ZZ", (), 1)]


def test_unreadable_tokens_keep_their_text_and_reason() -> None:
    parsed = parse_codes("x2 hello 99213-ABC J1100 x0")
    bad = [(p.text, p.reason) for p in parsed if isinstance(p, Unreadable)]
    assert [text for text, _ in bad] == ["x2", "hello", "99213-ABC", "x0"]
    assert "must follow a code" in bad[0][1] and "not a modifier" in bad[2][1]


def test_entry_positions_count_across_texts() -> None:
    assert [e.index for e in parse_codes("A00.0 junk B99.9", start=3) if isinstance(e, Entry)] == [3, 4]


def test_long_text_is_cut_and_reported() -> None:
    parsed = parse_codes("I10 " * 2000)
    assert isinstance(parsed[-1], Unreadable) and "5,000" in parsed[-1].reason


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_parses_without_raising(text: str) -> None:
    for item in parse_codes(text):
        assert isinstance(item, (Entry, Unreadable))
