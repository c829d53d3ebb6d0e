"""Lessons that connect (curriculum issue): code links open the browser, lessons can be
searched with the hits marked, and the lesson list shows how the learner did on each lesson.

Real wiring (build_tutor), real lessons and banks, the real code-set data.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from app.core.lesson_search import query_terms, search_lessons
from app.core.models import SingleChoice
from app.main import build_tutor
from app.paths import resolve_paths
from app.ui.dialogs import ProfileChoice, ProfileDialog


@pytest.fixture
def tutor(qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ProfileDialog, "ask", classmethod(lambda cls, *a, **k: ProfileChoice(new_name="Lee")))
    built = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(built.window)
    assert built.choose_profile()
    built.window.show()
    return built


def test_a_code_link_in_a_lesson_opens_the_browser_on_that_code(qtbot, tutor) -> None:  # type: ignore[no-untyped-def]
    page = tutor.pages.lessons
    page.select_lesson("cm-ch-diabetes")
    qtbot.waitUntil(lambda: page.current_lesson() == "cm-ch-diabetes")
    html = page.reader.toHtml()
    assert "code:E11.22" in html and "code:N18.32" in html  # the written link and a `code` turned link
    page.reader.anchorClicked.emit(QUrl("code:E11.22"))
    browser = tutor.browser.widget()  # the code browser page is built on first use
    qtbot.waitUntil(lambda: tutor.window.pages.currentWidget() is browser)
    assert browser.current is not None and browser.current.code == "E11.22"
    page.reader.anchorClicked.emit(QUrl("code:J1885"))
    qtbot.waitUntil(lambda: browser.current.code == "J1885")


def test_searching_the_lessons_lists_hits_and_marks_the_words(qtbot, tutor) -> None:  # type: ignore[no-untyped-def]
    page = tutor.pages.lessons
    tutor.window.show_page(page)
    page.search.setText("septic shock")
    qtbot.waitUntil(lambda: page.results.isVisible() and page.results.count() > 0)
    assert not page.tree.isVisible()
    first = page.results.item(0)
    assert "sepsis" in first.text().lower()
    page.results.itemClicked.emit(first)
    qtbot.waitUntil(lambda: page.current_lesson() == "cm-ch-infections-sepsis")
    assert "#fff1a8" in page.reader.toHtml().lower()  # the search words are marked
    page.search.setText("zzqx nothing matches this")
    qtbot.waitUntil(lambda: page.results.count() == 1)
    assert "No lesson" in page.results.item(0).text()
    page.search.clear()
    qtbot.waitUntil(lambda: page.tree.isVisible() and not page.results.isVisible())


def test_the_lesson_list_shows_read_marks_and_scores(qtbot, tutor) -> None:  # type: ignore[no-untyped-def]
    page = tutor.pages.lessons
    lesson_id = "hcpcs-drugs-and-units"
    items = [i for b in tutor.content.banks for i in b.items
             if i.meta.lesson == lesson_id and isinstance(i, SingleChoice)]
    tutor.start_with(items[:1])
    practice = tutor.pages.practice
    right = next(n for n, option in enumerate(items[0].options) if option.correct)
    practice.pick(practice.answer.order.index(right) + 1)
    practice.submit.click()
    qtbot.waitUntil(lambda: practice.next.isEnabled())
    page._read_timer.setInterval(50)  # a lesson is read after a minute open (or scrolled to its end)
    page.select_lesson(lesson_id)
    qtbot.waitUntil(lambda: page.current_lesson() == lesson_id)
    qtbot.waitUntil(lambda: "1/1 right" in page._items[lesson_id].text(0))
    qtbot.waitUntil(lambda: page._items[lesson_id].text(0).startswith("✓ "))
    assert page._items[lesson_id].text(0).startswith("✓ ")


def test_search_rule_needs_every_word_and_ranks_title_matches_first(tutor) -> None:  # type: ignore[no-untyped-def]
    lessons = [lesson for module in tutor.content.modules for lesson in module.lessons]
    hits = search_lessons(lessons, "Pressure ulcers")
    assert hits and hits[0].lesson_id == "cm-ch-pressure-ulcers"
    assert all("ulcer" in (h.title + h.snippet).lower() or h.count for h in hits)
    assert search_lessons(lessons, "pressure zzqx") == []
    assert query_terms("  MDM, mdm  time ") == ("mdm", "time")
