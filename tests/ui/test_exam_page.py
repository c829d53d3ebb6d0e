"""The exam page on the real app wiring: the 25-item form to the end, coding cases, the clock.

Banks are generated (tests/exam_banks.py) and installed in the data folder, as a learner's
bank packages are; the shipped 36 items cannot fill a form yet.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from exam_banks import write_bank, write_form

from app.main import build_tutor
from app.paths import resolve_paths
from app.ui import exam_page


@pytest.fixture
def confirm(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[int], list[int], bool]]:
    """SubmitDialog answers "yes" and remembers the blank and flagged lists it was shown."""
    shown: list[tuple[list[int], list[int], bool]] = []

    def ask(cls, parent, blank, flagged, final):  # type: ignore[no-untyped-def]
        shown.append((list(blank), list(flagged), final))
        return True

    monkeypatch.setattr(exam_page.SubmitDialog, "ask", classmethod(ask))
    return shown


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _app(qtbot, data_dir: Path, clock: Clock | None = None):  # type: ignore[no-untyped-def]
    tutor = build_tutor(resolve_paths(str(data_dir)), now=clock, quiet=True)
    qtbot.addWidget(tutor.window)
    profile = tutor.store.profile(1) or tutor.store.create_profile("Ana")
    for bank in tutor.content.banks:  # only the generated bank: the draw is then known
        tutor.store.set_bank_enabled(profile.id, bank.manifest.id, bank.manifest.id == "exam-test")
    tutor.set_profile(profile)
    tutor.window.show_page(tutor.exams_page)  # built when first opened: page and controller
    return tutor


def _select(page, form_id: str) -> None:  # type: ignore[no-untyped-def]
    row = next(r for r in range(page.forms.count()) if page.forms.item(r).data(256) == form_id)
    page.forms.setCurrentRow(row)


def _cell(page, n: int) -> str:  # type: ignore[no-untyped-def]
    return page.grid.cells[n].property("cell")


def test_the_25_item_form_from_start_to_item_review(qtbot, data_dir: Path, confirm) -> None:  # type: ignore[no-untyped-def]
    write_bank(data_dir / "banks" / "exam-test" / "bank.yaml", per_topic=8, cases=0)
    tutor = _app(qtbot, data_dir)
    controller, page = tutor.exams, tutor.exams.page
    _select(page, "practice-25")
    assert page.start.isEnabled() and "can fill this form" in page.details.toPlainText()
    page.start.click()
    assert page.in_exam() and len(page.grid.cells) == 25
    assert "Time left 1:00:00" in page.countdown.text()
    assert not tutor.window.nav.isEnabled()  # the learner stays in the exam

    right = wrong = 0
    for n in range(20):  # answer 20: 15 right (option "Right answer"), 5 wrong
        page.grid.cells[n].click()
        assert page.header.text().startswith(f"<b>Item {n + 1} of 25")
        want_right = n % 4 != 3
        target = next(i for i, index in enumerate(page.answer.order, start=1)
                      if (page.answer.item.options[index].correct) == want_right)
        page.pick(target)
        right, wrong = right + want_right, wrong + (not want_right)
        assert _cell(page, n) == "answered"
    page.grid.cells[3].click()
    page.flag.click()  # flag an answered item
    page.step_requested.emit(1)  # Next (PgDn)
    assert controller.session.position == 4
    page.grid.cells[22].click()
    page.flag.click()  # flag a blank one
    page.strike_number(2)  # Ctrl+2 strikes out the second option shown
    struck = page.answer.order[1]
    assert page.answer.group.button(struck).font().strikeOut()
    assert controller.session.slots[22].struck == {struck}
    assert _cell(page, 3) == "flagged" and _cell(page, 22) == "flagged" and _cell(page, 24) == "blank"
    assert "Right" not in page.header.text() and page.stack.currentIndex() == 1  # no verdicts before the end

    page.submit.click()
    assert confirm == [([20, 21, 22, 23, 24], [3, 22], True)]
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 2)
    results = page.results
    assert f"{100 * right / 25:.1f} %" in results.summary.text() and "NOT PASSED" in results.summary.text()
    assert results.sections.rowCount() == 4
    assert sum(int(results.sections.item(r, 1).text()) for r in range(4)) == 25
    assert results.items.count() == 25
    results.items.setCurrentRow(3)  # the wrong, flagged one
    review = results.detail.toPlainText()
    assert "Not right" in review and "Your answer:" in review and "Key:" in review and "Rationale" in review
    assert "Wrong answer" in review.split("Your answer:")[1].split("Key:")[0]
    results.items.setCurrentRow(24)
    assert "Blank" in results.detail.toPlainText()
    assert tutor.window.nav.isEnabled()

    attempts = tutor.store.attempts(tutor.profile.id)  # the practice history and mistake log see them
    assert len(attempts) == 20 and sum(not a.correct for a in attempts) == wrong
    from app.core.mistakes import MistakeFilter
    from app.store.study_stats import StudyStats

    assert len(StudyStats(tutor.store.db).mistakes(tutor.profile.id, MistakeFilter())) == wrong
    cards = tutor.store.db.execute("SELECT count(*) FROM cards WHERE profile_id = ?", [tutor.profile.id]).fetchone()
    assert cards[0] == 20  # each exam answer is now a review card in the study queue
    exam = controller.store.exam(controller.shown_exam)
    first_keys = {i.drawn.key for i in exam.items}

    results.retake.click()  # a new draw, avoiding the items just seen
    assert controller.session is not None and controller.exam_id != exam.id
    assert not first_keys & {slot.drawn.key for slot in controller.session.slots}
    retake = controller.store.exam(controller.exam_id)
    assert retake.avoided == first_keys and retake.seed != exam.seed
    from app.core.exam_forms import draw

    pool = [i for b in tutor.enabled_banks() for i in b.items]
    again = draw(retake.form, pool, retake.seed, retake.avoided)  # reproducible from what is stored
    assert again.items == tuple(i.drawn for i in retake.items)


def test_coding_cases_and_an_instructors_form_in_a_bank_package(qtbot, data_dir: Path, confirm) -> None:  # type: ignore[no-untyped-def]
    package = data_dir / "banks" / "exam-test"
    write_bank(package / "bank.yaml", per_topic=2, cases=3)
    write_form(package / "forms" / "cases.yaml", form_id="cases-only", counts=(("cases", 2, 1),),
               topics=(("icd10cm",),))
    form_text = (package / "forms" / "cases.yaml").read_text(encoding="utf-8")
    (package / "forms" / "cases.yaml").write_text(form_text.replace("topics: [icd10cm]", "types: [coding_case]"),
                                                  encoding="utf-8")
    tutor = _app(qtbot, data_dir)
    page = tutor.exams.page
    _select(page, "cases-only")
    page.start.click()
    assert page.in_exam()
    page.answer.set_code(0, 0, "E11.9")
    page.grid.cells[1].click()
    page.answer.set_code(0, 0, "E11.65")
    page.grid.cells[0].click()  # back: the typed code is still there
    assert page.answer.response() == ["E11.9"]
    page.submit.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 2)
    assert "50.0 %" in page.results.summary.text()
    page.results.items.setCurrentRow(1)
    review = page.results.detail.toPlainText()
    assert "Per-code verdicts" in review and "E11.65" in review and "Answer key" in review


def test_time_up_submits_by_itself_and_a_short_form_cannot_start(qtbot, data_dir: Path, confirm) -> None:  # type: ignore[no-untyped-def]
    write_bank(data_dir / "banks" / "exam-test" / "bank.yaml", per_topic=8, cases=0)
    clock = Clock()
    tutor = _app(qtbot, data_dir, clock)
    page, controller = tutor.exams.page, tutor.exams
    _select(page, "cpc")
    assert page.start.isEnabled()
    _select(page, "cca")  # no health-records or reimbursement items in this bank
    assert not page.start.isEnabled()
    details = page.details.toPlainText()
    assert "cannot be started yet" in details and "short by 15" in details and "short by 20" in details
    assert not controller.start("cca")

    _select(page, "practice-25")
    page.start.click()
    page.pick(1)
    clock.now += timedelta(minutes=50)
    controller.tick()
    assert "10 minutes left" in page.notice.text()
    clock.now += timedelta(minutes=10, seconds=1)
    controller.tick()
    assert page.stack.currentIndex() == 2 and confirm == []  # no question asked: time is up
    exam = controller.store.exam(controller.shown_exam)
    assert exam.status == "submitted" and exam.used_seconds == 3600
    assert len(tutor.store.attempts(tutor.profile.id)) == 1


def test_closing_the_app_mid_exam_and_reopening_offers_resume_with_wall_time_counted(
        qtbot, data_dir: Path, confirm) -> None:  # type: ignore[no-untyped-def]
    write_bank(data_dir / "banks" / "exam-test" / "bank.yaml", per_topic=8, cases=0)
    clock = Clock()
    tutor = _app(qtbot, data_dir, clock)
    page = tutor.exams.page
    _select(page, "cpc")  # pause policy none: the clock runs on while the app is closed
    page.start.click()
    page.pick(2)
    page.grid.cells[5].click()
    page.flag.click()
    clock.now += timedelta(minutes=10)
    tutor.window.close()  # writes the clock, stops the timer
    tutor.store.db.close()

    clock.now += timedelta(minutes=30)
    again = build_tutor(resolve_paths(str(data_dir)), now=clock, quiet=True)
    qtbot.addWidget(again.window)
    assert again.window.pages.currentWidget() is again.exams.page  # offered at once
    page = again.exams.page
    assert not page.resume.isHidden()
    assert "Unfinished exam" in page.resume_box.text() and "1 of 100 answered" in page.resume_box.text()
    page.resume.click()
    session = again.exams.session
    assert session is not None and session.position == 5 and session.slots[5].flagged
    assert session.slots[0].answered and session.remaining(clock.now) == 240 * 60 - 40 * 60
    assert "3:20:00" in page.countdown.text()
    again.window.close()
    again.store.db.close()
