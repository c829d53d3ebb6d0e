"""`medcode bank coverage`: counts per CPC area and CCS domain, weights, THIN marks, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.content.bank import load_banks
from app.core.coverage import AREA_FLOOR, coverage, cpc_weights

REPO = Path(__file__).resolve().parents[2]


def _bank(folder: Path, name: str, topic: str, count: int, tags: str = "[]") -> None:
    items = "".join(
        f"  - {{id: {name}-{n}, type: true_false, topic: {topic}, tags: {tags}, stem: 'Statement {name} number {n} about {topic}.', answer: true, rationale: r}}\n"
        for n in range(count)
    )
    head = f"bank:\n  id: {name}\n  title: {name}\n  version: 1.0.0\n  author: t\n  licence: CC0-1.0\n  code_year: 2026\n"
    (folder / f"{name}.yaml").write_text(f"{head}items:\n{items}", encoding="utf-8")


def test_the_cpc_weights_add_up_to_one_hundred() -> None:
    weights = cpc_weights()
    assert sum(weights.values()) == pytest.approx(100)
    assert weights["surgery-10000"] == 6 and weights["anatomy"] == 4 and weights["icd10cm"] == 7


def test_areas_under_the_floor_or_their_share_are_thin(tmp_path: Path) -> None:
    _bank(tmp_path, "skin", "surgery-10000", AREA_FLOOR)
    _bank(tmp_path, "bones", "surgery-20000", AREA_FLOOR - 1)
    _bank(tmp_path, "drg", "icd10cm", 3, "[inpatient, ms-drg]")
    banks, problems = load_banks(tmp_path)
    assert problems == []
    result = coverage(item for bank in banks for item in bank.items)
    areas = {area.area: area for area in result.cpc}
    assert (areas["surgery-10000"].items, areas["surgery-10000"].thin) == (AREA_FLOOR, False)
    assert (areas["surgery-20000"].items, areas["surgery-20000"].thin) == (AREA_FLOOR - 1, True)
    assert areas["radiology"].items == 0 and areas["radiology"].thin
    assert result.ccs["inpatient-icd10cm"] == 3 and result.ccs["drg-cc-poa"] == 3 and result.ccs["icd10pcs"] == 0
    assert result.items == 2 * AREA_FLOOR + 2 and result.cases == 0


def test_the_command_prints_the_shipped_banks_and_json_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "coverage"]) == 0
    text = capsys.readouterr().out
    assert "Surgery 10000 series" in text and "THIN" in text and "CCS domains" in text
    assert main(["bank", "coverage", "--json"]) == 0
    numbers = json.loads(capsys.readouterr().out)
    banks, _ = load_banks(REPO / "app" / "question_bank")
    items = [item for bank in banks for item in bank.items]
    assert numbers["items"] == len(items) and numbers["items"] > 250
    assert numbers["cases"] == sum(item.type.value == "coding_case" for item in items)
    assert numbers["records"] >= 8
    assert sum(area["items"] for area in numbers["cpc"]) <= numbers["items"]
