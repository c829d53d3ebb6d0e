"""The broken-bank collection: every file gives its exact messages at the exact place.

Each file in tests/content/broken/ breaks one rule of docs/question-bank-format.md. The
table gives the full `LINE: FIELD: message` list the checker must print for it, checked
against the real code-set data. A sample also runs through `python -m app bank check` in a
subprocess: exit status 1, no traceback, nothing written to the data folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.content.checker import check_bank_file

BROKEN = Path(__file__).parent / "broken"
REPO = Path(__file__).resolve().parents[2]
LESSONS = {"icd10cm-structure", "icd10cm-conventions"}
W = "warning: "

EXPECTED: dict[str, list[str]] = {
    "syntax-error.yaml": ["15: yaml: syntax error: while scanning a quoted scalar (started on line 12); found unexpected end of stream"],
    "duplicate-key.yaml": ['13: yaml: syntax error: while constructing a mapping (started on line 9); found duplicate key "stem" with value "Again." (original value: "S.")'],
    "wrong-type.yaml": ["12: sc-1.stem: must be text, not a list"],
    "missing-key.yaml": ["9: tf-1.rationale: required field is missing"],
    "empty-value.yaml": ["14: tf-1.feedback_true: has no value (write one, or remove the field)"],
    "unknown-field.yaml": ["9: sc-1.options: required field is missing", "13: sc-1.optoins: unknown field (did you mean 'options'?)"],
    "bad-id.yaml": ["9: items[0].id: 'Bad Item 1' is not a valid id (lower-case letters, digits and dashes, e.g. cm-conv-001)"],
    "duplicate-id.yaml": ["15: tf-ok.id: duplicate id 'tf-ok' (first used on line 9)"],
    "missing-lesson.yaml": ["12: tf-1.lesson: lesson 'zzz-not-a-lesson-zzz' does not exist"],
    "no-right-option.yaml": ["13: sc-1.options: exactly one option must have `correct: true`; found 0"],
    "two-right-options.yaml": ["13: sc-1.options: exactly one option must have `correct: true`; found 2"],
    "repeated-options.yaml": ["17: sc-1.options[2].text: repeats options[0] ('seven')"],
    "numeric-no-tolerance.yaml": ["9: num-1.tolerance: a numeric answer needs a tolerance (write 0 for an exact answer)"],
    "invalid-code.yaml": ["18: case-1.key.sections[0].lines[0].code: E11.99 is not a valid ICD-10-CM code"],
    "non-billable-code.yaml": ["18: case-1.key.sections[0].lines[0].code: E11 is not billable: it is a heading, not a complete code; use a code below it (E11.0, E11.1, E11.2, ...)"],
    "seventh-missing.yaml": ["18: case-1.key.sections[0].lines[0].code: S52.521 needs a 7th character (e.g. S52.521A): it is not a complete code without one"],
    "excludes1-pair.yaml": ["19: case-1.key.sections[0].lines[1]: E11.9 and E10.9 cannot be keyed together: an Excludes1 note at E11 excludes E10.9 (type 1 diabetes mellitus (E10.-))"],
    "manifestation-first.yaml": ["18: case-1.key.sections[0].lines[0].first: D63.1 cannot be keyed first: a 'code first' note at D63.1 says the underlying condition is listed before it (underlying chronic kidney disease (CKD) (N18.-))"],
    "code-first-order.yaml": ["18: case-1.key.sections[0].lines[0].first: E11.22 must be listed before N18.31: a 'code first' note at N18 says so (diabetic chronic kidney disease (E08.22, E09.22, E10.22, E11.22, E13.22))"],
    "ama-wording.yaml": [f"12: tf-1.stem: {W}text looks like AMA CPT descriptor wording ('each additional', 'with or without', '; each'); describe codes in the bank's own words"],
    "billion-laughs.yaml": ["12: yaml: anchors and aliases (& and *) are not allowed in a bank"],
    "binary-junk.yaml": ["3: file: binary data (NUL byte); a bank must be UTF-8 text"],
    "not-utf8.yaml": ["3: file: not UTF-8 text (bad byte at offset 31)"],
    "empty.yaml": ["file: file is empty; a bank needs `bank:` and `items:`"],
    "list-not-mapping.yaml": ["1: bank: a bank file must be a mapping with `bank:` and `items:`, not a list"],
    "item-not-mapping.yaml": ["9: items[0]: an item must be a mapping of fields, not text"],
    "no-items.yaml": ["8: items: needs at least 1 entry, has 0"],
    "python-tag.yaml": ["9: yaml: YAML tags such as 'tag:yaml.org,2002:python/object/apply:os.system' are not allowed in a bank"],
    "bad-topic.yaml": ["11: tf-1.topic: 'cardiology' is not a known topic (did you mean 'radiology'?); the list is in docs/question-bank-format.md"],
    "bad-policy.yaml": ["8: bank.policy: must be one of per_line, per_line_deduct, all_or_nothing, not 'best_of_three'"],
    "bad-code-set.yaml": ["16: case-1.key.sections[0].code_set: must be one of icd10cm, icd10pcs, hcpcs, cpt, not 'icd9'"],
    "bad-code-year.yaml": ["7: bank.code_year: must be a whole number, not text"],
    "bad-difficulty.yaml": ["12: tf-1.difficulty: must be one of easy, medium, hard, not 'very hard'"],
    "missing-manifest-field.yaml": ["2: bank.licence: required field is missing"],
    "unknown-top-level.yaml": ["15: questions: unknown field"],
    "weights-not-100.yaml": ["13: mr-1.options: the positive weights must add up to 100; they add up to 80"],
    "matching-one-pair.yaml": ["13: m-1.pairs: needs at least 2 entries, has 1"],
    "true-false-text.yaml": ["13: tf-1.answer: must be true or false"],
    "code-as-number.yaml": ['18: case-1.key.sections[0].lines[0].code: code 99213 must be written as text in quotes ("99213"); numbers lose leading zeros'],
    "code-wrong-shape.yaml": ["18: case-1.key.sections[0].lines[0].code: 'E11.9' is not written like a CPT code"],
    "code-and-any-of.yaml": ["18: case-1.key.sections[0].lines[0].code: a key line needs either `code` or `any_of` (one of them)"],
    "two-first-lines.yaml": ["17: case-1.key.sections[0].lines: only one line may be `first: true`; lines 0, 1 are"],
}

# Files that must fail `medcode bank check` as a whole process (exit status 1).
SUBPROCESS_SAMPLE = ["syntax-error.yaml", "billion-laughs.yaml", "binary-junk.yaml", "python-tag.yaml", "empty.yaml",
                     "invalid-code.yaml", "excludes1-pair.yaml", "list-not-mapping.yaml", "not-utf8.yaml"]


def _where(text: str, name: str) -> str:
    path = BROKEN / name
    return f"{path}:{text}" if text[0].isdigit() else f"{path}: {text}"


def test_the_collection_is_complete() -> None:
    on_disk = {path.name for path in BROKEN.iterdir()}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 28


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_gives_its_exact_messages(name: str, codeset) -> None:  # type: ignore[no-untyped-def]
    problems = check_bank_file(BROKEN / name, codeset, LESSONS)
    assert [str(problem) for problem in problems] == [_where(text, name) for text in EXPECTED[name]]


def test_only_the_wording_file_is_warnings_only(codeset) -> None:  # type: ignore[no-untyped-def]
    warnings_only = [name for name in EXPECTED
                     if all(p.severity == "warning" for p in check_bank_file(BROKEN / name, codeset, LESSONS))]
    assert warnings_only == ["ama-wording.yaml"]


def _run_check(data_dir: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "--data-dir", str(data_dir), "bank", "check", *map(str, paths)],
                          capture_output=True, text=True, cwd=REPO, env=dict(os.environ), timeout=120)


@pytest.mark.parametrize("name", SUBPROCESS_SAMPLE)
def test_bank_check_process_fails_cleanly_and_writes_nothing(name: str, data_dir: Path) -> None:
    result = _run_check(data_dir, BROKEN / name)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.stdout.splitlines()[0] == _where(EXPECTED[name][0], name)
    assert list(data_dir.iterdir()) == []


def test_bank_check_prints_a_folder_sorted_by_file_and_line(data_dir: Path) -> None:
    result = _run_check(data_dir, BROKEN)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    expected = [_where(text, name) for name in sorted(EXPECTED) for text in EXPECTED[name]]
    assert lines == expected
    assert result.stderr.strip() == f"{len(expected) - 1} error(s), 1 warning(s)"
    assert list(data_dir.iterdir()) == []


def test_a_twenty_megabyte_file_is_refused_before_parsing(tmp_path: Path, data_dir: Path) -> None:
    big = tmp_path / "huge.yaml"
    with big.open("w") as handle:
        handle.write("bank:\n  id: huge\nitems:\n")
        line = "  - {id: x, type: true_false, topic: guidelines, stem: s, answer: true, rationale: r}\n"
        handle.write(line * (20 * 1024 * 1024 // len(line)))
    problems = check_bank_file(big, None, None)
    assert [str(p) for p in problems] == [f"{big}: file: file is 20.0 MB; a bank may be at most 5 MB"]
    result = _run_check(data_dir, big)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert list(data_dir.iterdir()) == []


def test_warnings_alone_do_not_fail_the_check(data_dir: Path) -> None:
    result = _run_check(data_dir, BROKEN / "ama-wording.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [_where(EXPECTED["ama-wording.yaml"][0], "ama-wording.yaml")]
