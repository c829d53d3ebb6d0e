"""A short mixed drill run from the practice page's Drills row to its summary, on the real wiring."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from app.core.drills import is_drill, rebuild
from app.main import build_tutor
from app.paths import resolve_paths
from app.ui.dialogs import ProfileChoice, ProfileDialog


@pytest.fixture
def tutor(qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ProfileDialog, "ask", classmethod(lambda cls, *a, **k: ProfileChoice(new_name="Ana")))
    built = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(built.window)
    assert built.choose_profile()
    built.window.resize(800, 600)
    built.window.show()
    yield built
    built.window.close()
    built.store.db.close()


def _answer(page, right: bool) -> None:  # type: ignore[no-untyped-def]
    """Pick the key (or the first wrong option) as shown on screen, and submit."""
    options = page.answer.item.options
    index = next(i for i, option in enumerate(options) if option.correct == right)
    page.pick(page.answer.order.index(index) + 1)
    page.submit.click()


def test_mixed_drill_from_the_practice_page_to_its_summary(qtbot, tutor) -> None:  # type: ignore[no-untyped-def]
    page, bar = tutor.pages.practice, tutor.drills.bar
    assert bar.kind.count() >= 12 and bar.range.count() > 20  # mixed + eleven kinds; any code + 22 chapters
    bar.choose("mixed", "", 4)
    bar.start.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1)
    session = tutor.session
    assert len(session.items) == 4 and all(is_drill(item.meta.id) for item in session.items)
    for number, item in enumerate(session.items):
        assert "Item" in page.header.text() and f"of 4" in page.header.text()
        _answer(page, right=number != 1)
        qtbot.waitUntil(lambda: page.next.isEnabled())
        assert ("Correct" in page.result.toPlainText()) == (number != 1)
        page.next.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 0)
    assert "Session complete" in page.welcome.toPlainText() and "3 fully right" in page.welcome.toPlainText()
    attempts = tutor.store.attempts(tutor.profile.id)
    assert [a.item_id for a in attempts] == [item.meta.id for item in session.items]
    assert {a.bank_id for a in attempts} == {"drills"} and [a.correct for a in attempts] == [True, False, True, True]
    replay = [rebuild(a.item_id, tutor.codes, tutor.drills.glossary()) for a in attempts]
    assert replay == list(session.items)  # review can bring each card back from its stable id


def test_range_drill_and_a_rationale_link_opens_the_code_browser(qtbot, tutor) -> None:  # type: ignore[no-untyped-def]
    page, bar = tutor.pages.practice, tutor.drills.bar
    bar.choose("seventh-character", "S52", 2)
    bar.start.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1)
    item = tutor.session.current
    assert item.meta.id.startswith("drill:seventh-character:S52.")
    _answer(page, right=True)
    qtbot.waitUntil(lambda: page.next.isEnabled())
    key = next(o.text for o in item.options if o.correct)
    assert key in page.result.toPlainText()
    page.result.anchorClicked.emit(QUrl(f"code:icd10cm/{key}"))
    browser = tutor.browser.widget()  # the code browser page is built on first use
    assert tutor.window.pages.currentWidget() is browser and browser.current.code == key


def test_a_range_with_nothing_to_draw_says_so_and_starts_nothing(qtbot, tutor) -> None:  # type: ignore[no-untyped-def]
    page, bar = tutor.pages.practice, tutor.drills.bar
    bar.choose("pcs-build", "E08-E13", 5)
    bar.start.click()
    assert tutor.session is None and "nothing to draw" in page.welcome.toPlainText()
    bar.choose("where", "not a range!", 5)
    bar.start.click()
    assert tutor.session is None and "not a code range" in page.welcome.toPlainText()
