"""A long scripted session, then Ctrl+Q (issue 17, point 13: "Fatal Python error: bool_dealloc").

The abort came from the PySide6 6.12.0 reference leak on Python 3.11 (tests/ui/test_qt_refcount.py
guards the pin). This test covers the other way such a session can end in a crash: Python
objects used by Qt after deletion (answer widgets replaced item after item, rows removed,
pages built late, a bank edited, the text size and theme changed). It answers every item
through the widgets, quits through the Quit action, and checks the counts of None, True and
False, and that every answer was saved.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from app.core.models import CodingCase, Matching, Numeric, ShortAnswer
from app.main import CONTENT_ROOT, build_tutor
from app.paths import resolve_paths

ROUNDS = 2  # the whole bank twice: every answer widget made and replaced many times


def _answer(page, item) -> None:  # type: ignore[no-untyped-def]
    """Answer through the widget, as a learner would (right or wrong does not matter here)."""
    widget = page.answer
    if isinstance(item, CodingCase):
        for section_index, section in enumerate(item.key.sections):
            widget.set_code(section_index, 0, section.lines[0].codes[0])
        widget.sections[0].add.click()
        widget.sections[0].remove_row(widget.sections[0].rows[-1])  # a row added and removed
    elif isinstance(item, (Numeric, ShortAnswer)):
        widget.edit.setText("42")
    elif isinstance(item, Matching):
        for box in widget.boxes:
            box.setCurrentIndex(1)
    else:
        page.pick(1)


@pytest.mark.slow
def test_a_long_session_then_quit_ends_cleanly_with_everything_saved(qtbot, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    window = tutor.window
    qtbot.addWidget(window)
    profile = tutor.store.create_profile("Long Session")
    tutor.set_profile(profile)
    window.show()
    every = [i for b in tutor.content.banks for i in b.items]
    kinds = {i.type for i in every}
    # Every item type, and 60 items in all: the banks hold hundreds, a session need not.
    items = [next(i for i in every if i.type == kind) for kind in sorted(kinds)]
    items += [i for i in every[:: max(1, len(every) // 60)] if i not in items][: 60 - len(items)]
    counts = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    answered = 0
    for round_number in range(ROUNDS):
        tutor.start_with(items)
        page = tutor.pages.practice
        for position, item in enumerate(items):
            _answer(page, item)
            page.submit.click()
            assert page.next.isEnabled(), item.meta.id
            answered += 1
            if position % 9 == 0:  # wander: every page, built or not, and back
                window.nav.setCurrentRow((position // 9) % window.nav.count())
                window.show_page(page)
            if position % 13 == 0:
                window.step_text_size(1 if round_number == 0 else -1)
            QApplication.processEvents()
            page.next.click()
        gc.collect()
    tutor.appearance.set_theme("dark")
    bank = tmp_path / "bank.yaml"
    bank.write_text((CONTENT_ROOT / "question_bank" / "icd10cm-conventions.yaml").read_text(encoding="utf-8"))
    tutor.author.widget()
    tutor.editor.open(bank)
    tutor.editor.page.form.title.setText("Edited in a long session")
    tutor.editor.page.form.title.editingFinished.emit()
    tutor.editor.save()
    gc.collect()
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    # More objects may refer to None/True/False now (caches, the author view); a leak shows as
    # counts that fall, and an interpreter that aborts when one reaches zero.
    assert all(a >= b - 50 for a, b in zip(after, counts, strict=True)), (counts, after)

    quit_action = next(a for a in window.findChildren(QAction) if a.text() == "&Quit")
    quit_action.trigger()  # Ctrl+Q
    QApplication.processEvents()
    assert not window.isVisible()
    tutor.appearance.set_theme("system")
    tutor.appearance.set_text_size(12)
    gc.collect()
    assert len(tutor.store.attempts(profile.id)) == answered == ROUNDS * len(items)
    assert "Edited in a long session" in bank.read_text(encoding="utf-8")
