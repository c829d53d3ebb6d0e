"""Tabular references as the notes print them, including a range whose end carries a dash."""

from __future__ import annotations

import pytest

from app.core.codes import ref_covers
from app.core.drills.pools import ref_bounds


@pytest.mark.parametrize(("ref", "code", "covered"), [
    ("I63.3-I63.5-", "I63.331", True),  # Excludes1 at I67: "(I63.3-I63.5-)"
    ("I63.3-I63.5-", "I63.59", True),
    ("I63.3-I63.5-", "I63.6", False),
    ("I63.3-I63.5-", "I63.20", False),
    ("E10-E13", "E11.9", True),
    ("S52.-", "S52.521A", True),
    ("P91.82-", "P91.821", True),
    ("P91.82-", "P91.81", False),
])
def test_references_cover_what_they_print(ref: str, code: str, covered: bool) -> None:
    assert ref_covers(ref, code) is covered
    low, high = ref_bounds(ref)
    flat = code.replace(".", "")
    assert (low <= flat[: len(low)] and flat[: len(high)] <= high) is covered
