"""The author view on a real bank file: edit, live check, undo/redo, save with comments kept.

Uses the real checker (the same as `medcode bank check`) over the real code-set data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.content.bank_document import BankDocument
from app.ui.author_page import AuthorPage
from app.ui.bank_editor import BankEditor
from app.ui.operations import DataOps

FIXTURE = Path(__file__).parent / "fixtures" / "editor-bank.yaml"


@pytest.fixture
def editor(qtbot, tmp_path: Path, codeset):  # type: ignore[no-untyped-def]
    from app.content.checker import check_bank_file

    bank = tmp_path / "bank.yaml"
    shutil.copy(FIXTURE, bank)
    page = AuthorPage(["demo-lesson"])
    qtbot.addWidget(page)
    editor = BankEditor(page, lambda path: check_bank_file(path, codeset, {"demo-lesson"}),
                        DataOps(lambda: page, quiet=True), check_delay=10)
    assert editor.open(bank)
    return page, editor, bank


def _errors(page: AuthorPage) -> list[str]:
    return [text for text in page.problem_texts() if "warning:" not in text and text != "No problems found."]


def test_edit_check_undo_redo_and_save_keep_comments_and_order(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    page, editor, bank = editor
    assert _errors(page) == []
    assert page.visible_ids() == ["dot-position", "nec-meaning", "type2-case"]

    # Edit the multiple-choice item: reword the stem and add feedback to the right option.
    page.select_index(0)
    page.form.stem.setPlainText("In an ICD-10-CM code, where is the dot written?")
    page.form.options.set_text(0, "feedback", "Yes: category first, then the dot.")
    qtbot.waitUntil(lambda: editor.document.item(0)["stem"].startswith("In an ICD-10-CM code"))
    assert editor.document.item(0)["options"][0]["feedback"] == "Yes: category first, then the dot."
    assert "In an ICD-10-CM code" in page.preview.toPlainText()

    # Edit the coding case: an invalid code in the key raises a message while it is there.
    page.select_index(2)
    page.form.key_lines.set_text(0, "code", "E11.99X")
    qtbot.waitUntil(lambda: any("E11.99X" in text for text in _errors(page)), timeout=5000)
    page.form.key_lines.set_text(0, "code", "E11.65")
    qtbot.waitUntil(lambda: _errors(page) == [], timeout=5000)
    assert editor.document.item(2)["key"]["sections"][0]["lines"][0] == {"code": "E11.65", "first": True}

    # Undo goes back through the invalid code to the original; redo comes forward again.
    editor.undo_stack.undo()
    assert editor.document.item(2)["key"]["sections"][0]["lines"][0]["code"] == "E11.99X"
    qtbot.waitUntil(lambda: any("E11.99X" in text for text in _errors(page)), timeout=5000)
    editor.undo_stack.undo()
    assert editor.document.item(2)["key"]["sections"][0]["lines"][0]["code"] == "E11.9"
    assert page.form.key_lines.rows()[0]["code"] == "E11.9"
    editor.undo_stack.redo()
    editor.undo_stack.redo()
    assert editor.document.item(2)["key"]["sections"][0]["lines"][0]["code"] == "E11.65"

    assert editor.save() == bank
    text = bank.read_text(encoding="utf-8")
    assert text.startswith("# Instructor's note: items follow the order of the lessons. Do not renumber.")
    assert "  # Reviewed with the spring cohort; keep wording as is.\n  - id: nec-meaning" in text
    assert text.index("id: dot-position") < text.index("id: nec-meaning") < text.index("id: type2-case")
    untouched = FIXTURE.read_text(encoding="utf-8")
    block = untouched[untouched.index("  - id: nec-meaning"):untouched.index("  - id: type2-case")]
    assert block in text  # the untouched item is byte-for-byte the same
    reopened = BankDocument.open(bank)
    assert reopened.item(0)["stem"] == "In an ICD-10-CM code, where is the dot written?"
    assert "unsaved" not in page.status.text()


def test_filter_and_add_and_delete_with_undo(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    page, editor, _ = editor
    page.filter.setText("diabetes")
    assert page.visible_ids() == ["type2-case"]
    page.filter.clear()
    page.type_filter.setCurrentText("true_false")
    assert page.visible_ids() == ["nec-meaning"]
    page.type_filter.setCurrentText("all types")
    editor.add_item("matching")
    assert editor.document.item(3)["type"] == "matching" and page.form.type.text() == "matching"
    editor.delete_item(0)
    assert editor.document.item_count() == 3 and editor.document.item(0)["id"] == "nec-meaning"
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert [editor.document.item(i)["id"] for i in range(3)] == ["dot-position", "nec-meaning", "type2-case"]


def test_a_file_that_is_not_a_bank_is_named_in_a_dialog_and_nothing_opens(qtbot, tmp_path: Path, editor) -> None:  # type: ignore[no-untyped-def]
    page, editor, _ = editor
    broken = tmp_path / "broken.yaml"
    broken.write_text("bank:\n  id: x\nitems: [\n", encoding="utf-8")
    with qtbot.waitSignal(editor.ops.failed) as said:
        assert not editor.open(broken)
    assert f"{broken}:4: yaml:" in said.args[0]  # file, line and message, in the dialog's text
    assert editor.document is not None and editor.document.path.name == "bank.yaml"
    assert page.file_label.text().endswith("bank.yaml")
