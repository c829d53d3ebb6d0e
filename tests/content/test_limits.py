"""Content that could freeze the window is refused by `bank check`/`bank install` and never rendered."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.content.checker import check_bank_file
from app.content.limits import MAX_ITEMS, MAX_LIST_ITEMS, MAX_NESTING, MAX_TABLE_ROWS, text_problems
from app.content.render import markdown_to_html

REPO = Path(__file__).resolve().parents[2]
BANK = REPO / "app" / "question_bank" / "icd10cm-conventions.yaml"


def _table(rows: int) -> str:
    return "| code | meaning |\n|---|---|\n" + "".join(f"| E11.{n % 10} | row {n} |\n" for n in range(rows))


def test_limits_name_the_line_of_the_table_and_of_the_deep_nesting() -> None:
    text = "Intro\n\n" + _table(MAX_TABLE_ROWS + 1) + "\nAfter\n"
    assert [line for line, _ in text_problems(text)] == [2]
    assert list(text_problems("Intro\n\n" + _table(MAX_TABLE_ROWS))) == []
    nested = "".join("  " * depth + "- level\n" for depth in range(MAX_NESTING + 2))
    [(line, why)] = list(text_problems("x\n" + nested))
    assert line == MAX_NESTING + 2 and "nested" in why
    assert list(text_problems("> " * 3 + "quoted")) == []
    many = "".join(f"- item {n}\n" for n in range(MAX_LIST_ITEMS + 5))
    assert [line for line, _ in text_problems(many)] == [MAX_LIST_ITEMS]


def test_the_renderer_shows_a_notice_instead_of_a_huge_table_at_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTextBrowser

    html = markdown_to_html("Stem\n\n" + _table(8_000))
    assert "too large to show" in html and "row 7999" not in html
    browser = QTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(html)
    assert "too large to show" in browser.toPlainText()
    assert "row 299" in markdown_to_html(_table(MAX_TABLE_ROWS))  # the largest allowed still renders


def _bank_with_big_stem(tmp_path: Path) -> Path:
    lines = BANK.read_text(encoding="utf-8").splitlines()
    stem_at = next(n for n, line in enumerate(lines) if line.strip().startswith("stem:"))
    indent = " " * (len(lines[stem_at]) - len(lines[stem_at].lstrip()) + 2)
    block = [lines[stem_at].split("stem:")[0] + "stem: |"] + [indent + row for row in _table(MAX_TABLE_ROWS + 50).splitlines()]
    lines[stem_at:stem_at + 1] = block
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bank_check_refuses_a_stem_table_over_the_limit_naming_item_and_line(tmp_path: Path) -> None:
    path = _bank_with_big_stem(tmp_path)
    problems = [p for p in check_bank_file(path, None, None) if "rows" in p.message]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.severity.value == "error" and problem.field.endswith(".stem") and problem.field.startswith("cm-conv-")
    assert path.read_text(encoding="utf-8").splitlines()[problem.line - 1].strip().startswith("| code |")


@pytest.mark.slow
def test_bank_import_caps_the_number_of_questions_before_parsing(tmp_path: Path) -> None:
    gift = tmp_path / "huge.gift"
    gift.write_text("".join(f"Q{n}? {{=yes ~no}}\n\n" for n in range(MAX_ITEMS + 1)), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "app", "--data-dir", str(tmp_path / "data"), "bank", "import",
                          str(gift), "--out", str(tmp_path / "out")], cwd=REPO, capture_output=True, text=True,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), timeout=120, check=False)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"{gift}: file: holds about {MAX_ITEMS + 1:,} questions; an import may hold at most {MAX_ITEMS:,}" in run.stdout + run.stderr
    assert not (tmp_path / "out").exists()
