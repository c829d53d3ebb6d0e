"""`medcode bank grade`: real bank files, the real code-set database, output as users see it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main

SAMPLE = Path(__file__).parent / "samples" / "all-types.yaml"

CASE_BANK = """\
bank:
  id: grade-test
  title: Grade test
  version: "1"
  author: Test
  licence: CC-BY-4.0
  code_year: 2026
  policy: per_line
items:
  - id: fracture
    type: coding_case
    topic: icd10cm
    stem: Assign the codes.
    note: SYNTHETIC RECORD. Torus fracture, right distal radius, first visit; cast applied.
    key:
      sections:
        - code_set: icd10cm
          lines:
            - code: S52.521A
            - code: W19.XXXA
        - code_set: hcpcs
          lines:
            - code: J1100
              units: 4
    rationale: Initial encounter, right side.
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["bank", "grade", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_bank(tmp_path: Path) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(CASE_BANK, encoding="utf-8")
    return path


def test_json_result_of_a_coding_case(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(write_bank(tmp_path)), "fracture", "--answer", "s52.521d, J1100 x2", "--json")
    assert code == 0
    result = json.loads(out)
    # J1100 earns 0.75; S52.521D matched no line: 0.75 x 3 / (3 + 1) (docs/scoring.md, "Over-coding")
    assert (result["score"], result["max_score"], result["correct"], result["unmatched"]) == (0.5625, 3.0, False, 1)
    verdicts = [(f["verdict"], f["code"]) for f in result["findings"]]
    assert ("wrong_seventh_character", "S52.521D") in verdicts and ("units_wrong", "J1100") in verdicts
    assert ("missing", "W19.XXXA") in verdicts
    assert all(f["message"] for f in result["findings"])


def test_readable_output_and_the_items_own_policy(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(SAMPLE), "case-001", "--answer", "E11.22 N18.31 I10")
    assert code == 0
    first, *rest = out.splitlines()
    assert first == "case-001: 1 / 3  [policy: per_line_deduct]"  # 2 lines of 3, minus 1 for the extra I10
    assert any(line.split()[0] == "extra" and "I10" in line for line in rest)


def test_answers_per_section(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(write_bank(tmp_path)), "fracture", "--answer", "S52.521A W19.XXXA",
                       "--answer", "J1100*4", "--json")
    assert code == 0 and json.loads(out)["correct"] is True


@pytest.mark.parametrize(("item", "answer", "score"), [
    ("sc-001", "b", 1.0), ("sc-001", "1", 0.0), ("tf-001", "true", 1.0), ("num-001", "$40.00", 1.0),
    ("short-001", "Not otherwise specified", 1.0),
])
def test_other_item_types(data_dir: Path, capsys: pytest.CaptureFixture[str], item: str, answer: str,
                          score: float) -> None:
    code, out, _ = run(capsys, str(SAMPLE), item, "--answer", answer, "--json")
    assert code == 0 and json.loads(out)["score"] == score


@pytest.mark.parametrize(("args", "message"), [
    (["missing.yaml", "x"], "no such bank file"),
    (["SAMPLE", "no-such-item"], "no item with id 'no-such-item'"),
    (["SAMPLE", "sc-001", "--answer", "z"], "is not one of the"),
])
def test_problems_are_one_line_and_exit_2(data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                          message: str) -> None:
    argv = [str(SAMPLE) if arg == "SAMPLE" else arg for arg in args]
    if "--answer" not in argv:
        argv += ["--answer", "E11.9"]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_broken_bank_is_reported(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("bank: [\n", encoding="utf-8")
    code, _, err = run(capsys, str(path), "x", "--answer", "1")
    assert code == 2 and "cannot be loaded" in err
