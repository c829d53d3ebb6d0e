"""check_bank_file on good banks and on the rules that need judgement, over the real code sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.checker import check_bank_file
from app.content.wording import descriptor_phrases
from app.core.problems import Severity

SAMPLE = Path(__file__).parent / "samples" / "all-types.yaml"

HEAD = """bank:
  id: checks
  title: Checks
  version: 1.0.0
  author: A
  licence: CC-BY-4.0
  code_year: {year}
items:
  - id: case-1
    type: coding_case
    topic: icd10cm
    stem: Code it.
    note: Synthetic record.
{extra}    key:
      sections:
        - code_set: icd10cm
          ordered: {ordered}
          lines:
"""
TAIL = "    rationale: R.\n"


def _case(tmp_path: Path, lines: str, year: int = 2026, extra: str = "", ordered: str = "false") -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(HEAD.format(year=year, extra=extra, ordered=ordered) + lines + TAIL, encoding="utf-8")
    return path


def _messages(path: Path, codeset) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{p.line}: {p.field}: {p.severity.value}: {p.message}" for p in check_bank_file(path, codeset, set())]


def test_the_sample_bank_has_no_errors(codeset) -> None:  # type: ignore[no-untyped-def]
    problems = check_bank_file(SAMPLE, codeset, {"icd10cm-structure"})
    assert [str(p) for p in problems if p.severity is Severity.ERROR] == []


def test_a_correct_key_passes(tmp_path: Path, codeset) -> None:  # type: ignore[no-untyped-def]
    path = _case(tmp_path, "            - code: E11.22\n              first: true\n            - code: N18.31\n"
                           "            - any_of: [Z79.4, Z79.84]\n              optional: true\n")
    assert _messages(path, codeset) == []


def test_alternatives_of_one_line_are_not_an_excludes1_pair(tmp_path: Path, codeset) -> None:  # type: ignore[no-untyped-def]
    path = _case(tmp_path, "            - any_of: [E11.9, E10.9]\n")
    assert _messages(path, codeset) == []


def test_a_conditional_code_first_note_alone_allows_the_code_first(tmp_path: Path, codeset) -> None:  # type: ignore[no-untyped-def]
    path = _case(tmp_path, "            - code: N18.31\n              first: true\n            - code: I10\n")
    assert _messages(path, codeset) == []


def test_ordered_sections_keep_code_first_order(tmp_path: Path, codeset) -> None:  # type: ignore[no-untyped-def]
    path = _case(tmp_path, "            - code: I10\n            - code: N18.31\n            - code: E11.22\n", ordered="true")
    messages = _messages(path, codeset)
    assert len(messages) == 1
    assert messages[0].startswith("20: case-1.key.sections[0].lines[1]: error: E11.22 must be listed before N18.31:")


def test_code_year_differing_from_the_data_is_a_warning(tmp_path: Path, codeset) -> None:  # type: ignore[no-untyped-def]
    bank_level = _case(tmp_path, "            - code: E11.9\n", year=2019)
    messages = _messages(bank_level, codeset)
    assert len(messages) == 1 and messages[0].startswith("2: bank.code_year: warning: the key is written for code year 2019")
    item_level = _case(tmp_path, "            - code: E11.9\n", extra="    code_year: 2019\n")
    messages = _messages(item_level, codeset)
    assert len(messages) == 1 and messages[0].startswith("14: case-1.code_year: warning: the key is written for code year 2019")


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Debridement of a made-up tissue (list separately in addition to code for primary procedure)", True),
        ("10099 repair of a made-up structure; each additional structure", True),
        ("Use 10099 for repair with or without imaging, single or multiple structures", True),
        ("Report 99214 for an established patient visit with moderate decision making, including lab review.", False),
        ("Each additional finding goes on its own line, with or without a code.", False),
        ("CPT 27786-RT; modifier RT shows the right side.", False),
    ],
)
def test_descriptor_wording_heuristic(text: str, flagged: bool) -> None:
    assert bool(descriptor_phrases(text)) is flagged


def test_an_excludes1_note_limited_to_a_subcode_names_only_that_subcode(tmp_path: Path, codeset) -> None:  # type: ignore[no-untyped-def]
    # G63's Excludes1 names "diabetes mellitus (E08-E13 with .42)": E11.42 clashes, E11.9 does not.
    clash = _case(tmp_path, "            - code: E11.42\n              first: true\n            - code: G63\n")
    messages = _messages(clash, codeset)
    assert len(messages) == 1
    assert messages[0].startswith("21: case-1.key.sections[0].lines[1]: error: G63 and E11.42 cannot be keyed together")
    fine = _case(tmp_path, "            - code: E11.9\n              first: true\n            - code: G63\n")
    assert _messages(fine, codeset) == []


def test_wording_warnings_point_at_the_line_inside_a_block_of_text(tmp_path: Path) -> None:
    path = _case(tmp_path, "            - code: E11.9\n").read_text(encoding="utf-8").replace(
        "    note: Synthetic record.\n",
        "    note: |\n      Synthetic record.\n      Second line.\n      Made-up repair (list separately in addition to code for primary procedure).\n")
    bank = tmp_path / "wording.yaml"
    bank.write_text(path, encoding="utf-8")
    assert [str(p) for p in check_bank_file(bank, None, None)] == [
        f"{bank}:16: case-1.note: warning: text looks like AMA CPT descriptor wording "
        "('list separately in addition to code for primary procedure'); describe codes in the bank's own words"]


def test_paths_that_are_not_banks_are_reported(tmp_path: Path) -> None:
    from app.content.check_command import check_paths

    (tmp_path / "empty").mkdir()
    problems = check_paths([str(tmp_path / "missing.yaml"), str(tmp_path / "empty")], None, None)
    assert [(str(p), p.severity.value) for p in problems] == [
        (f"{tmp_path / 'empty'}: path: warning: folder holds no bank files (*.yaml or */bank.yaml)", "warning"),
        (f"{tmp_path / 'missing.yaml'}: path: no such file or folder", "error"),
    ]


def test_codes_missing_from_partial_code_sets_are_warnings(tmp_path: Path, codeset) -> None:  # type: ignore[no-untyped-def]
    path = _case(tmp_path, "            - code: E11.9\n").read_text(encoding="utf-8") + "".join([
        "        - code_set: hcpcs\n          lines:\n            - code: G9999\n",
        "        - code_set: cpt\n          lines:\n            - code: \"99214\"\n            - code: \"0001U\"\n",
    ])
    bank = tmp_path / "partial.yaml"
    bank.write_text(path.replace("    rationale: R.\n", "") + "    rationale: R.\n", encoding="utf-8")
    assert _messages(bank, codeset) == [
        "22: case-1.key.sections[1].lines[0].code: warning: G9999 is not among the HCPCS Level II codes this "
        "installation knows (import the CMS HCPCS file to check it)",
        "26: case-1.key.sections[2].lines[1].code: warning: 0001U is not among the CPT codes this installation "
        "knows (import your licensed CPT file to check it)",
    ]


def test_image_references_must_be_files_in_the_images_folder(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "wrist.png").write_bytes(b"png")
    stem = ("    stem: |\n      ![x-ray](images/wrist.png) ![gone](images/gone.png)\n"
            "      ![web](https://example.org/a.png) <img src=\"../secret.png\"> ![here](wrist.png)\n")
    text = _case(tmp_path, "            - code: E11.9\n").read_text(encoding="utf-8").replace("    stem: Code it.\n", stem)
    bank = tmp_path / "images.yaml"
    bank.write_text(text, encoding="utf-8")
    assert [str(p) for p in check_bank_file(bank, None, None)] == [f"{bank}:{n}: case-1.stem: {m}" for n, m in (
        (13, "image file images/gone.png does not exist next to the bank"),
        (14, "image '../secret.png' must be a file in the images/ folder next to the bank (the app works offline)"),
        (14, "image 'https://example.org/a.png' must be a file in the images/ folder next to the bank (the app works offline)"),
        (14, "image 'wrist.png' must be in the images/ folder next to the bank (write images/NAME.png)"),
    )]


@pytest.mark.parametrize(("lines", "refused"), [
    # a poisoning leads, its manifestation follows (Guidelines I.C.19.e.5.b): the T36-T50 note is for adverse effects
    ("            - code: T39.011A\n              first: true\n            - code: K29.70\n", ""),
    ("            - code: T36.0X1A\n              first: true\n            - code: L27.0\n", ""),
    # an adverse effect: the nature of the effect first (I.C.19.e.5.a), so the T code may not lead
    ("            - code: T39.015A\n              first: true\n            - code: K29.70\n",
     "K29.70 must be listed before T39.015A: a 'code first' note at T36-T50"),
    # "(T36-T65 with fifth or sixth character 1-4)" on N14 names poisonings only, not an adverse effect
    ("            - code: N14.11\n              first: true\n            - code: T36.0X5A\n", ""),
    ("            - code: N14.11\n              first: true\n            - code: T36.0X1A\n",
     "T36.0X1A must be listed before N14.11"),
])
def test_conditional_code_first_notes_in_keys(tmp_path: Path, codeset, lines: str, refused: str) -> None:  # type: ignore[no-untyped-def]
    messages = [m for m in _messages(_case(tmp_path, lines), codeset) if ": error: " in m]
    assert (refused in " ".join(messages)) if refused else messages == [], messages
    assert bool(messages) == bool(refused)
