"""The coding-case entry widget on real widgets, the real code-set data and the real scorer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from app.core.codeset import CodeSystem
from app.core.models import AnswerKey, CodingCase, ItemMeta, KeyLine, KeySection
from app.ui.case_answer import case_factory
from app.ui.case_entry import CaseEntry

META = ItemMeta(id="case-wrist", topic="icd10cm", rationale="Initial encounter: **A**, and code the fall.")
NOTE = "Synthetic record. A 9-year-old fell from a swing; X-ray shows a torus fracture of the right distal radius."


def _fracture_case() -> CodingCase:
    diagnoses = KeySection(CodeSystem.ICD10CM, (KeyLine(("S52.521A",), first=True), KeyLine(("W19.XXXA",))),
                           label="Diagnoses")
    return CodingCase(META, "Assign the ICD-10-CM codes.", NOTE, AnswerKey((diagnoses,)))


def _mixed_case() -> CodingCase:
    diagnoses = KeySection(CodeSystem.ICD10CM, (KeyLine(("S82.61XA",)),))
    procedures = KeySection(CodeSystem.CPT, (KeyLine(("27786",), modifiers=("RT",), units=1),), label="Procedures")
    return CodingCase(META, "Code the visit.", NOTE, AnswerKey((diagnoses, procedures)))


def _plain(label) -> str:  # type: ignore[no-untyped-def]
    """What a rich-text label reads as, links included as their text."""
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText()


def _entry(qtbot, codeset, case: CodingCase) -> CaseEntry:  # type: ignore[no-untyped-def]
    entry = CaseEntry(case, codeset)
    qtbot.addWidget(entry)
    return entry


def test_sections_rows_and_response_format(qtbot, codeset) -> None:
    entry = _entry(qtbot, codeset, _mixed_case())
    icd, cpt = entry.sections
    assert icd.title() == "Diagnoses (ICD-10-CM)" and cpt.title() == "Procedures (CPT)"
    assert len(icd.rows) == 3 and len(cpt.rows) == 3
    assert icd.rows[0].modifiers is None and cpt.rows[0].units is not None
    assert not entry.has_answer() and entry.response() == ["", ""]
    icd.rows[0].code.setText("s82.61xa")
    icd.rows[2].code.setText("W19.XXXA")  # the empty row between is skipped
    cpt.rows[0].code.setText("27786")
    cpt.rows[0].modifiers.setText("rt, 59")
    cpt.rows[0].units.setValue(2)
    cpt.rows[1].code.setText("99213")
    cpt.rows[1].modifiers.setText("25")
    assert entry.has_answer()
    assert entry.response() == ["S82.61XA, W19.XXXA", "27786-RT-59x2, 99213-25"]
    assert icd.rows[0].title.text() == codeset.lookup("S82.61XA").title  # what a code book shows
    assert cpt.rows[1].code.accessibleName() == "Procedures code 2"
    entry.set_code(1, 4, "J1100-JW x3".replace(" ", ""))  # rows are added up to the one asked for
    assert len(cpt.rows) == 5 and cpt.rows[4].units.value() == 3 and cpt.rows[4].modifiers.text() == "JW"
    assert entry.response()[1] == "27786-RT-59x2, 99213-25, J1100-JWx3"


def test_add_and_remove_rows_enter_and_tab(qtbot, codeset) -> None:
    entry = _entry(qtbot, codeset, _fracture_case())
    group = entry.sections[0]
    group.add.click()
    assert len(group.rows) == 4
    group.remove_row(group.rows[3])
    qtbot.waitUntil(lambda: len(group.rows) == 3)
    last = group.rows[-1]
    last.code.setText("W19.XXXA")
    qtbot.keyClick(last.code, Qt.Key.Key_Return)
    assert len(group.rows) == 4
    qtbot.keyClick(group.rows[-1].code, Qt.Key.Key_Tab)  # empty last row: Tab moves on, adds nothing
    assert len(group.rows) == 4
    group.rows[-1].code.setText("S52.521A")
    qtbot.keyClick(group.rows[-1].code, Qt.Key.Key_Tab)
    assert len(group.rows) == 5
    with qtbot.assertNotEmitted(entry.submit_requested):
        qtbot.keyClick(group.rows[-1].code, Qt.Key.Key_Return)  # Enter never submits a case
    assert len(group.rows) == 5  # and an empty last row adds nothing


def test_tab_goes_code_modifiers_units_next_row_and_skips_the_remove_buttons(qtbot, codeset) -> None:
    entry = _entry(qtbot, codeset, _mixed_case())
    with qtbot.waitActive(entry):
        entry.show()
        entry.activateWindow()
    cpt = entry.sections[1]
    first, second = cpt.rows[0], cpt.rows[1]
    first.code.setFocus()
    visited = []
    for _ in range(4):
        visited.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert visited == [first.code, first.modifiers, first.units, second.code]
    assert first.remove.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert entry.submit_label == "Submit (Ctrl+Enter)"


def test_a_typed_list_spreads_over_rows(qtbot, codeset) -> None:
    entry = _entry(qtbot, codeset, _fracture_case())
    with qtbot.waitActive(entry):
        entry.show()
        entry.activateWindow()
    group = entry.sections[0]
    group.rows[0].code.setFocus()
    for key in "S52.521A, W19.XXXA I10 ":  # keys go to the focused row, as when typing
        qtbot.keyClicks(entry.focusWidget(), key)
    assert [row.code_text() for row in group.filled_rows()] == ["S52.521A", "W19.XXXA", "I10"]
    assert entry.response() == ["S52.521A, W19.XXXA, I10"]
    words = group.rows[3].code
    words.setFocus()
    qtbot.keyClicks(words, "torus fract")  # words (no digits) stay in one row: a search for the completer
    assert words.text() == "torus fract" and len(group.rows) == 4
    qtbot.waitUntil(lambda: group.rows[3].completions.rowCount() > 0, timeout=2000)
    assert all(codeset.lookup(t.split()[0], CodeSystem.ICD10CM) for t in group.rows[3].completions.stringList())


def test_completion_model_comes_from_the_code_set_search(qtbot, codeset) -> None:
    entry = _entry(qtbot, codeset, _mixed_case())
    row = entry.sections[0].rows[0]
    qtbot.keyClicks(row.code, "S52.52")
    expected = [f"{hit.code}  {hit.title}" for hit in codeset.search("S52.52", system=CodeSystem.ICD10CM, limit=15)]
    assert expected and all(text.startswith("S52.52") for text in expected)
    qtbot.waitUntil(lambda: row.completions.stringList() == expected, timeout=2000)
    assert row.code.completer().popup().minimumWidth() > row.code.maximumWidth()  # titles get room
    cpt_row = entry.sections[1].rows[0]
    qtbot.keyClicks(cpt_row.code, "fracture")  # words search only this section's code set
    qtbot.waitUntil(lambda: cpt_row.completions.rowCount() > 0, timeout=2000)
    codes = [text.split()[0] for text in cpt_row.completions.stringList()]
    assert all(codeset.lookup(code, CodeSystem.CPT) is not None for code in codes)
    row.code.completer().activated.emit(expected[-1])  # choosing an entry keeps only its code
    qtbot.waitUntil(lambda: row.code.text() == expected[-1].split()[0], timeout=1000)


def test_lock_makes_rows_read_only(qtbot, codeset) -> None:
    entry = _entry(qtbot, codeset, _mixed_case())
    entry.sections[1].rows[0].code.setText("27786")
    entry.lock()
    for group in entry.sections:
        assert group.add.isHidden()
        for row in group.rows:
            assert row.code.isReadOnly() and row.remove.isHidden()
            assert row.isHidden() == (not row.code_text())
            assert row.modifiers is None or row.modifiers.isReadOnly()
            assert row.units is None or row.units.isReadOnly()
    assert entry.isEnabled()  # results stay clickable
    assert entry.response() == ["", "27786"]


def test_pair_and_unreadable_findings_from_the_real_scorer(qtbot, codeset) -> None:
    from app.core.scoring import grade

    diabetes = KeySection(CodeSystem.ICD10CM, (KeyLine(("E11.9",)),))
    case = CodingCase(META, "Code the diagnoses.", "Synthetic record: type 2 diabetes, no complications.",
                      AnswerKey((diabetes,)))
    entry = _entry(qtbot, codeset, case)
    group = entry.sections[0]
    entry.set_code(0, 0, "E11.9")
    entry.set_code(0, 2, "ZZ")  # not shaped like a code: the scorer does not number it
    entry.set_code(0, 3, "E10.9")  # Excludes1 at E11 (tabular data)
    result = grade(case, entry.response(), codeset)
    entry.show_result(result)
    pair = next(f for f in result.findings if f.verdict == "excludes1_conflict")
    assert {pair.code, pair.related} == {"E10.9", "E11.9"}
    for row in (group.rows[0], group.rows[3]):
        assert "excludes1 conflict" in row.feedback.text() and pair.message in _plain(row.feedback)
    assert group.rows[0].property("verdict") == "amber"  # right code, but in a conflicting pair
    assert group.rows[3].property("verdict") == "red" and "extra" in group.rows[3].badge.text()
    assert group.rows[2].property("verdict") == "red" and "unreadable" in group.rows[2].badge.text()
    assert group.rows[1].property("verdict") is None


def test_graded_case_shows_wrong_seventh_character_and_missing_line(qtbot, codeset) -> None:
    from app.core.scoring import grade

    case = _fracture_case()
    entry = _entry(qtbot, codeset, case)
    group = entry.sections[0]
    group.rows[0].code.setText("S52.521D")  # wrong 7th character; the fall code is left out
    result = grade(case, entry.response(), codeset)
    entry.show_result(result)
    entry.lock()
    row = group.rows[0]
    seventh = next(f for f in result.findings if f.verdict == "wrong_seventh_character")
    assert seventh.learner_index == 0 and seventh.code == "S52.521D"
    assert row.property("verdict") == "amber" and not row.badge.isHidden()
    assert "wrong 7th character" in row.badge.text()
    assert seventh.message in _plain(row.feedback)  # the finding's own sentence, shown
    missing = next(f for f in result.findings if f.verdict == "missing" and f.code == "W19.XXXA")
    assert not group.feedback.isHidden() and "Missing" in group.feedback.text()
    assert "code:W19.XXXA" in group.feedback.text() and missing.message in _plain(group.feedback)
    assert group.rows[1].property("verdict") is None  # empty rows stay plain
    with qtbot.waitSignal(entry.code_clicked, timeout=1000) as clicked:
        group.feedback.linkActivated.emit("code:W19.XXXA")
    assert clicked.args == ["W19.XXXA"]
    with qtbot.waitSignal(entry.code_clicked, timeout=1000) as clicked:
        row.feedback.linkActivated.emit("code:S52.521A")  # the key's code cited in the sentence
    assert clicked.args == ["S52.521A"]
    assert "code:S52.521A" in row.feedback.text() and "code:S52.521D" in row.feedback.text()


def test_findings_map_to_rows_across_sections(qtbot, codeset) -> None:
    from app.core.scoring import grade

    case = _mixed_case()
    entry = _entry(qtbot, codeset, case)
    icd, cpt = entry.sections
    icd.rows[1].code.setText("S82.61XA")  # after an empty row: still the first entry
    cpt.rows[0].code.setText("99213")
    cpt.rows[2].code.setText("27786")
    cpt.rows[2].modifiers.setText("RT")
    cpt.rows[2].units.setValue(3)
    result = grade(case, entry.response(), codeset)
    entry.show_result(result)
    verdicts = {f.verdict for f in result.findings}
    assert {"correct", "extra", "units_wrong"} <= verdicts
    assert icd.rows[1].property("verdict") == "correct" and "✓ correct" in icd.rows[1].badge.text()
    assert cpt.rows[0].property("verdict") == "red" and "extra" in cpt.rows[0].badge.text()
    assert cpt.rows[2].property("verdict") == "amber" and "units wrong" in _plain(cpt.rows[2].feedback)
    assert cpt.rows[1].property("verdict") is None


def _practice_window(qtbot, codeset):  # type: ignore[no-untyped-def]
    """The main window with the real practice page (case factory wired) and the code browser,
    added as the app adds it: a page built the first time a code link opens it."""
    from app.ui.case_answer import code_page_opener
    from app.ui.code_browser import CodeBrowser
    from app.ui.main_window import MainWindow
    from app.ui.practice_page import PracticePage

    window = MainWindow()
    qtbot.addWidget(window)
    page = PracticePage(case_factory(codeset, lambda code: open_code(code)))
    window.add_page("Practice", page)
    browser = window.add_lazy_page("Code browser", lambda: CodeBrowser(codeset))
    open_code = code_page_opener(window, browser)
    window.resize(1100, 820)
    window.show()
    return window, page, browser


def test_practice_page_runs_a_case_and_links_open_the_browser(qtbot, codeset) -> None:
    from app.core.scoring import grade

    window, page, browser = _practice_window(qtbot, codeset)
    case = _fracture_case()
    page.show_item(case, 1, 1)
    entry = page.answer
    assert isinstance(entry, CaseEntry)
    with qtbot.waitActive(window):
        window.activateWindow()
    group = entry.sections[0]
    first = group.rows[0].code
    first.setFocus()
    qtbot.keyClicks(first, "S52.521D")
    with qtbot.assertNotEmitted(page.submitted):
        qtbot.keyClick(first, Qt.Key.Key_Return)  # Enter on a filled row moves on, not submits
    assert group.rows[1].code.hasFocus() and len(group.rows) == 3
    with qtbot.assertNotEmitted(page.submitted):
        qtbot.keyClick(group.rows[1].code, Qt.Key.Key_Return)  # Enter on an empty row does not submit
    assert page.submit.text() == "Submit (Ctrl+Enter)"
    with qtbot.waitSignal(page.submitted, timeout=2000) as submitted:
        qtbot.keyClick(group.rows[1].code, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert submitted.args[0] == ["S52.521D"]
    page.show_result(case, grade(case, submitted.args[0], codeset))
    assert entry.sections[0].rows[0].code.isReadOnly()
    assert "wrong 7th character" in entry.sections[0].rows[0].badge.text()
    def laid_out() -> bool:  # the Next button and the result pane fit in the window
        bottom = page.result.mapTo(window, page.result.rect().bottomLeft()).y()
        return page.result.height() > 40 and entry.height() >= entry.minimumHeight() and bottom < window.height()

    qtbot.waitUntil(laid_out, timeout=3000)
    row = entry.sections[0].rows[0]
    assert row.height() >= row.heightForWidth(row.width()) > 0  # the wrapped sentence is not squashed
    assert not browser.built  # nothing opened it yet
    entry.sections[0].feedback.linkActivated.emit("code:W19.XXXA")
    assert browser.built
    qtbot.waitUntil(lambda: window.pages.currentWidget() is browser.widget(), timeout=2000)
    assert window.nav.currentItem().text() == "Code browser"
    assert "W19.XXXA" in browser.widget().detail.toPlainText()


def test_back_from_a_code_followed_in_feedback_returns_to_the_item(qtbot, codeset) -> None:
    """Issue 17: following a code link left Practice with Back disabled in the browser."""
    from app.core.scoring import grade

    window, page, lazy = _practice_window(qtbot, codeset)
    case = _fracture_case()
    page.show_item(case, 1, 1)
    entry = page.answer
    page.show_result(case, grade(case, ["S52.521D"], codeset))
    window.show_page(page)
    entry.sections[0].feedback.linkActivated.emit("code:W19.XXXA")
    browser = lazy.widget()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is browser, timeout=2000)
    assert browser.current is not None and browser.current.code == "W19.XXXA"
    assert browser.back_button.isEnabled() and browser.back_button.text() == "◀ Back to Practice"
    browser.back_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page, timeout=2000)
    assert window.nav.currentItem().text() == "Practice"
    assert page.answer is entry and entry.sections[0].rows[0].code.isReadOnly()  # the same item, result kept
    assert browser.forward_button.isEnabled()
    browser.forward()
    assert browser.current.code == "W19.XXXA" and browser.back_button.isEnabled()
