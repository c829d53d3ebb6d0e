"""The study loop's pure rules: rating, catch-up plan, exam-date cap, leeches (now as a parameter)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Rating
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.scheduling import (
    LEECH_LAPSES,
    StudySettings,
    exam_cap,
    rating_for,
    review,
    spread_due,
)
from app.core.study_plan import DueCard, pick_new, plan_reviews, streak

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("score", "max_score", "correct", "seconds", "item_type", "rating"),
    [
        (0.0, 1.0, False, 5.0, "single_choice", Rating.Again),  # wrong, however fast
        (0.5, 1.0, False, 5.0, "multiple_response", Rating.Hard),  # partial credit
        (2.0, 3.0, False, 90.0, "coding_case", Rating.Hard),
        (1.0, 1.0, True, 40.0, "single_choice", Rating.Good),  # right, not fast
        (1.0, 1.0, True, 15.0, "single_choice", Rating.Easy),  # right within 15 s
        (1.0, 1.0, True, 16.0, "single_choice", Rating.Good),
        (3.0, 3.0, True, 59.0, "coding_case", Rating.Easy),  # coding cases get a minute
        (1.0, 1.0, True, 0.0, "single_choice", Rating.Good),  # time not measured: never Easy
        (1.0, 1.0, True, 10.0, "drill", Rating.Easy),  # drills and other types: 15 s
    ],
)
def test_the_rating_rule(score, max_score, correct, seconds, item_type, rating) -> None:  # type: ignore[no-untyped-def]
    assert rating_for(score, max_score, correct, seconds, item_type) == rating


def _backlog(n: int, today: date) -> list[DueCard]:
    return [DueCard(i, today - timedelta(days=1 + i % 9), ((i * 37) % 1000) / 1000) for i in range(n)]


def test_a_400_card_backlog_with_a_cap_of_100_is_spread_lowest_recall_first() -> None:
    today = NOW.date()
    cards = _backlog(400, today)
    cards += [DueCard(1000 + i, today + timedelta(days=1 + i % 3), 0.9) for i in range(60)]
    plan = plan_reviews(cards, today, cap=100)
    assert plan.overdue == 400 and plan.catch_up_days >= 4
    assert all(len(ids) <= 100 for _, ids in plan.days)
    placed = [card_id for _, ids in plan.days for card_id in ids]
    assert sorted(placed) == sorted(c.card_id for c in cards)  # every card once
    recall = {c.card_id: c.retrievability for c in cards}
    overdue_order = [i for i in placed if i < 1000]
    assert [recall[i] for i in overdue_order] == sorted(recall[i] for i in overdue_order)
    assert plan.today_cards == tuple(sorted(range(400), key=lambda i: (recall[i], i))[:100])
    assert plan.message() == f"400 overdue: spread over {plan.catch_up_days} days"


def test_a_small_load_is_done_today() -> None:
    plan = plan_reviews(_backlog(42, NOW.date()), NOW.date(), cap=100)
    assert len(plan.today_cards) == 42 and plan.catch_up_days == 1
    assert plan.message() == "42 due today."
    assert plan_reviews(_backlog(42, NOW.date()), NOW.date(), cap=10).message() == \
        "42 overdue: spread over 5 days"


def test_no_interval_runs_past_the_exam_date() -> None:
    exam = NOW.date() + timedelta(days=10)
    capped = StudySettings(exam_date=exam)
    step = review(None, 1, Rating.Easy, NOW, capped)
    for days in (2, 5, 9):  # easy answers would push the card weeks ahead
        step = review(step.card, 1, Rating.Easy, NOW + timedelta(days=days), capped)
    assert step.card.due <= datetime(exam.year, exam.month, exam.day, tzinfo=UTC)
    free = review(review(None, 1, Rating.Easy, NOW, StudySettings()).card, 1, Rating.Easy,
                  NOW + timedelta(days=9), StudySettings())
    assert free.card.due > datetime(exam.year, exam.month, exam.day, tzinfo=UTC)  # the cap did it
    assert exam_cap(exam, datetime(exam.year, exam.month, exam.day, 8, tzinfo=UTC)) is None  # exam day: no cap


def test_a_card_lapsing_six_times_becomes_a_leech() -> None:
    when, settings_ = NOW, StudySettings()
    step = review(None, 7, Rating.Good, when, settings_)
    lapses = 0
    while lapses < LEECH_LAPSES:
        while step.card.state != 2:  # learn it up to the review state
            when += timedelta(days=1)
            step = review(step.card, 7, Rating.Good, when, settings_)
        assert not step.card.leech
        when = step.card.due + timedelta(hours=1)
        step = review(step.card, 7, Rating.Again, when, settings_)
        lapses += 1
        assert step.card.lapses == lapses
    assert step.card.leech
    again = review(step.card, 7, Rating.Good, when + timedelta(days=1), settings_)
    assert again.card.leech  # marked for good, until the learner deals with it


def test_wrong_answers_in_learning_do_not_count_as_lapses() -> None:
    step = review(None, 3, Rating.Again, NOW, StudySettings())
    step = review(step.card, 3, Rating.Again, NOW + timedelta(minutes=5), StudySettings())
    assert step.card.lapses == 0 and not step.card.leech


def test_load_spreading_picks_the_quietest_day_in_the_window() -> None:
    due = NOW + timedelta(days=20)
    load = {due.date() + timedelta(days=k): 50 for k in range(-2, 3)}
    load[due.date() + timedelta(days=1)] = 3
    moved = spread_due(due, NOW, load, None)
    assert moved.date() == due.date() + timedelta(days=1) and moved.time() == due.time()
    asked = []

    def counts(first, last):  # type: ignore[no-untyped-def]
        asked.append((first, last))
        return load

    assert spread_due(due, NOW, counts, None) == moved  # a store is asked only for the window
    assert asked == [(due.date() - timedelta(days=2), due.date() + timedelta(days=2))]
    assert spread_due(NOW + timedelta(days=1), NOW, {}, None) == NOW + timedelta(days=1)  # short: kept


def test_in_the_final_weeks_weak_topics_get_more_new_items() -> None:
    candidates = [(f"{t}-{n}", t) for t in ("anatomy", "radiology", "icd10cm") for n in range(20)]
    accuracy = {"anatomy": 0.9, "radiology": 0.3, "icd10cm": 0.6}
    normal = pick_new(candidates, accuracy, 12, days_left=90)
    final = pick_new(candidates, accuracy, 12, days_left=14)
    count = lambda keys, t: sum(1 for k in keys if k.startswith(t))  # noqa: E731
    assert [count(normal, t) for t in ("anatomy", "radiology", "icd10cm")] == [4, 4, 4]
    assert count(final, "radiology") > count(final, "icd10cm") > count(final, "anatomy")
    assert len(final) == 12 and len(set(final)) == 12


def test_the_streak_counts_back_from_today_or_yesterday() -> None:
    today = NOW.date()
    days = [today - timedelta(days=k) for k in (1, 2, 3, 5)]
    assert streak(days, today) == 3
    assert streak(days + [today], today) == 4
    assert streak([today - timedelta(days=2)], today) == 0


answers = st.lists(st.tuples(st.sampled_from(list(Rating)), st.integers(min_value=0, max_value=72 * 60)),
                   min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(answers=answers, exam_in=st.integers(min_value=1, max_value=60),
       cap=st.integers(min_value=1, max_value=50))
def test_property_no_due_date_after_the_exam_and_no_day_over_the_cap(answers, exam_in, cap) -> None:  # type: ignore[no-untyped-def]
    exam = NOW.date() + timedelta(days=exam_in)
    limit = datetime(exam.year, exam.month, exam.day, tzinfo=UTC)
    chosen = StudySettings(exam_date=exam)
    cards: dict[int, object] = {}
    when = NOW
    for number, (rating, minutes) in enumerate(answers):
        when += timedelta(minutes=minutes)
        if when >= limit:
            break
        card_id = number % 5
        step = review(cards.get(card_id), card_id, rating, when, chosen)  # type: ignore[arg-type]
        cards[card_id] = step.card
        assert step.card.due <= limit
    due = [DueCard(c.card_id, c.due.date(), 0.5) for c in cards.values()]  # type: ignore[attr-defined]
    due += [DueCard(100 + i, when.date() - timedelta(days=i % 4), i / 200) for i in range(3 * cap)]
    plan = plan_reviews(due, when.date(), cap)
    assert all(len(ids) <= cap for _, ids in plan.days)
    from collections import Counter

    from app.core.study_plan import plan_loads

    counted = plan_loads(Counter(c.due_day for c in due), when.date(), cap)
    assert all(n <= cap for _, n in counted.loads) and counted.overdue == plan.overdue


def test_the_count_plan_agrees_with_the_card_plan() -> None:
    from collections import Counter

    from app.core.study_plan import plan_loads

    today = NOW.date()
    cards = [DueCard(i, today - timedelta(days=i % 9), 0.2 + (i % 50) / 100) for i in range(400)]
    cards += [DueCard(1000 + i, today + timedelta(days=1 + i % 5), 0.9) for i in range(150)]
    exact = plan_reviews(cards, today, cap=100)
    counted = plan_loads(Counter(c.due_day for c in cards), today, cap=100)
    assert counted.overdue == exact.overdue == 400
    assert counted.catch_up_days == exact.catch_up_days == 4
    assert {d: n for d, n in counted.loads if n} == {d: len(ids) for d, ids in exact.days if ids}
    assert counted.message() == "400 overdue: spread over 4 days" and counted.today_count == 100
    assert max(n for _, n in counted.loads) <= 100
