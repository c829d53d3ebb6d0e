"""The coding-case entry widget on real widgets, the real code-set data and the real scorer."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.codeset import CodeSystem
from app.core.models import AnswerKey, CodingCase, Finding, GradeResult, ItemMeta, KeyLine, KeySection
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
    procedures = KeySection(CodeSystem.CPT, (KeyLine(("27786",), modifiers=("RT",)),), label="Procedures")
    return CodingCase(META, "Code the visit.", NOTE, AnswerKey((diagnoses, procedures)))


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
    with qtbot.waitSignal(entry.submit_requested, timeout=1000):
        qtbot.keyClick(group.rows[-1].code, Qt.Key.Key_Return)  # Enter on an empty row submits


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


def test_completion_model_comes_from_the_code_set_search(qtbot, codeset) -> None:
    entry = _entry(qtbot, codeset, _mixed_case())
    row = entry.sections[0].rows[0]
    qtbot.keyClicks(row.code, "S52.52")
    expected = [f"{hit.code}  {hit.title}" for hit in codeset.search("S52.52", system=CodeSystem.ICD10CM, limit=15)]
    assert expected and all(text.startswith("S52.52") for text in expected)
    qtbot.waitUntil(lambda: row.completions.stringList() == expected, timeout=2000)
    cpt_row = entry.sections[1].rows[0]
    qtbot.keyClicks(cpt_row.code, "fracture")  # words search only this section's code set
    qtbot.waitUntil(lambda: cpt_row.completions.rowCount() > 0, timeout=2000)
    codes = [text.split()[0] for text in cpt_row.completions.stringList()]
    assert all(codeset.lookup(code, CodeSystem.CPT) is not None for code in codes)
    entry.sections[0]._chosen(row, expected[-1])  # choosing an entry keeps only its code
    assert row.code.text() == expected[-1].split()[0]


def test_lock_makes_rows_read_only(qtbot, codeset) -> None:
    entry = _entry(qtbot, codeset, _mixed_case())
    entry.sections[1].rows[0].code.setText("27786")
    entry.lock()
    for group in entry.sections:
        assert group.add.isHidden()
        for row in group.rows:
            assert row.code.isReadOnly() and row.remove.isHidden()
            assert row.modifiers is None or row.modifiers.isReadOnly()
            assert row.units is None or row.units.isReadOnly()
    assert entry.isEnabled()  # results stay clickable
    assert entry.response() == ["", "27786"]


def test_pair_findings_show_on_both_rows(qtbot, codeset) -> None:
    entry = _entry(qtbot, codeset, _fracture_case())
    group = entry.sections[0]
    group.rows[0].code.setText("E11.9")
    group.rows[2].code.setText("E10.9")
    pair = Finding("excludes1_conflict", "E10.9", "E10.9 and E11.9 exclude each other.", section="icd10cm",
                   learner_index=1, related="E11.9")
    other = Finding("pcs_note", "X", "A note about the whole case.", section="")
    entry.show_result(GradeResult(0.0, 2.0, False, (pair, other)))
    for row in (group.rows[0], group.rows[2]):
        assert row.property("verdict") == "amber"
        assert "excludes1 conflict" in row.badge.text()
        assert "exclude each other" in row.feedback.text()
    assert group.rows[1].property("verdict") is None
    assert "A note about the whole case" in entry.general.text()
