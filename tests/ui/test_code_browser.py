"""The code browser over the real code-set database: search, detail, links, history, tree, PCS tables."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QUrl

from app.core.codeset import CodeSystem, NoteKind
from app.ui.code_browser import CodeBrowser
from app.ui.pcs_table import PcsTableView


@pytest.fixture
def browser(qtbot, codeset) -> CodeBrowser:  # type: ignore[no-untyped-def]
    widget = CodeBrowser(codeset)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    return widget


def result_codes(browser: CodeBrowser) -> list[str]:
    return [browser.results.item(i).data(256)[0] for i in range(browser.results.count())]


def links(browser: CodeBrowser) -> list[str]:
    return re.findall(r'href="([^"]+)"', browser.detail.toHtml())


def shown_code(browser: CodeBrowser) -> str:
    return browser.current.code if browser.current else ""


def test_search_as_you_type_finds_dog_bite(qtbot, browser: CodeBrowser) -> None:
    qtbot.keyClicks(browser.search_box, "dog bite")
    assert browser.results.count() == 0  # nothing yet: the search waits for typing to pause
    qtbot.waitUntil(lambda: "W54.0XXA" in result_codes(browser), timeout=2000)
    row = result_codes(browser).index("W54.0XXA")
    assert browser.results.item(row).text().startswith("✓")  # billable mark


def test_filter_and_billable_only(browser: CodeBrowser) -> None:
    browser.filter.setCurrentIndex(browser.filter.findData(CodeSystem.HCPCS))
    browser.search("dexamethasone")
    assert browser.results.count() > 0
    assert all(browser.results.item(i).data(256)[1] == "hcpcs" for i in range(browser.results.count()))
    browser.filter.setCurrentIndex(0)
    browser.search("S52.5")
    assert "S52.5" in result_codes(browser)
    browser.billable_only.setChecked(True)
    assert result_codes(browser) and "S52.5" not in result_codes(browser)


def test_open_billable_code_shows_badge_and_seventh_table(qtbot, browser: CodeBrowser, codeset) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(browser.code_opened) as opened:
        assert browser.open_code("s52521a")
    assert opened.args == ["S52.521A"]
    text = browser.detail.toPlainText()
    assert "Billable" in text and "Not billable" not in text
    assert "7th characters" in text
    for seventh in codeset.lookup("S52.521A").seventh_characters:
        assert seventh.meaning in text
    assert "code:icd10cm/S52.521" in links(browser)  # the parent, as a link


def test_header_code_is_marked_not_billable(browser: CodeBrowser) -> None:
    assert browser.open_code("S52.5")
    assert "Not billable (header)" in browser.detail.toPlainText()


def test_follow_excludes1_link_then_back_and_forward(qtbot, browser: CodeBrowser, codeset) -> None:  # type: ignore[no-untyped-def]
    note = codeset.lookup("J45").notes_of(NoteKind.EXCLUDES1)[0]
    target = codeset.lookup(note.refs[0], CodeSystem.ICD10CM)
    assert browser.open_code("J45")
    assert "Excludes1" in browser.detail.toPlainText()
    href = f"code:icd10cm/{target.code}"
    assert href in links(browser)
    with qtbot.waitSignal(browser.code_opened):
        browser.detail.anchorClicked.emit(QUrl(href))
    assert shown_code(browser) == target.code
    assert target.title in browser.detail.toPlainText()
    browser.back()
    assert shown_code(browser) == "J45"
    assert browser.forward_button.isEnabled() and not browser.back_button.isEnabled()
    browser.forward()
    assert shown_code(browser) == target.code
    browser.open_code("E11.9")
    assert not browser.forward_button.isEnabled()  # a new code drops the forward history


def test_dash_ref_link_opens_category(browser: CodeBrowser) -> None:
    assert browser.open_code("E11")
    assert "ref:E10.-" in links(browser)
    browser.detail.anchorClicked.emit(QUrl("ref:E10.-"))
    assert shown_code(browser) == "E10"
    browser.detail.anchorClicked.emit(QUrl("ref:E08-E13"))
    assert shown_code(browser) == "E08"


def test_inherited_notes_name_their_owner(browser: CodeBrowser) -> None:
    assert browser.open_code("S52.521A")
    text = browser.detail.toPlainText()
    assert "traumatic amputation of forearm" in text  # Excludes1 of S52, applies below it
    assert "from S52" in text


def test_tree_expands_lazily_and_follows_opened_code(browser: CodeBrowser) -> None:
    root = browser.tree.topLevelItem(0)
    assert root.childCount() == 1 and root.child(0).data(0, 256) is None  # only a placeholder
    root.setExpanded(True)
    assert root.childCount() >= 21 and root.child(0).data(0, 256).key == "ch:1"
    assert browser.open_code("S52.521A")
    assert browser.tree.currentItem() is None  # a hidden tree does not follow yet
    browser.tabs.setCurrentWidget(browser.tree)
    assert browser.tree.currentItem().data(0, 256).code == "S52.521A"  # it catches up when shown
    browser.tree.setCurrentItem(browser.tree.currentItem().parent())
    assert shown_code(browser) == "S52.521"  # selecting a code in the tree opens it
    assert browser.open_code("J1100")
    assert browser.tree.currentItem().data(0, 256).code == "J1100"  # a showing tree follows at once
    assert browser.tree.currentItem().parent().text(0).startswith("J")


def test_pcs_table_offers_only_valid_choices_and_completes_code(qtbot, codeset) -> None:  # type: ignore[no-untyped-def]
    view = PcsTableView(codeset)
    qtbot.addWidget(view)
    assert view.choices(1) == [value for value, _ in codeset.pcs_step("").choices]
    for position, char in enumerate("0DTJ4Z", 1):
        assert view.choices(position) == [value for value, _ in codeset.pcs_step("0DTJ4ZZ"[: position - 1]).choices]
        assert view.select(position, char)
    assert not view.select(7, "9")  # not a qualifier of 0DTJ4Z
    with qtbot.waitSignal(view.code_chosen) as chosen:
        assert view.select(7, "Z")
    assert chosen.args == ["0DTJ4ZZ"]
    assert "0DTJ4ZZ" in view.result.text()


def test_pcs_table_opens_code_in_browser(browser: CodeBrowser) -> None:
    assert browser.pcs.set_code("0DTJ4ZZ")
    assert shown_code(browser) == "0DTJ4ZZ"
    text = browser.detail.toPlainText()
    assert "Resection" in text and "Appendix" in text and "Percutaneous Endoscopic" in text


def test_cpt_says_no_licensed_file(browser: CodeBrowser) -> None:
    assert browser.open_code("99213", CodeSystem.CPT)
    text = browser.detail.toPlainText()
    assert "No licensed CPT file is imported" in text and "not the AMA descriptor" in text


def test_unknown_code_is_refused(browser: CodeBrowser) -> None:
    assert not browser.open_code("Q99.999")
    assert browser.current is None


def test_imported_cpt_descriptor_is_shown(qtbot, codes_db_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.codesets.database import SqliteCodeSet
    from app.codesets.user_codes import import_cpt_file

    licensed = tmp_path / "my-cpt.csv"  # a stand-in for the user's licensed file (our own words)
    licensed.write_text("code,descriptor\n99213,Study wording from a file the learner owns\n", encoding="utf-8")
    user_db = tmp_path / "user_codes.sqlite3"
    assert import_cpt_file(licensed, user_db).imported == 1
    codes = SqliteCodeSet(codes_db_path, user_db=user_db)
    try:
        widget = CodeBrowser(codes)
        qtbot.addWidget(widget)
        assert widget.open_code("99213")
        text = widget.detail.toPlainText()
        assert "Study wording from a file the learner owns" in text
        assert "licensed CPT file you imported" in text and "No licensed CPT file" not in text
    finally:
        codes.close()


def test_alt_left_and_alt_right_move_through_history(qtbot, browser: CodeBrowser) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    browser.show()
    browser.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is browser)  # shortcuts need an active window
    browser.open_code("E11")
    browser.open_code("E11.9")
    qtbot.keyClick(browser.search_box, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert shown_code(browser) == "E11"
    qtbot.keyClick(browser.search_box, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert shown_code(browser) == "E11.9"


def test_chapter_in_tree_lists_its_blocks_as_a_page(browser: CodeBrowser, codeset) -> None:  # type: ignore[no-untyped-def]
    root = browser.tree.topLevelItem(0)
    root.setExpanded(True)
    browser.tree.setCurrentItem(root.child(0))
    text = " ".join(browser.detail.toPlainText().split())
    blocks = codeset.tree_children(CodeSystem.ICD10CM, "ch:1")
    assert blocks and all(" ".join(block.title.split()) in text for block in blocks)
    assert browser.current is None  # a heading is not a code: nothing enters the history


def test_enter_opens_a_typed_code_and_down_moves_into_results(qtbot, browser: CodeBrowser) -> None:
    from PySide6.QtCore import Qt

    browser.search_box.setText("s52.521a")
    qtbot.keyClick(browser.search_box, Qt.Key.Key_Return)
    assert shown_code(browser) == "S52.521A"
    browser.search("dog bite")
    qtbot.keyClick(browser.search_box, Qt.Key.Key_Down)
    first = browser.results.item(0).data(256)[0]
    assert browser.results.currentRow() == 0 and shown_code(browser) == first


def test_placeholder_rule_is_shown(browser: CodeBrowser) -> None:
    assert browser.open_code("W54.0XXA")
    assert "X placeholders are needed" in browser.detail.toPlainText()
    assert browser.open_code("E11.9")
    assert "7th characters" not in browser.detail.toPlainText()  # no table where none applies


def test_linkify_links_codes_ranges_and_dash_refs_only_when_they_exist(codeset) -> None:  # type: ignore[no-untyped-def]
    from app.ui.code_detail import linkify

    html = linkify("see J45.909, E10-E13, S52.- and O24.4-; not A1C, Q99.999 or <b>", codeset)
    assert "href='code:icd10cm/J45.909'" in html
    assert "href='ref:E10-E13'" in html and "href='ref:S52.-'" in html and "href='ref:O24.4-'" in html
    assert "A1C" in html and "Q99.999" in html and "href='code:icd10cm/Q99.999'" not in html
    assert "&lt;b&gt;" in html  # note text is escaped, never markup


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="ABEJSTXZ0123456789.-, ()", max_size=40))
def test_linkify_never_fails_on_odd_text(codeset, text: str) -> None:  # type: ignore[no-untyped-def]
    from app.ui.code_detail import linkify

    html = linkify(text, codeset)
    assert re.sub(r"<[^>]+>", "", html) == text  # links wrap tokens; they never change the text


def test_history_keeps_the_latest_codes_only(browser: CodeBrowser, codeset) -> None:  # type: ignore[no-untyped-def]
    from app.ui.code_browser import HISTORY_LIMIT

    codes = [hit.code for hit in codeset.search("S52", limit=HISTORY_LIMIT + 20)]
    assert len(codes) > HISTORY_LIMIT
    for code in codes:
        assert browser.open_code(code, CodeSystem.ICD10CM)
    assert len(browser.history) == HISTORY_LIMIT and browser.history[-1][0] == codes[-1]
    browser.back()
    assert shown_code(browser) == codes[-2]
