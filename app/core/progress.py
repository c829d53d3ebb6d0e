"""Progress figures from a learner's attempts and lesson reads: pure arithmetic."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.core.learner import Attempt, LessonRead
from app.core.topics import topic_label


@dataclass(frozen=True)
class TopicProgress:
    topic: str
    label: str
    attempts: int
    items: int  # distinct items answered
    score: float
    max_score: float

    @property
    def accuracy(self) -> float:
        """Share of available credit earned, 0..1 (partial credit counts)."""
        return self.score / self.max_score if self.max_score else 0.0


@dataclass(frozen=True)
class TopicTotals:
    """One topic's answers as the learner store's aggregates give them (app/store/progress.py)."""

    topic: str
    attempts: int
    items: int  # distinct item ids answered in this topic
    score: float
    max_score: float


@dataclass(frozen=True)
class ProgressTotals:
    """A learner's answers in aggregate: what the progress page needs, without the attempts."""

    attempts: int
    items_answered: int  # distinct item ids
    score: float
    max_score: float
    topics: tuple[TopicTotals, ...]


@dataclass(frozen=True)
class ProgressSummary:
    lessons_read: int
    lessons_total: int
    attempts: int
    items_answered: int
    items_total: int
    accuracy: float
    topics: tuple[TopicProgress, ...]
    recent: tuple[Attempt, ...]


def summarise(
    attempts: Sequence[Attempt],
    reads: Iterable[LessonRead],
    lesson_ids: Iterable[str],
    item_ids: Iterable[str],
    recent: int = 15,
) -> ProgressSummary:
    known_lessons = set(lesson_ids)
    known_items = set(item_ids)
    by_topic: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_topic.setdefault(attempt.topic, []).append(attempt)
    topics = tuple(
        TopicProgress(
            topic=topic,
            label=topic_label(topic),
            attempts=len(group),
            items=len({a.item_id for a in group}),
            score=sum(a.score for a in group),
            max_score=sum(a.max_score for a in group),
        )
        for topic, group in sorted(by_topic.items(), key=lambda pair: topic_label(pair[0]))
    )
    total_max = sum(a.max_score for a in attempts)
    return ProgressSummary(
        lessons_read=len({r.lesson_id for r in reads} & known_lessons),
        lessons_total=len(known_lessons),
        attempts=len(attempts),
        items_answered=len({a.item_id for a in attempts}),
        items_total=len(known_items),
        accuracy=sum(a.score for a in attempts) / total_max if total_max else 0.0,
        topics=topics,
        recent=tuple(sorted(attempts, key=lambda a: (a.answered_at, a.id), reverse=True)[:recent]),
    )


def summary_from_totals(
    totals: ProgressTotals,
    recent: Sequence[Attempt],
    reads: Iterable[LessonRead],
    lesson_ids: Iterable[str],
    item_ids: Iterable[str],
) -> ProgressSummary:
    """The same summary as `summarise`, from SQL aggregates and the few latest attempts.

    `summarise` over every attempt stays as the reference: a property test checks that both
    give the same figures for any history (tests/store/test_progress_aggregates.py).
    """
    known_lessons = set(lesson_ids)
    topics = tuple(
        TopicProgress(t.topic, topic_label(t.topic), t.attempts, t.items, t.score, t.max_score)
        for t in sorted(totals.topics, key=lambda t: topic_label(t.topic))
    )
    return ProgressSummary(
        lessons_read=len({r.lesson_id for r in reads} & known_lessons),
        lessons_total=len(known_lessons),
        attempts=totals.attempts,
        items_answered=totals.items_answered,
        items_total=len(set(item_ids)),
        accuracy=totals.score / totals.max_score if totals.max_score else 0.0,
        topics=topics,
        recent=tuple(recent),
    )
