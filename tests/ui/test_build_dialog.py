"""The first-start build dialog: it really builds the database, and a failure is reported clearly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from app.codesets.build import database_is_current
from app.ui.build_dialog import CodeSetBuildError, build_with_progress


def test_build_with_progress_builds_the_database(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[str, int]] = []

    def look() -> None:  # runs in the dialog's local event loop while the worker builds
        seen.extend((w.labelText(), w.value()) for w in QApplication.topLevelWidgets()
                    if isinstance(w, QProgressDialog) and w.isVisible())

    watcher = QTimer()
    watcher.timeout.connect(look)
    watcher.start(20)
    path = tmp_path / "cache" / "codesets.sqlite3"
    build_with_progress(path)
    watcher.stop()
    assert database_is_current(path)
    assert any("Starting" not in text and 0 < value < 100 for text, value in seen), seen[:5]  # a step shown
    assert all(w.isHidden() for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog))
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
