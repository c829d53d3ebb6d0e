from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.learner import Attempt, LessonRead
from app.core.progress import summarise

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _attempt(n: int, item: str, topic: str, score: float, max_score: float = 1.0) -> Attempt:
    return Attempt(n, 1, item, "b", "single_choice", topic, 0, score, max_score,
                   score == max_score, 5.0, T0 + timedelta(minutes=n))


def test_summary_counts_and_per_topic_accuracy() -> None:
    attempts = [
        _attempt(1, "q1", "icd10cm", 1.0),
        _attempt(2, "q1", "icd10cm", 0.0),
        _attempt(3, "case1", "icd10cm", 2.0, 4.0),
        _attempt(4, "t1", "terminology", 1.0),
    ]
    reads = [LessonRead("l1", T0, T0, 1), LessonRead("gone", T0, T0, 1)]
    summary = summarise(attempts, reads, ["l1", "l2"], ["q1", "case1", "t1", "q9"])
    assert (summary.lessons_read, summary.lessons_total) == (1, 2)
    assert (summary.attempts, summary.items_answered, summary.items_total) == (4, 3, 4)
    assert summary.accuracy == 4.0 / 7.0
    by_topic = {t.topic: (t.attempts, t.items, t.accuracy) for t in summary.topics}
    assert by_topic == {"icd10cm": (3, 2, 3.0 / 6.0), "terminology": (1, 1, 1.0)}
    assert [a.id for a in summary.recent] == [4, 3, 2, 1]
