"""The exam state machine and the draw, pure: `now` is a parameter, the journal is a list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core.exam import ExamError, ExamSession, ExamStatus, Slot, resume_used, score_exam
from app.core.exam_forms import (
    DrawnItem,
    DrawRule,
    ExamForm,
    FormSection,
    Navigation,
    PausePolicy,
    draw,
    form_from_dict,
    form_to_dict,
    item_key,
)
from app.core.models import GradeResult, ItemMeta, Option, SingleChoice

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


class Journal:
    def __init__(self) -> None:
        self.items: list[tuple] = []  # type: ignore[type-arg]
        self.clocks: list[tuple] = []  # type: ignore[type-arg]

    def save_item(self, position, response, flagged, struck, seconds) -> None:  # type: ignore[no-untyped-def]
        self.items.append((position, response, flagged, struck, seconds))

    def save_clock(self, used, position, part_index, now, seconds) -> None:  # type: ignore[no-untyped-def]
        self.clocks.append((used, position, part_index, now, dict(seconds)))


def choice(item_id: str, topic: str, difficulty: int = 2, area: str = "", bank: str = "b") -> SingleChoice:
    meta = ItemMeta(id=item_id, topic=topic, difficulty=difficulty, bank=bank, area=area, rationale="r")
    return SingleChoice(meta, "stem", (Option("right", True), Option("w1"), Option("w2"), Option("w3")))


def form(navigation: Navigation = Navigation.FREE, pause: PausePolicy = PausePolicy.NONE, minutes: int = 60,
         warning: int = 10) -> ExamForm:
    return ExamForm("f", "Form", (
        FormSection("a", "Section A", (DrawRule(2, topics=("icd10cm",)),), part=1),
        FormSection("b", "Section B", (DrawRule(3, topics=("anatomy",)),), part=2),
    ), minutes=minutes, pass_mark=70, warning_minutes=warning, navigation=navigation, pause=pause)


def drawn(navigation: Navigation = Navigation.FREE) -> list[DrawnItem]:
    return [DrawnItem(f"b/a{n}", "a", 1) for n in range(2)] + [DrawnItem(f"b/b{n}", "b", 2) for n in range(3)]


def session(**kwargs) -> tuple[ExamSession, Journal]:  # type: ignore[no-untyped-def]
    journal = Journal()
    exam_form = form(**kwargs)
    return ExamSession(exam_form, drawn(), journal, T0), journal


# -- timing, warning, autosubmit ---------------------------------------------------------------
def test_countdown_warns_once_at_the_warning_and_reports_time_up_at_the_limit() -> None:
    exam, _ = session(minutes=60, warning=10)
    assert exam.remaining(at(0)) == 3600
    assert exam.tick(at(49 * 60)) == ""
    assert exam.tick(at(50 * 60)) == "warning"
    assert exam.tick(at(50 * 60 + 1)) == ""  # only once
    assert exam.remaining(at(59 * 60 + 30)) == 30
    assert exam.tick(at(3600)) == "time_up"
    assert exam.remaining(at(4000)) == 0


def test_time_up_submission_grades_only_answers_given_and_ends_the_exam() -> None:
    exam, _ = session()
    exam.answer(0, 0)
    exam.answer(1, 2)
    assert exam.tick(at(3600)) == "time_up"
    graded: list[int] = []

    def grade(position: int, response: object) -> GradeResult:
        graded.append(position)
        return GradeResult(1.0 if response == 0 else 0.0, 1.0, response == 0)

    score, results = exam.submit(at(3600), grade)
    assert graded == [0, 1] and set(results) == {0, 1}
    assert exam.status is ExamStatus.SUBMITTED
    assert score.earned == 1 and score.items == 5 and score.percent == 20 and not score.passed
    with pytest.raises(ExamError):
        exam.answer(2, 0)
    assert exam.tick(at(3700)) == ""


def test_item_time_accrues_while_shown_and_the_heartbeat_writes_the_clock() -> None:
    exam, journal = session()
    exam.go(3, at(30))
    exam.heartbeat(at(40))
    assert exam.slots[0].seconds == 30 and exam.slots[3].seconds == 10
    used, position, part, when, seconds = journal.clocks[-1]
    assert (used, position, part, when, seconds) == (40, 3, 0, at(40), {3: 10})


# -- answers, flags, strike-outs are written at once --------------------------------------------
def test_every_answer_flag_and_strike_is_journalled_at_once() -> None:
    exam, journal = session()
    exam.answer(0, 2)
    exam.flag(0, True)
    exam.strike(0, 1, True)
    exam.strike(0, 3, True)
    exam.strike(0, 1, False)
    assert journal.items[-1] == (0, 2, True, (3,), 0.0)
    assert len(journal.items) == 5
    assert exam.blank() == [1, 2, 3, 4] and exam.flagged() == [0]


# -- locked parts -----------------------------------------------------------------------------------
def test_locked_parts_allow_free_moves_inside_a_part_and_no_return() -> None:
    exam, journal = session(navigation=Navigation.LOCKED_PARTS)
    assert exam.parts == (1, 2) and exam.part_positions() == [0, 1]
    assert exam.step(1, at(1)) and exam.position == 1
    assert not exam.step(1, at(2))  # the end of part 1: no stepping into part 2
    with pytest.raises(ExamError):
        exam.go(2, at(3))
    with pytest.raises(ExamError):
        exam.answer(3, 0)
    exam.finish_part(at(4))
    assert exam.part_index == 1 and exam.position == 2 and exam.last_part
    assert journal.clocks[-1][2] == 1
    with pytest.raises(ExamError):
        exam.go(0, at(5))  # part 1 is closed for good
    with pytest.raises(ExamError):
        exam.answer(0, 1)
    with pytest.raises(ExamError):
        exam.finish_part(at(6))  # the last part is submitted, not finished


def test_free_navigation_reaches_every_item_in_one_part() -> None:
    exam, _ = session(navigation=Navigation.FREE)
    assert exam.parts == (0,) and exam.part_positions() == [0, 1, 2, 3, 4]
    exam.go(4, at(1))
    exam.go(0, at(2))
    assert exam.last_part


# -- pause policy and resume arithmetic --------------------------------------------------------------
def test_resume_with_no_pause_counts_the_time_the_app_was_closed() -> None:
    # 10 minutes worked, the heartbeat wrote 598 s, the app was killed, reopened 30 minutes after the start
    assert resume_used(PausePolicy.NONE, T0, 598.0, at(1800)) == 1800
    exam = ExamSession(form(), drawn(), Journal(), at(1800), used=resume_used(PausePolicy.NONE, T0, 598.0, at(1800)))
    assert exam.remaining(at(1800)) == 1800
    assert exam.remaining(at(1810)) == 1790


def test_resume_paused_while_closed_counts_only_the_last_heartbeat() -> None:
    assert resume_used(PausePolicy.WHILE_CLOSED, T0, 598.0, at(86400)) == 598.0
    exam = ExamSession(form(pause=PausePolicy.WHILE_CLOSED), drawn(), Journal(), at(86400), used=598.0, position=3)
    assert exam.remaining(at(86400)) == 3600 - 598
    assert exam.remaining(at(86400 + 2)) == 3600 - 600
    assert exam.position == 3


def test_resume_past_the_limit_is_time_up_at_once() -> None:
    used = resume_used(PausePolicy.NONE, T0, 100.0, at(7200))
    exam = ExamSession(form(minutes=60), drawn(), Journal(), at(7200), used=used)
    assert exam.tick(at(7200)) == "time_up"


def test_resume_restores_answers_flags_strikes_and_the_open_part() -> None:
    exam = ExamSession(form(navigation=Navigation.LOCKED_PARTS), drawn(), Journal(), at(5), used=5, position=4,
                       part_index=1)
    exam.restore(0, 1, True, [2], 12.0)
    assert exam.position == 4 and exam.part == 2 and not exam.allowed(0)
    assert (exam.slots[0].response, exam.slots[0].flagged, exam.slots[0].struck) == (1, True, {2})
    closed = ExamSession(form(navigation=Navigation.LOCKED_PARTS), drawn(), Journal(), at(5), position=0, part_index=1)
    assert closed.position == 2  # a stored position in a closed part falls to the open part's first item


# -- section scoring -----------------------------------------------------------------------------------
def test_sections_score_item_fractions_and_times_and_the_pass_mark_is_inclusive() -> None:
    slots = [Slot(d) for d in drawn()]
    for n, slot in enumerate(slots):
        slot.response, slot.seconds = 0, 10.0 * (n + 1)
    results = {0: GradeResult(1, 1, True), 1: GradeResult(1, 2, False), 2: GradeResult(3, 3, True),
               3: GradeResult(3, 3, True), 4: GradeResult(0, 1, False)}
    score = score_exam(form(), slots, results)
    a, b = score.sections
    assert (a.items, a.earned, a.percent, a.seconds) == (2, 1.5, 75.0, 30.0)
    assert (b.items, b.earned, round(b.percent, 2), b.seconds) == (3, 2.0, 66.67, 120.0)
    assert score.percent == 70.0 and score.passed  # 3.5 of 5 = 70 %: the mark itself passes
    slots[4].response = None
    lower = score_exam(form(), slots, {k: v for k, v in results.items() if k != 3})
    assert lower.percent == 50.0 and not lower.passed and lower.sections[1].answered == 2


# -- the draw ----------------------------------------------------------------------------------------
def pool() -> list[SingleChoice]:
    return ([choice(f"a{n}", "icd10cm", difficulty=1 + n % 3) for n in range(6)]
            + [choice(f"b{n}", "anatomy") for n in range(4)]
            + [choice(f"c{n}", "terminology", area="ccs-domain-2") for n in range(2)])


def test_the_draw_is_reproducible_from_its_seed_and_independent_of_bank_order() -> None:
    first = draw(form(), pool(), seed=42)
    again = draw(form(), list(reversed(pool())), seed=42)
    other = draw(form(), pool(), seed=43)
    assert first == again and first.complete
    assert [d.section for d in first.items] == ["a", "a", "b", "b", "b"]
    assert len({d.key for d in first.items}) == 5
    assert first.items != other.items  # a new seed, a new exam
    assert all(sorted(d.option_order) == [0, 1, 2, 3] for d in first.items)


def test_items_from_recent_exams_are_drawn_last() -> None:
    recent = frozenset(item_key(i) for i in pool() if i.meta.id in {"a0", "a1", "a2", "a3"})
    for seed in range(20):
        chosen = [d.key for d in draw(form(), pool(), seed, recent).items if d.section == "a"]
        assert set(chosen) == {"b/a4", "b/a5"}
    everything_recent = frozenset(item_key(i) for i in pool())
    assert draw(form(), pool(), 1, everything_recent).complete  # avoided only when possible


def test_a_short_section_is_reported_with_its_shortfall_and_never_filled_from_elsewhere() -> None:
    thin = [i for i in pool() if i.meta.id not in {"b1", "b2", "b3"}]
    result = draw(form(), thin, seed=1)
    assert not result.complete
    (short,) = result.shortfalls
    assert (short.section_id, short.wanted, short.found, short.missing) == ("b", 3, 1, 2)
    assert [d.key for d in result.items if d.section == "b"] == ["b/b0"]
    assert "needs 3 items; the banks have 1 (2 short)" in str(short)


def test_rules_filter_by_area_difficulty_and_type_and_never_reuse_an_item() -> None:
    exam_form = ExamForm("g", "G", (
        FormSection("hard", "Hard", (DrawRule(2, topics=("icd10cm",), min_difficulty=3),)),
        FormSection("any", "Any ICD", (DrawRule(4, topics=("icd10cm",)),)),
        FormSection("area", "Area", (DrawRule(2, areas=("ccs-domain-2",)), DrawRule(1, areas=("anatomy",)))),
        FormSection("cases", "Cases", (DrawRule(1, types=("coding_case",)),)),
    ), minutes=10)
    result = draw(exam_form, pool(), seed=5)
    hard = [d.key for d in result.items if d.section == "hard"]
    assert sorted(hard) == ["b/a2", "b/a5"]  # the difficulty-3 items
    assert len([d for d in result.items if d.section == "any"]) == 4
    assert {d.key for d in result.items if d.section == "area"} >= {"b/c0", "b/c1"}
    assert [(s.section_id, s.missing) for s in result.shortfalls] == [("cases", 1)]
    assert len({d.key for d in result.items}) == len(result.items)


def test_a_form_survives_its_json_round_trip() -> None:
    exam_form = form(navigation=Navigation.LOCKED_PARTS, pause=PausePolicy.WHILE_CLOSED)
    assert form_from_dict(form_to_dict(exam_form)) == exam_form
