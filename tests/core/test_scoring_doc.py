"""The worked examples in docs/scoring.md are graded here, so the page cannot drift from the code."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from app.content.bank import load_bank
from app.core.models import CodingCase, ScoringPolicy
from app.core.scoring import grade

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"


def example_key_case(tmp_path: Path) -> CodingCase:
    """The YAML key of the first worked example, loaded through the real bank loader."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split("## Worked examples", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    bank = ("bank:\n  id: doc\n  title: Doc\n  version: '1'\n  author: Doc\n  licence: CC-BY-4.0\n"
            "  code_year: 2026\nitems:\n  - id: doc-case\n    type: coding_case\n    topic: icd10cm\n"
            "    stem: Code it.\n    note: SYNTHETIC.\n    rationale: Doc.\n" + textwrap.indent(block, "    "))
    path = tmp_path / "doc.yaml"
    path.write_text(bank, encoding="utf-8")
    loaded, problems = load_bank(path)
    assert loaded is not None, problems
    item = loaded.items[0]
    assert isinstance(item, CodingCase)
    return item


def example_rows() -> list[tuple[str, list[float]]]:
    text = DOC.read_text(encoding="utf-8").split("## Worked examples", 1)[1].split("A second key", 1)[0]
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`"):
            rows.append((cells[0].strip("`"), [float(re.findall(r"[\d.]+", cell)[-1]) for cell in cells[2:]]))
    return rows


def test_the_worked_examples_score_as_documented(codeset, tmp_path: Path) -> None:
    item = example_key_case(tmp_path)
    rows = example_rows()
    assert len(rows) == 4
    for answer, expected in rows:
        got = [grade(item, answer, codeset, policy).score for policy in
               (ScoringPolicy.PER_LINE, ScoringPolicy.PER_LINE_DEDUCT, ScoringPolicy.ALL_OR_NOTHING)]
        assert got == expected, answer
