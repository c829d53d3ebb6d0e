"""Answer widgets and the practice page's keyboard use, on real widgets (offscreen)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.models import GradeResult, ItemMeta, MatchPair, Matching, MultipleResponse, Option, SingleChoice, TrueFalse
from app.ui.answers import ChoiceAnswer, MatchingAnswer, TrueFalseAnswer, answer_widget_for
from app.ui.practice_page import PracticePage

META = ItemMeta(id="q1", topic="icd10cm", rationale="Because **7** characters.")


def _single(shuffle: bool = True) -> SingleChoice:
    return SingleChoice(META, "How many?", (Option("5"), Option("7", correct=True), Option("9")), shuffle)


def test_choice_answer_maps_display_numbers_to_option_indexes(qtbot) -> None:
    widget = ChoiceAnswer(_single(), seed=3)
    qtbot.addWidget(widget)
    assert not widget.has_answer() and widget.response() is None
    position_of_right = widget.order.index(1) + 1
    widget.pick(position_of_right)
    assert widget.response() == 1
    multi = ChoiceAnswer(MultipleResponse(META, "Pick", (Option("a", True), Option("b"), Option("c", True)), False), seed=1)
    qtbot.addWidget(multi)
    multi.pick(3)
    multi.pick(1)
    multi.pick(1)  # toggles off again
    assert multi.response() == [2]


def test_true_false_and_matching_responses(qtbot) -> None:
    tf = TrueFalseAnswer(TrueFalse(META, "Is it?", answer=False))
    qtbot.addWidget(tf)
    tf.pick(2)
    assert tf.response() is False
    matching = MatchingAnswer(Matching(META, "Match", (MatchPair("-itis", "inflammation"), MatchPair("-ectomy", "removal"))), seed=1)
    qtbot.addWidget(matching)
    box = matching.boxes[1]
    box.setCurrentIndex(box.findData("removal"))
    assert matching.response() == {"1": "removal"}
    assert answer_widget_for(_single(), 1) is not None


def test_keys_pick_submit_and_go_next(qtbot) -> None:
    page = PracticePage(case_factory=lambda item: None)
    qtbot.addWidget(page)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    item = _single(shuffle=False)
    page.show_item(item, 1, 2)
    with qtbot.waitSignal(page.submitted, timeout=2000) as submitted:
        qtbot.keyClick(page.answer, Qt.Key.Key_2)
        qtbot.keyClick(page.answer, Qt.Key.Key_Return)
    assert submitted.args == [1]
    page.show_result(item, GradeResult(1.0, 1.0, True, feedback="Seven it is."))
    assert "Correct" in page.result.toPlainText() and "Rationale" in page.result.toPlainText()
    with qtbot.waitSignal(page.next_requested, timeout=2000):
        qtbot.keyClick(page.next, Qt.Key.Key_N)


def test_submitting_without_an_answer_asks_for_one(qtbot) -> None:
    page = PracticePage(case_factory=lambda item: None)
    qtbot.addWidget(page)
    page.show_item(_single(), 1, 1)
    with qtbot.assertNotEmitted(page.submitted):
        page._submit()
    assert "Choose or type an answer first" in page.result.toPlainText()
