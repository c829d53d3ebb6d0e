"""docs/question-bank-format.md stays true: its examples load, its topic table is the real list."""

from __future__ import annotations

import re
from pathlib import Path

from app.content.bank import load_bank
from app.core.models import ItemType
from app.core.topics import TOPICS

DOC = Path(__file__).resolve().parents[2] / "docs" / "question-bank-format.md"
MANIFEST = """bank:
  id: doc-examples
  title: Examples from the format document
  version: 1.0.0
  author: MedCode Tutor authors
  licence: CC-BY-4.0
  code_year: 2026
items:
"""


def _item_examples() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return [block for block in blocks if block.startswith("  - id:")]


def test_every_item_example_in_the_document_loads(tmp_path: Path) -> None:
    examples = _item_examples()
    path = tmp_path / "examples.yaml"
    path.write_text(MANIFEST + "\n".join(examples), encoding="utf-8")
    bank, problems = load_bank(path)
    assert [str(p) for p in problems] == []
    assert bank is not None and len(bank.items) == len(examples)
    assert {item.type for item in bank.items} == set(ItemType)


def test_the_topic_table_is_the_fixed_topic_list() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("### Topics"): text.index("## Item types")]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (.+?) \|$", section, flags=re.M)
    assert rows == [(topic.id, topic.label) for topic in TOPICS.values()]
