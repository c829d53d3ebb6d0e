"""Checks on the curated code-set data files shipped in app/codesets/data.

These files are hand-written, so the checks guard what a typo could break:
column counts, duplicates, code shapes, the D-code ban (ADA's CDT), section
ranges that must tile without overlap, and wording that must stay short.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "app" / "codesets" / "data"

HCPCS_SHAPE = re.compile(r"^[A-CEGHJ-MP-V][0-9]{4}$")
CPT_SHAPE = re.compile(r"^[0-9]{5}$")
MODIFIER_SHAPE = re.compile(r"^[A-Z0-9]{2}$")
CATEGORIES = {
    "drug", "supply", "ambulance", "dme", "orthotic", "prosthetic",
    "procedure", "temporary", "vision", "hearing", "other",
}
MAX_SHORT = 60

FILES = {
    "hcpcs_curated.tsv": ["code", "category", "short", "long"],
    "hcpcs_modifiers.tsv": ["modifier", "short", "long"],
    "cpt_modifiers.tsv": ["modifier", "short", "long"],
    "cpt_sections.tsv": ["low", "high", "section", "subsection"],
    "cpt_codes.tsv": ["code", "short"],
}


def read_rows(name: str) -> list[dict[str, str]]:
    """Read one data file the way the engine is told to: skip # comments, header first."""
    text = (DATA / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    assert header == FILES[name], f"{name}: header {header}"
    rows = []
    for number, row in enumerate(reader, start=2):
        assert len(row) == len(header), f"{name} data row {number}: {len(row)} columns: {row}"
        rows.append(dict(zip(header, row)))
    return rows


def sections() -> list[tuple[int, int, str, str]]:
    return [(int(r["low"]), int(r["high"]), r["section"], r["subsection"])
            for r in read_rows("cpt_sections.tsv")]


@pytest.mark.parametrize("name", sorted(FILES))
def test_file_starts_with_source_comment(name: str) -> None:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    top = []
    for line in lines:
        if not line.startswith("#"):
            break
        top.append(line.lower())
    assert top, f"{name}: no source comment at the top"
    assert "own" in " ".join(top), f"{name}: top comment must say the wording is our own"


@pytest.mark.parametrize("name", sorted(FILES))
def test_no_empty_wording_and_short_is_short(name: str) -> None:
    for row in read_rows(name):
        for field, value in row.items():
            assert value.strip() == value and value, f"{name}: empty or padded {field} in {row}"
        for field in ("short", "section", "subsection"):
            if field in row:
                assert len(row[field]) <= MAX_SHORT, f"{name}: {field} too long: {row[field]!r}"


@pytest.mark.parametrize("name,key", [
    ("hcpcs_curated.tsv", "code"), ("hcpcs_modifiers.tsv", "modifier"),
    ("cpt_modifiers.tsv", "modifier"), ("cpt_codes.tsv", "code"), ("cpt_sections.tsv", "low"),
])
def test_no_duplicate_keys(name: str, key: str) -> None:
    keys = [row[key] for row in read_rows(name)]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"{name}: duplicated {duplicates}"


def test_hcpcs_codes_have_level_two_shape_and_no_cdt() -> None:
    rows = read_rows("hcpcs_curated.tsv")
    bad = [r["code"] for r in rows if not HCPCS_SHAPE.match(r["code"])]
    assert not bad, f"not HCPCS Level II shapes: {bad}"
    assert not [r["code"] for r in rows if r["code"].startswith("D")]
    assert len(rows) >= 300


def test_hcpcs_categories_are_from_the_allowed_list() -> None:
    rows = read_rows("hcpcs_curated.tsv")
    bad = sorted({r["category"] for r in rows} - CATEGORIES)
    assert not bad, f"unknown categories {bad}"


def test_hcpcs_long_wording_is_not_just_the_short() -> None:
    same = [r["code"] for r in read_rows("hcpcs_curated.tsv") if r["long"] == r["short"]]
    assert not same, f"long wording adds nothing for {same}"


def test_hcpcs_modifiers_cover_the_exam_essentials() -> None:
    rows = read_rows("hcpcs_modifiers.tsv")
    have = {r["modifier"] for r in rows}
    assert len(rows) >= 60
    needed = {"LT", "RT", "FA", "TA", "XE", "XS", "XP", "XU", "GA", "GX", "GY", "GZ"}
    needed |= {f"E{n}" for n in range(1, 5)} | {f"F{n}" for n in range(1, 10)}
    needed |= {f"T{n}" for n in range(1, 10)}
    assert not needed - have, f"missing {sorted(needed - have)}"
    assert all(MODIFIER_SHAPE.match(m) for m in have)


def test_cpt_and_hcpcs_modifiers_do_not_collide() -> None:
    cpt = {r["modifier"] for r in read_rows("cpt_modifiers.tsv")}
    hcpcs = {r["modifier"] for r in read_rows("hcpcs_modifiers.tsv")}
    assert not cpt & hcpcs, f"in both files: {sorted(cpt & hcpcs)}"
    assert {"25", "26", "50", "51", "59", "95", "P1", "P6"} <= cpt
    assert all(MODIFIER_SHAPE.match(m) for m in cpt)


def test_cpt_sections_sorted_non_overlapping_and_in_range() -> None:
    found = sections()
    assert found, "no sections"
    for low, high, section, _ in found:
        assert 100 <= low <= high <= 99607, f"{section} {low}-{high} out of range"
    for (low1, high1, *_), (low2, _h, *_r) in zip(found, found[1:]):
        assert low1 < low2, f"not sorted at {low1}/{low2}"
        assert high1 < low2, f"{low1}-{high1} overlaps range starting {low2}"


def test_cpt_sections_use_the_six_section_names() -> None:
    names = {s for _l, _h, s, _sub in sections()}
    assert names == {"Evaluation and Management", "Anesthesia", "Surgery", "Radiology",
                     "Pathology and Laboratory", "Medicine"}


def test_every_listed_cpt_code_falls_in_a_section() -> None:
    ranges = sections()
    rows = read_rows("cpt_codes.tsv")
    assert len(rows) >= 80
    for row in rows:
        assert CPT_SHAPE.match(row["code"]), row
        number = int(row["code"])
        assert any(low <= number <= high for low, high, _s, _sub in ranges), \
            f"{row['code']} is outside every section range"


def test_cpt_code_wording_is_study_label_length() -> None:
    long_ones = [r["code"] for r in read_rows("cpt_codes.tsv") if len(r["short"]) > 45]
    assert not long_ones, f"labels over 45 characters: {long_ones}"


def test_hcpcs_short_wording_tells_codes_apart() -> None:
    shorts = [r["short"] for r in read_rows("hcpcs_curated.tsv")]
    same = sorted({s for s in shorts if shorts.count(s) > 1})
    assert not same, f"several codes share the label {same}"


DOSE_UNIT = re.compile(r"\b[0-9][0-9,.]*\s*(mg|mcg|g|mL|cc|mEq|units?)\b")


def test_injectable_drug_labels_carry_the_billing_unit() -> None:
    rows = read_rows("hcpcs_curated.tsv")
    unclassified = {"J3490", "J3590", "J9999"}
    injectables = [r for r in rows if r["code"] not in unclassified
                   and re.match(r"^J(0[1-9]|[12][0-9]|3[0-4]|9[0-9])[0-9]{2}$", r["code"])]
    assert len(injectables) >= 100
    missing = [r["code"] for r in injectables if not DOSE_UNIT.search(r["short"])]
    assert not missing, f"no dose unit in the label of {missing}"


def test_known_codes_sit_in_their_expected_category() -> None:
    by_code = {r["code"]: r["category"] for r in read_rows("hcpcs_curated.tsv")}
    expected = {"J1100": "drug", "A0427": "ambulance", "E0601": "dme", "L3908": "orthotic",
                "L8614": "prosthetic", "V2020": "vision", "V5010": "hearing", "G0438": "procedure"}
    assert {code: by_code.get(code) for code in expected} == expected
