"""File dialogs start in Documents, then in the last folder used (kept after a restart);
the question-banks dialog is wide enough for its titles."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from app.main import build_tutor
from app.paths import resolve_paths
from app.ui.dialogs import BankChoice, BanksDialog, Folders, OpenFileDialog, SaveFileDialog


def test_file_dialogs_start_in_documents_then_in_the_last_folder(qtbot, data_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    started: list[str] = []
    chosen = tmp_path / "class" / "bank.yaml"
    chosen.parent.mkdir()

    def fake_open(parent, title, directory, filters):  # type: ignore[no-untyped-def]
        started.append(directory)
        return str(chosen), filters

    def fake_save(parent, title, directory, filters):  # type: ignore[no-untyped-def]
        started.append(directory)
        return str(Path(directory).parent / "export.json"), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_open))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert OpenFileDialog.ask(None, "Open", "*.yaml") == chosen
    expected = documents if documents and Path(documents).is_dir() else str(Path.home())
    assert started[0] == expected and started[0] != str(Path.cwd())
    assert SaveFileDialog.ask(None, "Save", "export.json", "*.json") == chosen.parent / "export.json"
    assert started[1] == str(chosen.parent / "export.json")
    assert tutor.store.setting("last_folder") == str(chosen.parent)

    Folders.last = None
    again = build_tutor(resolve_paths(str(data_dir)), quiet=True)  # a restart
    qtbot.addWidget(again.window)
    assert Folders.start() == chosen.parent


def test_banks_dialog_is_wide_enough_for_its_titles(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = BanksDialog([BankChoice("a", "ICD-10-CM conventions and guidelines: the long title", 36, True),
                          BankChoice("b", "Short", 3, False)])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() >= 480
    assert dialog.list.viewport().width() >= dialog.list.sizeHintForColumn(0)
