"""Issue 17, point 14: the PCS drop-down wraps within a readable width; the code detail uses
the same status words in every code set and spells out CPT categories; verdict badges pad."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.core.codeset import CodeSystem
from app.ui.case_answer import STYLE
from app.ui.code_detail import status_badge, where_html
from app.ui.pcs_table import POPUP_WIDTH, PcsTableView


def test_pcs_root_operation_popup_wraps_within_a_readable_width(qtbot, codeset) -> None:  # type: ignore[no-untyped-def]
    view = PcsTableView(codeset)
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    view.select(1, "0")
    view.select(2, "D")
    combo = view.combos[2]  # root operation: the long meanings
    assert combo.count() > 10
    combo.showPopup()
    popup = combo.view().window()
    qtbot.waitUntil(popup.isVisible)
    screen = QApplication.primaryScreen().availableGeometry().width()
    assert popup.width() <= POPUP_WIDTH < screen
    assert combo.view().wordWrap()
    longest = max(range(1, combo.count()), key=lambda i: len(combo.itemText(i)))
    rect = combo.view().visualRect(combo.model().index(longest, 0))
    assert rect.width() <= combo.view().viewport().width()  # wrapped, not clipped at the edge
    combo.hidePopup()


def test_status_words_agree_across_code_sets_and_cpt_kind_is_spelled_out(codeset) -> None:  # type: ignore[no-untyped-def]
    icd, hcpcs, cpt = (codeset.lookup("E11.9"), codeset.lookup("J1100", CodeSystem.HCPCS),
                       codeset.lookup("99213", CodeSystem.CPT))
    assert all("Billable code" in status_badge(info) for info in (icd, hcpcs, cpt))
    assert "Not billable (header)" in status_badge(codeset.lookup("E11"))
    where = where_html(cpt, codeset)
    assert "Category I: procedures and services" in where and ">I<" not in where


def test_verdict_badges_have_padding_on_both_sides() -> None:
    for line in (l for l in STYLE.splitlines() if "[badge=" in l):
        assert "padding: 1px 8px" in line and "margin-right" in line
