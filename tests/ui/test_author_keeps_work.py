"""The author view never loses work (issue 17, point 3): Save / Discard / Cancel, a recovery
copy, a disabled form with no bank, a dialog for a broken file, wrapped problems, and saves
that change only the lines of the items edited."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from app.content.bank_document import BankDocument

from app.ui.author_page import AuthorPage
from app.ui.bank_editor import BankEditor
from app.ui.dialogs import ConfirmDialog, UnsavedDialog
from app.ui.operations import DataOps

FIXTURE = Path(__file__).parent / "fixtures" / "editor-bank.yaml"
REAL_BANK = Path(__file__).resolve().parents[2] / "app" / "question_bank" / "icd10cm-conventions.yaml"


@pytest.fixture
def author(qtbot, tmp_path: Path, codeset):  # type: ignore[no-untyped-def]
    from app.content.checker import check_bank_file

    page = AuthorPage(["demo-lesson"])
    qtbot.addWidget(page)
    editor = BankEditor(page, lambda path: check_bank_file(path, codeset, {"demo-lesson"}),
                        DataOps(lambda: page, quiet=True), check_delay=10,
                        recovery_dir=tmp_path / "recovery", autosave_delay=10)
    return page, editor


def _copy(tmp_path: Path, name: str = "bank.yaml", source: Path = FIXTURE) -> Path:
    target = tmp_path / name
    shutil.copy(source, target)
    return target


def _edit_stem(qtbot, page, editor, index: int, text: str) -> None:  # type: ignore[no-untyped-def]
    page.select_index(index)
    page.form.stem.setPlainText(text)
    page.form.commit_text()
    qtbot.waitUntil(lambda: editor.document.item(index)["stem"] == text)


def test_with_no_bank_the_form_is_disabled_and_says_open_or_create(qtbot, author) -> None:  # type: ignore[no-untyped-def]
    page, editor = author
    page.show()
    assert not page.form.isEnabled() and not page.save_button.isEnabled() and not page.add_button.isEnabled()
    assert page.empty_hint.isVisible() and "Open or create a bank" in page.empty_hint.text()
    page.add_button.click()
    assert editor.document is None


def test_unsaved_edits_ask_save_discard_cancel_before_another_bank(qtbot, author, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    page, editor = author
    first, second = _copy(tmp_path, "first.yaml"), _copy(tmp_path, "second.yaml")
    assert editor.open(first)
    _edit_stem(qtbot, page, editor, 0, "Where does the dot go?")
    answers = iter(["cancel", "save"])
    asked: list[str] = []
    monkeypatch.setattr(UnsavedDialog, "ask", classmethod(lambda cls, parent, name: asked.append(name) or next(answers)))
    monkeypatch.setattr("app.ui.bank_editor.OpenFileDialog.ask", classmethod(lambda cls, *a: second))
    editor.ask_open()  # Cancel: the first bank and its edit stay
    assert editor.document.path == first and editor.document.item(0)["stem"] == "Where does the dot go?"
    editor.ask_open()  # Save: written, then the second bank opens
    assert asked == ["first.yaml", "first.yaml"]
    assert editor.document.path == second
    assert "Where does the dot go?" in first.read_text(encoding="utf-8")


def test_quitting_with_unsaved_edits_can_be_cancelled_and_a_recovery_copy_is_kept(qtbot, author, tmp_path: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    page, editor = author
    bank = _copy(tmp_path)
    assert editor.open(bank)
    _edit_stem(qtbot, page, editor, 0, "Typed, never saved.")
    recovery = editor.recovery_path()
    qtbot.waitUntil(lambda: recovery.is_file())  # autosaved shortly after the edit
    assert "Typed, never saved." in recovery.read_text(encoding="utf-8")
    assert "Typed, never saved." not in bank.read_text(encoding="utf-8")
    monkeypatch.setattr(UnsavedDialog, "ask", classmethod(lambda cls, parent, name: "cancel"))
    assert not editor.can_close()  # the window's close guard: Cancel keeps the app open

    # The app went away without saving: the next open offers the recovered edits.
    again = AuthorPage(["demo-lesson"])
    qtbot.addWidget(again)
    reopened = BankEditor(again, lambda path: [], DataOps(lambda: again, quiet=True),
                          recovery_dir=tmp_path / "recovery")
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, *args: True))
    assert reopened.open(bank)
    assert reopened.document.item(0)["stem"] == "Typed, never saved." and reopened.is_dirty()
    assert "unsaved" in again.status.text()
    reopened.save()
    assert "Typed, never saved." in bank.read_text(encoding="utf-8") and not recovery.exists()


def test_a_broken_file_gets_a_dialog_and_problems_wrap(qtbot, author, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page, editor = author
    assert editor.open(_copy(tmp_path))
    broken = tmp_path / "broken.yaml"
    broken.write_text("bank:\n  id: x\nitems:\n  - id: a\n    stem: [unclosed\n", encoding="utf-8")
    with qtbot.waitSignal(editor.ops.failed) as said:
        assert not editor.open(broken)
    assert f"{broken}:" in said.args[0] and "yaml:" in said.args[0]  # file, line, message
    assert page.problems.wordWrap()
    page.resize(900, 600)
    page.show()
    long_message = "x " * 200
    from app.core.problems import Problem

    page.show_problems([Problem(str(broken), 3, "stem", long_message)])
    entry = page.problems.item(0)
    assert page.problems.visualItemRect(entry).height() > 3 * page.problems.fontMetrics().height()


def test_a_save_changes_only_the_lines_of_the_items_edited(qtbot, author, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page, editor = author
    bank = _copy(tmp_path, source=REAL_BANK)
    before = bank.read_text(encoding="utf-8")
    assert editor.open(bank)
    _edit_stem(qtbot, page, editor, 1, editor.document.item(1)["stem"] + " (edited)")
    _edit_stem(qtbot, page, editor, 5, "A new question about conventions?")
    original = BankDocument.open(bank)
    edited = [(original.item_line(i), original.item_line(i + 1)) for i in (1, 5)]  # their lines, 1-based
    assert editor.save() == bank
    after = bank.read_text(encoding="utf-8")
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    changed = [(i1 + 1, i2) for tag, i1, i2, _j1, _j2 in matcher.get_opcodes() if tag != "equal"]
    assert changed, "the edits were saved"
    assert all(any(start <= first and last < end for start, end in edited) for first, last in changed), changed
    assert all(line == line.rstrip() for line in after.splitlines()), "no trailing spaces"
