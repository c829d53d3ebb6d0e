"""The study loop on the real app wiring: wrong answers come back tomorrow on the Today page.

Answer items wrong, move the clock parameter one day on, see them due, review them from
"Start", and find the mistake log and the dashboard updated. Real SQLite, real widgets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.models import SingleChoice
from app.core.scheduling import StudySettings
from app.main import build_tutor
from app.paths import resolve_paths
from app.ui.dialogs import ProfileChoice, ProfileDialog
from app.ui.study_settings_dialog import StudySettingsDialog

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> list[datetime]:
    return [START]


@pytest.fixture
def tutor(qtbot, data_dir: Path, clock, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ProfileDialog, "ask", classmethod(lambda cls, *a, **k: ProfileChoice(new_name="Ana")))
    built = build_tutor(resolve_paths(str(data_dir)), now=lambda: clock[0], quiet=True)
    qtbot.addWidget(built.window)
    assert built.choose_profile()
    return built


def _answer(tutor, qtbot, items, right: bool, clock, seconds: int = 30) -> None:  # type: ignore[no-untyped-def]
    page = tutor.pages.practice
    for item in items:
        assert tutor.session.current == item
        pick = next(n for n, o in enumerate(item.options) if o.correct == right)
        page.pick(page.answer.order.index(pick) + 1)
        clock[0] += timedelta(seconds=seconds)
        page.submit.click()
        qtbot.waitUntil(lambda: page.next.isEnabled())
        page.next.click()


def test_wrong_today_due_tomorrow_reviewed_and_logged(qtbot, tutor, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window, study = tutor.window, tutor.study
    assert window.pages.currentWidget() is study.today  # Today is the home page
    monkeypatch.setattr(StudySettingsDialog, "ask", classmethod(
        lambda cls, current, today, parent=None: StudySettings(0.9, 0, 100, None)))
    study.today.settings_button.click()  # no new items today: the session is only the reviews
    items = [i for b in tutor.content.banks for i in b.items if isinstance(i, SingleChoice)][:3]
    tutor.start_with(items)
    _answer(tutor, qtbot, items, right=False, clock=clock)

    window.show_page(study.today)
    assert study.today.reviews_label.text() in ("0", "3")  # learning steps: minutes, maybe not yet
    clock[0] = START + timedelta(days=1)
    study.refresh()
    assert study.today.reviews_label.text() == "3"
    assert study.today.new_label.text() == "0"
    assert study.today.catch_up_label.text() == "3 due today."
    assert study.today.streak_label.text() == "1 day"

    study.today.start.click()
    assert window.pages.currentWidget() is tutor.pages.practice
    assert sorted(i.meta.id for i in tutor.session.items) == sorted(i.meta.id for i in items)
    _answer(tutor, qtbot, list(tutor.session.items), right=True, clock=clock, seconds=10)  # fast: Easy
    window.show_page(study.today)
    assert study.today.reviews_label.text() == "0"
    assert study.today.streak_label.text() == "2 days"

    window.show_page(study.mistakes)
    rows = study.mistakes.rows()
    assert len(rows) == 3 and all(r[4] == "incorrect" for r in rows)
    assert {r[1] for r in rows} == {f"{i.meta.bank}/{i.meta.id}" for i in items}
    study.mistakes.verdict.setCurrentIndex(study.mistakes.verdict.findData("missing"))
    assert study.mistakes.verdict.currentData() in ("", "missing")
    study.mistakes.practise.click()
    assert sorted(i.meta.id for i in tutor.session.items) == sorted(i.meta.id for i in items)

    window.show_page(study.dashboard)
    assert study.dashboard.totals_label.text().startswith("6 answers on 2 study days")
    assert [r[1] for r in study.dashboard.table_rows("calendar")] == ["3", "3"]
    assert "more items" in study.dashboard.readiness_label.text()
    forecast = study.dashboard.table_rows("forecast")
    assert len(forecast) == 30 and sum(int(r[1]) for r in forecast) == 3


def test_a_leech_offers_its_lesson_and_its_code_and_the_exam_date_counts_down(qtbot, tutor, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.core.learner import AttemptDraft
    from app.core.models import CodingCase
    from app.store.reviews import ReviewStore

    case = next(i for b in tutor.content.banks for i in b.items if isinstance(i, CodingCase) and i.meta.lesson)
    reviews, pid = ReviewStore(tutor.store.db), tutor.profile.id
    when, lapses = START, 0

    def answer(right: bool) -> None:
        tutor.store.record_attempt(pid, AttemptDraft(case.meta.id, case.meta.bank, "coding_case", case.meta.topic,
                                                     [], float(right), 1.0, right, 40.0, when))

    answer(True)
    while lapses < 6:  # learn it, forget it once it is in review, six times
        card = reviews.card(pid, case.meta.bank, case.meta.id)
        when = max(when, card.due) + timedelta(hours=1)
        answer(card.state != 2)
        lapses += card.state == 2
    clock[0] = when
    exam = when.date() + timedelta(days=12)
    monkeypatch.setattr(StudySettingsDialog, "ask", classmethod(
        lambda cls, current, today, parent=None: StudySettings(0.9, 20, 200, exam)))
    study = tutor.study
    study.today.settings_button.click()
    tutor.window.show_page(study.today)
    assert study.today.exam_label.text() == "12 days left until your exam."
    assert study.today.leech_box.isVisibleTo(tutor.window)
    lesson_button, code_button = [w for w in study.today.leech_box.findChildren(type(study.today.start))
                                  if w.text() in ("Read its lesson", "Look up its code")][-2:]
    code_button.click()
    browser = tutor.browser.widget()  # the code browser is a lazy page, built by the click
    assert tutor.window.pages.currentWidget() is browser
    first = case.key.sections[0].lines[0].codes[0]
    assert browser.current is not None and browser.current.code.replace(".", "") == first.replace(".", "")
    lesson_button.click()
    qtbot.waitUntil(lambda: tutor.pages.lessons.current_lesson() == case.meta.lesson)
    card = reviews.card(pid, case.meta.bank, case.meta.id)
    assert card.leech and card.due <= datetime(exam.year, exam.month, exam.day, tzinfo=UTC)


def test_the_settings_dialog_warns_above_097_and_returns_plain_values(qtbot) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    dialog = StudySettingsDialog(StudySettings(), date(2026, 3, 2))
    qtbot.addWidget(dialog)
    assert dialog.warning.isHidden() and dialog.settings() == StudySettings()
    dialog.retention.setValue(0.98)
    assert not dialog.warning.isHidden() and "0.97" in dialog.warning.text()
    dialog.has_exam.setChecked(True)
    dialog.new_per_day.setValue(5)
    assert dialog.settings() == StudySettings(0.98, 5, 200, date(2026, 3, 2))


def test_a_drill_answered_wrong_comes_back_rebuilt_from_its_id(qtbot, tutor, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.core.drills import MIXED, generate

    monkeypatch.setattr(StudySettingsDialog, "ask", classmethod(
        lambda cls, current, today, parent=None: StudySettings(0.9, 0, 100, None)))
    tutor.study.today.settings_button.click()
    drill = generate(tutor.codes, MIXED, seed=7, count=1)[0]
    tutor.start_with([drill])
    page = tutor.pages.practice
    wrong = next(n for n, o in enumerate(drill.options) if not o.correct)
    page.pick(page.answer.order.index(wrong) + 1)
    page.submit.click()
    qtbot.waitUntil(lambda: page.next.isEnabled())
    clock[0] = START + timedelta(days=1)
    tutor.window.show_page(tutor.study.today)
    tutor.study.refresh()
    assert tutor.study.today.reviews_label.text() == "1"
    tutor.study.today.start.click()
    assert tutor.study.skipped == []
    assert [i.meta.id for i in tutor.session.items] == [drill.meta.id]  # rebuilt, not the same object
