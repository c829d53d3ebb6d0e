"""The project's own banks pass every check (DESIGN convention 10), as `medcode bank check app/question_bank/` would."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.bank import bank_files, load_banks
from app.content.check_command import app_lesson_ids
from app.content.checker import check_bank_file
from app.core.problems import Severity

REPO = Path(__file__).resolve().parents[2]
BANKS = REPO / "app" / "question_bank"


def _project_banks() -> list[Path]:
    return bank_files(BANKS) if BANKS.is_dir() else []


@pytest.mark.parametrize("path", _project_banks() or [pytest.param(None, marks=pytest.mark.skip(reason="no banks yet"))],
                         ids=lambda p: p.name if p else "none")
def test_project_bank_has_no_errors(path: Path, codeset) -> None:  # type: ignore[no-untyped-def]
    problems = check_bank_file(path, codeset, app_lesson_ids())
    assert [str(p) for p in problems if p.severity is Severity.ERROR] == []


def test_project_banks_load_with_unique_ids() -> None:
    banks, problems = load_banks(BANKS) if BANKS.is_dir() else ([], [])
    assert [str(p) for p in problems] == []
    assert len(banks) == len(_project_banks())
