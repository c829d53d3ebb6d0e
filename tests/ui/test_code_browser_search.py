"""The code browser's search defects of issue 17 (point 8), on the real code-set database.

Paging ("S52.5" reaches S52.521A), "did you mean" for misspellings, the exact code first,
and tabs that never leave the detail pane on a code from another tab.
"""

from __future__ import annotations

import pytest

from app.core.codeset import CodeSystem
from app.ui.code_browser import CodeBrowser
from app.ui.code_results import ALL_LIMIT, NODE_ROLE, PAGE_SIZE


@pytest.fixture
def browser(qtbot, codeset) -> CodeBrowser:  # type: ignore[no-untyped-def]
    widget = CodeBrowser(codeset)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def rows(browser: CodeBrowser) -> list[tuple[str, str]]:
    return [browser.results.item(i).data(NODE_ROLE) for i in range(browser.results.count())]


def codes(browser: CodeBrowser) -> list[str]:
    return [code for code, _system in rows(browser)]


def heading(browser: CodeBrowser) -> str:
    """The code and code set at the top of the detail pane ("99213 | CPT")."""
    return " | ".join(browser.detail.toPlainText().split("\n")[:2])


def test_a_wide_prefix_pages_until_it_reaches_its_last_codes(qtbot, browser: CodeBrowser) -> None:
    browser.search("S52.5")
    assert browser.results.count() == PAGE_SIZE and "S52.521A" not in codes(browser)
    assert browser.results_pane.more.isVisible() and browser.results_pane.all.isVisible()
    assert browser.status.text().startswith(f"{PAGE_SIZE}+ result(s)")
    browser.results.setCurrentRow(3)
    chosen = codes(browser)[3]
    browser.results_pane.more.click()
    assert browser.results.count() > PAGE_SIZE
    assert browser.results.currentRow() == 3 and browser.current.code == chosen  # the choice is kept
    browser.results_pane.all.click()
    assert "S52.521A" in codes(browser)
    assert all(code.startswith("S52.5") for code in codes(browser))
    assert browser.results.count() < ALL_LIMIT and not browser.results_pane.more.isVisible()
    browser.search("S52.52")  # a new search starts at the first page again
    assert browser.results.count() <= PAGE_SIZE


def test_a_short_result_list_offers_no_paging(browser: CodeBrowser) -> None:
    browser.search("E11.2")
    assert 0 < browser.results.count() < PAGE_SIZE
    assert not browser.results_pane.more.isVisible() and not browser.results_pane.all.isVisible()


@pytest.mark.parametrize(("typed", "meant", "stem"), [("diabetis", "diabetes", "E1"), ("pnuemonia", "pneumonia", "J1")])
def test_a_misspelling_offers_did_you_mean_and_its_results(browser: CodeBrowser, typed: str, meant: str, stem: str) -> None:
    browser.search(typed)
    note = browser.results_pane.note
    assert note.isVisible()
    assert "Did you mean" in note.text() and f'href="{meant}"' in note.text()
    assert codes(browser) and any(code.startswith(stem) for code in codes(browser)[:5])
    note.linkActivated.emit(meant)  # the learner clicks the suggestion
    assert browser.search_box.text() == meant and not note.isVisible()


def test_no_note_for_a_query_spelt_right(browser: CodeBrowser) -> None:
    browser.search("asthma")
    assert browser.results.count() and not browser.results_pane.note.isVisible()


def test_abbreviations_find_their_codes_in_the_browser(browser: CodeBrowser) -> None:
    browser.search("T2DM")
    assert codes(browser)[0] == "E11"


@pytest.mark.parametrize(("typed", "first"), [("J1100", ("J1100", "hcpcs")), ("J11.00", ("J11.00", "icd10cm"))])
def test_the_exact_code_is_listed_first(browser: CodeBrowser, typed: str, first: tuple[str, str]) -> None:
    browser.search(typed)
    assert rows(browser)[0] == first
    assert {("J1100", "hcpcs"), ("J11.00", "icd10cm")} <= set(rows(browser))


def test_the_code_book_tab_follows_a_cpt_code_instead_of_keeping_an_icd_one(qtbot, browser: CodeBrowser) -> None:
    browser.tabs.setCurrentWidget(browser.tree)
    assert browser.open_code("E11.9")
    assert browser.tree.currentItem().data(0, NODE_ROLE).code == "E11.9"
    browser.search("99213")
    browser.results.setCurrentRow(0)
    assert heading(browser).startswith("99213 | CPT")
    browser.tabs.setCurrentWidget(browser.tree)
    node = browser.tree.currentItem().data(0, NODE_ROLE)
    assert (node.system, node.code) == (CodeSystem.CPT, "99213")
    assert heading(browser).startswith("99213 | CPT")


def test_a_code_the_tree_does_not_hold_leaves_no_other_code_marked(browser: CodeBrowser) -> None:
    browser.tabs.setCurrentWidget(browser.tree)
    assert browser.open_code("E11.9")
    browser.tabs.setCurrentWidget(browser.results_pane)
    assert browser.open_code("10004", CodeSystem.CPT)  # valid by its format only: no tree entry
    browser.tabs.setCurrentWidget(browser.tree)
    assert browser.tree.currentItem() is None
    assert "10004" not in heading(browser) and "Choose a code in the code book" in browser.detail.toPlainText()


def test_the_pcs_tab_never_shows_a_code_of_another_set(browser: CodeBrowser) -> None:
    assert browser.open_code("99213")
    browser.tabs.setCurrentWidget(browser.pcs)
    assert browser.current is None and "99213" not in browser.detail.toPlainText()
    assert "Choose a character" in browser.detail.toPlainText()
    browser.pcs.set_code("0DTJ4ZZ")
    browser.tabs.setCurrentWidget(browser.tree)
    browser.tabs.setCurrentWidget(browser.pcs)
    assert heading(browser).startswith("0DTJ4ZZ")  # a complete table code is what the tab shows


def test_the_results_tab_shows_its_own_choice_after_a_switch(browser: CodeBrowser) -> None:
    browser.search("J1100")
    browser.results.setCurrentRow(0)
    browser.tabs.setCurrentWidget(browser.tree)
    assert browser.open_code("E11.9")
    browser.tabs.setCurrentWidget(browser.results_pane)
    assert heading(browser).startswith("J1100 | HCPCS")


def test_opening_a_code_from_elsewhere_while_results_show_unmarks_the_old_result(browser: CodeBrowser) -> None:
    browser.search("J1100")
    browser.results.setCurrentRow(0)
    assert browser.open_code("E11.9")  # e.g. a link in the detail pane
    assert browser.results.currentRow() == -1
    assert browser.open_code("J1100", CodeSystem.HCPCS)
    assert browser.results.currentRow() == 0
