"""The first-start build dialog: it really builds the database, and a failure is reported clearly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.codesets.build import database_is_current
from app.ui.build_dialog import CodeSetBuildError, build_with_progress


def test_build_with_progress_builds_the_database(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cache" / "codesets.sqlite3"
    build_with_progress(path)
    assert database_is_current(path)
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM codes WHERE code = 'S52.521A'").fetchone()[0] == 1


def test_build_failure_is_shown_and_raised(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    with pytest.raises(CodeSetBuildError, match="could not be built"):
        build_with_progress(blocker / "codesets.sqlite3")
    assert shown and str(blocker) in shown[0]
