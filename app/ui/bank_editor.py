"""Controller of the author view: the open bank, undo/redo, live checks, saving."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox

from app.content.bank_document import BankDocument, Checker
from app.content.results_file import write_text_atomic
from app.core.problems import Problem
from app.ui.author_page import AuthorPage, preview_html
from app.ui.dialogs import ConfirmDialog, OpenFileDialog, SaveFileDialog, UnsavedDialog
from app.ui.operations import DataOps

STARTER_BANK = """# A new question bank: see docs/question-bank-format.md.
bank:
  id: {bank_id}
  title: {title}
  version: 0.1.0
  author: ""
  licence: CC-BY-4.0
  code_year: 2026
items:
  - id: first-question
    type: single_choice
    topic: icd10cm
    stem: Write the question here.
    options:
      - text: Right answer
        correct: true
      - text: Wrong answer
    rationale: Explain the answer here.
"""

NEW_ITEMS: dict[str, dict] = {  # type: ignore[type-arg]
    "single_choice": {"options": [{"text": "Right answer", "correct": True}, {"text": "Wrong answer"}]},
    "multiple_response": {"options": [{"text": "Right answer", "correct": True}, {"text": "Wrong answer"}]},
    "true_false": {"answer": True},
    "numeric": {"answer": 0, "tolerance": 0},
    "matching": {"pairs": [{"prompt": "-itis", "answer": "inflammation"}, {"prompt": "-ectomy", "answer": "surgical removal"}]},
    "short_answer": {"answers": [{"text": "answer", "weight": 100}]},
    "coding_case": {"note": "Synthetic record.", "key": {"sections": [{"code_set": "icd10cm", "lines": [{"code": ""}]}]}},
}


class EditItem(QUndoCommand):
    """One edit of one item: holds the item before and after, as plain dicts."""

    def __init__(self, editor: BankEditor, index: int, before: dict | None, after: dict | None, text: str):  # type: ignore[type-arg]
        super().__init__(text)
        self.editor, self.index, self.before, self.after = editor, index, before, after

    def _apply(self, value: dict | None, old: dict | None) -> None:  # type: ignore[type-arg]
        doc = self.editor.document
        assert doc is not None
        if old is None:  # the item was added
            doc.insert_item(self.index, value or {})
        elif value is None:  # the item is removed
            doc.remove_item(self.index)
        else:
            doc.set_item(self.index, value)
        self.editor.changed(self.index if value is not None else max(0, self.index - 1))

    def redo(self) -> None:
        self._apply(self.after, self.before)

    def undo(self) -> None:
        self._apply(self.before, self.after)


class BankEditor(QObject):
    def __init__(self, page: AuthorPage, checker: Checker, ops: DataOps, check_delay: int = 300,
                 recovery_dir: Path | None = None, autosave_delay: int = 2000):
        # Owned by the page: Qt deletes the editor, its timers and undo stack together with
        # the page, instead of Python's garbage collector deleting them later, at a random
        # moment, from whatever code happens to be running (a crash seen at exit and in tests).
        super().__init__(page)
        self.page, self.checker, self.ops = page, checker, ops
        self.recovery_dir = recovery_dir
        self.document: BankDocument | None = None
        self._restored = False  # edits restored from a recovery copy are unsaved too
        self._autosave = QTimer(self, singleShot=True, interval=autosave_delay)
        self._autosave.timeout.connect(self.write_recovery)
        page.new_requested.connect(self.ask_new)
        self.undo_stack = QUndoStack(self)
        self._index = -1
        self._checking = QTimer(self, singleShot=True, interval=check_delay)
        self._checking.timeout.connect(self.check_now)
        page.open_requested.connect(self.ask_open)
        page.save_requested.connect(self.save)
        page.item_selected.connect(self.select)
        page.add_requested.connect(self.add_item)
        page.delete_requested.connect(self.delete_item)
        page.form.changed.connect(self.form_edited)
        page.undo_button.clicked.connect(self.undo_stack.undo)
        page.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(page.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(page.redo_button.setEnabled)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        page.undo_button.setEnabled(False)
        page.redo_button.setEnabled(False)
        self.problems: list[Problem] = []

    # -- opening and saving ----------------------------------------------------------
    def ask_open(self) -> None:
        if not self.can_close():
            return
        path = OpenFileDialog.ask(self.page, "Open a question bank", "Question banks (*.yaml *.yml)")
        if path is not None:
            self.open(path)

    def ask_new(self) -> None:
        """Write a starter bank where the instructor says, and open it."""
        if not self.can_close():
            return
        path = SaveFileDialog.ask(self.page, "New question bank", "my-bank.yaml", "Question banks (*.yaml *.yml)")
        if path is None:
            return
        bank_id = "".join(c if c.isalnum() else "-" for c in path.stem.lower()).strip("-") or "my-bank"
        text = STARTER_BANK.format(bank_id=bank_id, title=path.stem.replace("-", " ").capitalize())
        if self.ops.run("create the bank", lambda: write_text_atomic(path, text)) is not None:
            self.open(path)

    def is_dirty(self) -> bool:
        return self.document is not None and (self._restored or not self.undo_stack.isClean())

    def can_close(self) -> bool:
        """Before another bank replaces this one or the app quits: Save / Discard / Cancel."""
        if not self.is_dirty():
            return True
        self.page.form.commit_text()
        answer = UnsavedDialog.ask(self.page, self.document.path.name)  # type: ignore[union-attr]
        if answer == "save":
            return self.save() is not None
        if answer == "discard":
            self._remove_recovery()
            self.undo_stack.setClean()
            self._restored = False
        return answer == "discard"

    def open(self, path: Path) -> bool:
        try:
            document = BankDocument.open(path)
        except ValueError as error:  # FILE:LINE: field: message — said in a dialog, old bank stays
            message = f"This bank cannot be opened:\n\n{error}"
            self.ops.failed.emit(message)
            if not self.ops.quiet:
                QMessageBox.warning(self.page, "Open a question bank", message)
            return False
        self.document = document
        self.undo_stack.clear()
        self._restored = self._offer_recovery(document)
        self.page.set_editable(True)
        self.page.file_label.setText(str(path))
        self.page.file_label.setToolTip(str(path))
        self._index = -1
        self._list(0)
        self.select(0)
        self.check_now()
        return True

    def save(self) -> Path | None:
        if self.document is None:
            return None
        self.page.form.commit_text()
        saved = self.ops.run("save the bank", self.document.save)
        if saved is not None:
            self._restored = False
            self.undo_stack.setClean()
            self._remove_recovery()
            self._show_status()
        return saved

    # -- the recovery copy -------------------------------------------------------------
    def recovery_path(self) -> Path | None:
        """Where unsaved edits of the open bank are copied (a crash or power cut loses nothing)."""
        if self.document is None:
            return None
        path = self.document.path.resolve()
        if self.recovery_dir is None:
            return path.with_name(f".{path.name}.recovery")
        return self.recovery_dir / f"{hashlib.sha1(str(path).encode()).hexdigest()[:12]}-{path.name}"

    def write_recovery(self) -> None:
        target = self.recovery_path()
        if target is not None and self.is_dirty():
            text = self.document.text()  # type: ignore[union-attr]
            self.ops.run("keep a recovery copy", lambda: write_text_atomic(target, text))

    def _remove_recovery(self) -> None:
        target = self.recovery_path()
        if target is not None:
            target.unlink(missing_ok=True)

    def _offer_recovery(self, document: BankDocument) -> bool:
        target = self.recovery_path()
        if target is None or not target.is_file():
            return False
        try:
            recovered = BankDocument.open(target)
        except ValueError:
            return False
        if recovered.text() == document.text() or not ConfirmDialog.ask(
                self.page, "Unsaved edits found",
                f"{document.path.name} has edits that were never saved (the app closed before saving). "
                "Restore them?", "Restore"):
            target.unlink(missing_ok=True)
            return False
        document.tree = recovered.tree
        return True

    # -- items -------------------------------------------------------------------------
    def _list(self, select: int | None) -> None:
        doc = self.document
        assert doc is not None
        rows = []
        for index in range(doc.item_count()):
            item = doc.item(index)
            rows.append((index, str(item.get("id", "?")), str(item.get("type", "?")),
                         f"{item.get('title', '')} {item.get('stem', '')} {item.get('note', '')} {item.get('topic', '')} {' '.join(map(str, item.get('tags') or []))}"))
        self.page.show_items(rows, select)

    def select(self, index: int) -> None:
        if self.document is None or not 0 <= index < self.document.item_count():
            return
        self.page.form.commit_text()
        self._index = index
        item = self.document.item(index)
        self.page.form.load(item)
        self.page.preview.setHtml(preview_html(item))

    def form_edited(self) -> None:
        if self.document is None or self._index < 0:
            return
        before, after = self.document.item(self._index), self.page.form.values()
        if before != after:
            self.undo_stack.push(EditItem(self, self._index, before, after, f"Edit {after.get('id', '')}"))

    def add_item(self, kind: str) -> None:
        if self.document is None:
            return
        taken = {str(self.document.item(i).get("id")) for i in range(self.document.item_count())}
        number = next(n for n in range(1, 10_000) if f"new-{kind.replace('_', '-')}-{n}" not in taken)
        item = {"id": f"new-{kind.replace('_', '-')}-{number}", "type": kind, "topic": "icd10cm",
                "stem": "Write the question here.", **NEW_ITEMS[kind], "rationale": "Explain the answer here."}
        self.undo_stack.push(EditItem(self, self.document.item_count(), None, item, f"Add {item['id']}"))
        self.page.select_index(self.document.item_count() - 1)

    def delete_item(self, index: int) -> None:
        if self.document is not None and 0 <= index < self.document.item_count():
            self.undo_stack.push(EditItem(self, index, self.document.item(index), None, "Delete item"))

    def changed(self, index: int) -> None:
        """After any edit, undo or redo: refresh the list, the form, the preview; re-check soon."""
        self._list(index)
        self._index = -1
        self.select(index)
        self._show_status()
        self._checking.start()
        self._autosave.start()

    # -- checking ------------------------------------------------------------------------
    def check_now(self) -> list[Problem]:
        if self.document is None:
            return []
        self.problems = sorted(self.document.check(self.checker), key=lambda p: (p.line, p.field))
        self.page.show_problems(self.problems)
        self._show_status()
        return self.problems

    def _clean_changed(self, _clean: bool) -> None:
        try:
            self._show_status()
        except RuntimeError:  # the stack is being destroyed with the window at exit
            pass

    def _show_status(self) -> None:
        errors = sum(1 for p in self.problems if p.severity == "error")
        dirty = " · unsaved changes" if self.is_dirty() else ""
        self.page.status.setText(f"{errors} error(s), {len(self.problems) - errors} warning(s){dirty}")


def checker_for(check_bank_file: Callable[..., list[Problem]], codes: object, lesson_ids: set[str]) -> Checker:
    return lambda path: check_bank_file(path, codes, lesson_ids)
