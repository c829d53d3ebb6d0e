"""Near-duplicate stems (question-bank issue): `bank check` warns, naming both items and lines,
and the shipped banks hold no such pair."""

from __future__ import annotations

from pathlib import Path

from app.content.bank import load_banks
from app.content.check_command import check_paths
from app.content.near_duplicates import near_duplicate_pairs, near_duplicate_problems

REPO = Path(__file__).resolve().parents[2]


def test_the_shipped_banks_hold_no_near_duplicate_pair() -> None:
    banks, _ = load_banks(REPO / "app" / "question_bank")
    items = [item for bank in banks for item in bank.items]
    assert len(items) > 250
    assert near_duplicate_problems(items) == []


def test_a_copied_item_is_reported_with_both_ids_and_lines(tmp_path: Path) -> None:
    original = (REPO / "app" / "question_bank" / "terminology.yaml").read_text(encoding="utf-8")
    copy = original.replace("id: terminology\n", "id: terminology-copy\n", 1)
    copy = copy.replace("id: term-pre-002", "id: term-pre-902")  # one item keeps its text, new id
    copy = copy.replace("When did the bleeding happen?", "When did this bleeding happen?")
    (tmp_path / "a.yaml").write_text(original, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(copy, encoding="utf-8")
    problems = [p for p in check_paths([str(tmp_path)], None, None) if "almost the same" in p.message]
    renamed = next(p for p in problems if p.field == "term-pre-902.stem")
    assert "term-pre-002" in renamed.message and "a.yaml:" in renamed.message
    assert renamed.path.endswith("b.yaml") and renamed.line > 0
    assert len(problems) == 15  # every item of the copied bank, once each


def test_different_questions_on_the_same_pattern_are_not_flagged() -> None:
    texts = [
        "which statements about sepsis coding are true? choose all that apply. r65.20 is never first",
        "which statements about hcpcs drug units are true? choose all that apply. round up between units",
        "a patient takes his prescribed sedative with several beers and is found very drowsy",
        "a patient takes his prescribed sedative with several beers and is found very sleepy",
    ]
    pairs = near_duplicate_pairs(texts)
    assert [(i, j) for i, j, _ in pairs] == [(2, 3)]
    assert pairs[0][2] >= 90
