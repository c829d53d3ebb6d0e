"""Exam form files: the shipped forms, the checks with file:line:field, `bank check` and `exam check`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.content.bank import load_bank
from app.content.exam_forms import load_form, load_forms, shipped_forms_folder
from app.core.exam_forms import Navigation, PausePolicy
from app.core.topics import CPC_POOLED, CPC_POOLED_ITEMS, TOPICS

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def test_the_shipped_forms_load_and_follow_the_published_exam_facts() -> None:
    forms, problems = load_forms([shipped_forms_folder()])
    assert problems == []
    by_id = {form.id: form for form in forms}
    assert set(by_id) == {"cpc", "cca", "ccs", "practice-25"}
    cpc, cca, ccs, short = by_id["cpc"], by_id["cca"], by_id["ccs"], by_id["practice-25"]
    assert (cpc.count, cpc.minutes, cpc.pass_mark, cpc.warning_minutes) == (100, 240, 70, 30)
    assert cpc.navigation is Navigation.LOCKED_PARTS and cpc.parts == (1, 2) and cpc.code_browser
    per_topic = {s.rules[0].topics: s.count for s in cpc.sections}
    for topic in TOPICS.values():  # AAPC's blueprint, as in app/core/topics.py
        if topic.cpc_items:
            assert per_topic[(topic.id,)] == topic.cpc_items
    assert per_topic[CPC_POOLED] == CPC_POOLED_ITEMS
    assert (cca.count, cca.minutes) == (105, 120)
    assert ccs.minutes == 240
    cases = [r for s in ccs.sections for r in s.rules if r.types == ("coding_case",)]
    assert {cs for r in cases for cs in r.code_sets} == {"icd10cm", "icd10pcs", "cpt"}
    assert (short.count, short.minutes, short.pause) == (25, 60, PausePolicy.WHILE_CLOSED)


BROKEN = """form:
  id: Bad Id
  title: Broken
  time_limit: 60
  warning: 90
  navigation: sideways
  pause: none
  extra: 1
sections:
  - id: a
    title: A
    count: 0
    topics: [icd10cm, surgery-99999]
  - id: a
    title: Again
    count: 2
    types: [essay]
  - id: c
    title: C
    draw:
      - count: 2
        min_difficulty: hard
        max_difficulty: easy
"""


def test_a_broken_form_reports_every_mistake_with_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    form, problems = load_form(path)
    assert form is None
    found = {(p.line, p.field) for p in problems}
    assert (2, "form.id") in found
    assert (6, "form.navigation") in found
    assert (8, "form.extra") in found
    assert (12, "sections[0].count") in found
    assert (13, "sections[0].topics") in found
    assert (17, "sections[1].types") in found
    assert (22, "sections[2].draw[0].min_difficulty") in found
    assert all(p.path == str(path) for p in problems)
    text = "\n".join(str(p) for p in problems)
    assert "'surgery-99999' is not a known topic" in text and "unknown field" in text


def test_warning_after_the_end_and_locked_parts_in_one_part_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("form: {id: f, title: F, time_limit: 60, warning: 60, navigation: locked_parts}\n"
                    "sections:\n  - {id: a, title: A, count: 1}\n", encoding="utf-8")
    assert "must come before the end" in str(load_form(path)[1])
    path.write_text("form: {id: f, title: F, time_limit: 60, navigation: locked_parts}\n"
                    "sections:\n  - {id: a, title: A, count: 1}\n", encoding="utf-8")
    assert "at least two parts" in str(load_form(path)[1])


def test_an_item_may_carry_an_area_and_old_banks_stay_valid(tmp_path: Path) -> None:
    bank = tmp_path / "b.yaml"
    item = ("  - {id: i1, type: true_false, topic: compliance, %s stem: S, answer: true, rationale: R}\n")
    head = "bank: {id: b, title: B, version: '1', author: A, licence: CC0-1.0, code_year: 2026}\nitems:\n"
    bank.write_text(head + item % "area: ccs-domain-4,", encoding="utf-8")
    loaded, problems = load_bank(bank)
    assert problems == [] and loaded.items[0].meta.area == "ccs-domain-4"
    bank.write_text(head + item % "", encoding="utf-8")
    loaded, problems = load_bank(bank)
    assert problems == [] and loaded.items[0].meta.area == ""
    bank.write_text(head + item % "area: CCS Domain,", encoding="utf-8")
    _, problems = load_bank(bank)
    assert [(p.line, p.field) for p in problems] == [(3, "i1.area")]


@pytest.mark.slow
def test_bank_check_checks_form_files_and_exam_check_reports_each_shipped_form(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    run = _run("bank", "check", "--no-codes", str(shipped_forms_folder()), str(broken), data_dir=tmp_path / "d")
    assert run.returncode == 1, run.stderr
    assert f"{broken}:6: form.navigation:" in run.stdout
    assert "exam_forms" not in run.stdout  # the shipped forms are clean
    check = _run("exam", "check", data_dir=tmp_path / "d")
    assert "Traceback" not in check.stderr
    verdicts = {}
    for form in load_forms([shipped_forms_folder()])[0]:  # the shipped banks grow: read what is said
        head = next(line for line in check.stdout.splitlines() if line.startswith(f"{form.title} ({form.id}): "))
        verdicts[form.id] = "can be filled" in head
        assert verdicts[form.id] or "CANNOT be filled" in head
        block = check.stdout.split(head, 1)[1].splitlines()[1:len(form.sections) + 1]
        assert [line.split("  needs")[0].strip() for line in block] == [s.title for s in form.sections]
        assert all(line.endswith("  ok") or " short by " in line for line in block)
        assert verdicts[form.id] == all(line.endswith("  ok") for line in block)
    assert check.returncode == (0 if all(verdicts.values()) else 1)
    forms = _run("exam", "forms", data_dir=tmp_path / "d")
    assert forms.returncode == 0 and "2 locked parts" in forms.stdout


def test_exam_check_says_yes_section_by_section_when_the_banks_fill_a_form(tmp_path: Path) -> None:
    from exam_banks import write_bank  # tests/exam_banks.py (tests/ is on the path through conftest)

    write_bank(tmp_path / "banks" / "full.yaml", per_topic=8)
    run = _run("exam", "check", "practice-25", "cpc", "--banks", str(tmp_path / "banks"), data_dir=tmp_path / "d")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "practice-25): 25 items: can be filled" in run.stdout
    assert "cpc): 100 items: can be filled" in run.stdout
    assert "Surgery 10000 series" in run.stdout and "needs   6, has   6  ok" in run.stdout
