"""A lesson is read when scrolled to its end or open for a minute, not when clicked; Next lesson."""

from __future__ import annotations

from pathlib import Path

from app.main import build_tutor
from app.paths import resolve_paths


def test_a_click_is_not_reading_scrolling_to_the_end_or_a_minute_is(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    profile = tutor.store.create_profile("Ana")
    tutor.set_profile(profile)
    tutor.window.resize(900, 600)
    tutor.window.show()
    page = tutor.pages.lessons
    tutor.window.show_page(page)
    first, second, third = tutor.content.modules[0].lessons[:3]

    page.select_lesson(first.id)
    qtbot.waitUntil(lambda: page.current_lesson() == first.id)
    assert tutor.store.lesson_reads(profile.id) == []  # clicked, not read
    bar = page.reader.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum() // 2)
    assert tutor.store.lesson_reads(profile.id) == []
    bar.setValue(bar.maximum())
    assert [r.lesson_id for r in tutor.store.lesson_reads(profile.id)] == [first.id]

    page.next_lesson.click()  # Next lesson: the one after in the tree
    qtbot.waitUntil(lambda: page.current_lesson() == second.id)
    assert second.title in page.reader.toPlainText()
    page._read_timer.setInterval(50)  # the minute, shortened: the same timer the page uses
    page.next_lesson.click()
    qtbot.waitUntil(lambda: page.current_lesson() == third.id)
    qtbot.waitUntil(lambda: third.id in {r.lesson_id for r in tutor.store.lesson_reads(profile.id)}, timeout=3000)
    assert second.id not in {r.lesson_id for r in tutor.store.lesson_reads(profile.id)}


def test_practise_this_lesson_shows_the_lesson_scope_in_the_combo(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    tutor.set_profile(tutor.store.create_profile("Ana"))
    lesson = next(l for m in tutor.content.modules for l in m.lessons if tutor.items_for(f"lesson:{l.id}"))
    tutor.pages.lessons.select_lesson(lesson.id)
    tutor.pages.lessons.practise.click()
    count = len(tutor.items_for(f"lesson:{lesson.id}"))
    assert tutor.session is not None and len(tutor.session.items) == count
    assert tutor.pages.practice.scope.currentData() == f"lesson:{lesson.id}"
    assert f"({count})" in tutor.pages.practice.scope.currentText()
