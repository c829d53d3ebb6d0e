"""The practice state machine, driven without Qt through a recording view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core.learner import AttemptDraft
from app.core.models import GradeResult, ItemMeta, Option, SingleChoice
from app.core.session import PracticeSession, SessionError, SessionSummary, State

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def _item(item_id: str, right: int) -> SingleChoice:
    options = tuple(Option(text=f"option {i}", correct=(i == right)) for i in range(4))
    return SingleChoice(ItemMeta(id=item_id, topic="icd10cm", bank="b1"), "Which?", options)


def _grade(item, response) -> GradeResult:  # a plain rule, so the session is tested alone
    right = next(i for i, o in enumerate(item.options) if o.correct)
    ok = response == right
    return GradeResult(score=1.0 if ok else 0.0, max_score=1.0, correct=ok)


class View:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def show_item(self, item, position, total):
        self.events.append(("item", item.meta.id, position, total))

    def show_result(self, item, result):
        self.events.append(("result", item.meta.id, result.correct))

    def show_finished(self, summary: SessionSummary):
        self.events.append(("finished", summary.answered, summary.correct, summary.percent))


def test_full_loop_records_each_answer_with_its_time() -> None:
    view, recorded = View(), []
    session = PracticeSession([_item("a", 1), _item("b", 2)], view, _grade, recorded.append)
    session.start(T0)
    session.submit(1, T0 + timedelta(seconds=7))
    session.next(T0 + timedelta(seconds=9))
    session.submit(0, T0 + timedelta(seconds=30))
    session.next(T0 + timedelta(seconds=31))
    assert session.state is State.FINISHED
    assert view.events == [
        ("item", "a", 1, 2),
        ("result", "a", True),
        ("item", "b", 2, 2),
        ("result", "b", False),
        ("finished", 2, 1, 50.0),
    ]
    assert [(d.item_id, d.correct, d.seconds, d.response) for d in recorded] == [
        ("a", True, 7.0, 1),
        ("b", False, 21.0, 0),
    ]
    assert all(isinstance(d, AttemptDraft) and d.bank_id == "b1" for d in recorded)


def test_actions_out_of_order_are_refused() -> None:
    session = PracticeSession([_item("a", 0)], View(), _grade, lambda draft: None)
    with pytest.raises(SessionError):
        session.submit(0, T0)
    session.start(T0)
    with pytest.raises(SessionError):
        session.next(T0)
    session.submit(0, T0)
    with pytest.raises(SessionError):
        session.submit(0, T0)


def test_a_failed_save_does_not_advance_the_session() -> None:
    def failing(draft):
        raise OSError("disk full")

    session = PracticeSession([_item("a", 0)], View(), _grade, failing)
    session.start(T0)
    with pytest.raises(OSError):
        session.submit(0, T0)
    assert session.state is State.ASKING
    assert session.results == []
