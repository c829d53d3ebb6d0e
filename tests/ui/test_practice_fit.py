"""Practice fit and finish: keys work after the sidebar, scores add up item by item, the
overall verdict agrees with the lines, answers reopen from Progress, one sidebar selection."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.models import Finding, GradeResult, SingleChoice
from app.main import build_tutor
from app.paths import resolve_paths
from app.ui.practice_page import verdict_head


def _tutor(qtbot, data_dir: Path):  # type: ignore[no-untyped-def]
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    tutor.set_profile(tutor.store.create_profile("Ana"))
    tutor.window.show()
    with qtbot.waitActive(tutor.window):
        tutor.window.activateWindow()
    return tutor


def _row(window, title: str) -> int:  # type: ignore[no-untyped-def]
    return next(r for r in range(window.nav.count()) if window.nav.item(r).text() == title)


def test_practice_keys_work_right_after_choosing_practice_in_the_sidebar(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tutor = _tutor(qtbot, data_dir)
    window, page = tutor.window, tutor.pages.practice
    choices = [i for b in tutor.content.banks for i in b.items if isinstance(i, SingleChoice)][:2]
    tutor.start_with(choices)
    window.nav.setCurrentRow(_row(window, "Lessons"))
    window.nav.setFocus()
    window.nav.setCurrentRow(_row(window, "Practice"))  # as a click in the sidebar does
    focused = QApplication.focusWidget()
    assert focused is not None and page.isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_1)
    assert page.answer.has_answer()
    with qtbot.waitSignal(page.submitted):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def test_the_summary_shows_points_per_item_and_explains_partial_credit(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tutor = _tutor(qtbot, data_dir)
    page = tutor.pages.practice
    items = [i for b in tutor.content.banks for i in b.items]
    case = next(i for i in items if i.type == "coding_case")
    choice = next(i for i in items if isinstance(i, SingleChoice))
    tutor.start_with([choice, case])
    page.pick(1)
    page.submit.click()
    page.next.click()
    page.answer.set_code(0, 0, case.key.sections[0].lines[0].codes[0])  # the first key line only
    page.submit.click()
    page.next.click()
    text = page.welcome.toPlainText()
    summary = tutor.session.summary()
    assert [line.item_id for line in summary.items] == [choice.meta.id, case.meta.id]
    for line in summary.items:
        assert f"{line.score:g} / {line.max_score:g}" in text
    assert f"{summary.score:g} / {summary.max_score:g}" in text  # the total row
    assert summary.score == sum(line.score for line in summary.items)
    assert "Partial credit:" in text


def test_the_overall_verdict_never_says_correct_over_a_line_marked_wrong() -> None:
    extra = Finding("extra", "Z79.4", "Not in the key.")
    right = Finding("correct", "E11.9", "Right.")
    assert "✓ Correct" in verdict_head(GradeResult(1, 1, True, (right,)))
    mixed = verdict_head(GradeResult(1, 1, True, (right, extra)))
    assert "Correct" not in mixed and "1 line marked below" in mixed
    assert "Not right" in verdict_head(GradeResult(0, 1, False, (extra,)))


def test_progress_shows_titles_and_topic_names_and_reopens_an_answer(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tutor = _tutor(qtbot, data_dir)
    choice = next(i for b in tutor.content.banks for i in b.items if isinstance(i, SingleChoice))
    tutor.start_with([choice])
    tutor.pages.practice.pick(1)
    tutor.pages.practice.submit.click()
    progress = tutor.pages.progress
    tutor.window.show_page(progress)
    title = progress.recent_titles()[0]
    assert title != choice.meta.id and title.split()[0] in (choice.meta.title or choice.stem)
    assert progress.recent.item(0, 1).text() != choice.meta.topic  # a topic name, not "icd10cm"
    assert not progress.items_box.isVisible()  # instructor statistics behind a toggle
    progress.statistics.setChecked(True)
    assert progress.items_box.isVisible()
    progress.recent.cellDoubleClicked.emit(0, 0)
    dialog = tutor.answer_dialog
    assert dialog.isVisible()
    text = dialog.text.toPlainText()
    assert "Your answer" in text and ("Rationale" in text or "right" in text.lower())


def test_one_sidebar_entry_looks_selected_after_a_profile_switch(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tutor = _tutor(qtbot, data_dir)
    window = tutor.window
    window.nav.setCurrentRow(_row(window, "Progress"))
    tutor.set_profile(tutor.store.create_profile("Bea"))
    assert len(window.nav.selectedItems()) == 1
    assert window.nav.selectedItems()[0] is window.nav.currentItem()
    assert "outline: 0" in QApplication.instance().styleSheet().replace("outline:0", "outline: 0")
