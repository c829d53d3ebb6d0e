"""Cards, review logs, study settings and the study aggregates on a real SQLite file."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.core.learner import AttemptDraft
from app.core.mistakes import MistakeFilter
from app.core.scheduling import StudySettings
from app.store.database import connect, open_learner_db
from app.store.learners import LearnerStore
from app.store.migrations import MIGRATIONS, apply_migrations
from app.store.reviews import ReviewStore
from app.store.study_stats import StudyStats

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _draft(item: str, right: bool, when: datetime, topic: str = "icd10cm", seconds: float = 30.0,
           verdict: str = "incorrect") -> AttemptDraft:
    findings = (("correct", "1", "ok"),) if right else ((verdict, "2", "no"),)
    return AttemptDraft(item, "bank", "single_choice", topic, 1, float(right), 1.0, right, seconds, when, findings)


@pytest.fixture
def store(tmp_path: Path) -> LearnerStore:
    return LearnerStore(open_learner_db(tmp_path / "learner.sqlite3"))


def test_every_attempt_updates_its_card_and_logs_a_review(store: LearnerStore) -> None:
    ana = store.create_profile("Ana")
    store.record_attempt(ana.id, _draft("q1", False, NOW))
    store.record_attempt(ana.id, _draft("q1", True, NOW + timedelta(days=1)))
    store.record_attempt(ana.id, _draft("q2", True, NOW))
    reviews = ReviewStore(store.db)
    assert reviews.answered_items(ana.id, "bank") == {"q1", "q2"} and reviews.answered_items(ana.id, "x") == set()
    card = reviews.card(ana.id, "bank", "q1")
    assert card is not None and card.reps == 2 and card.last_review == NOW + timedelta(days=1)
    ratings = [r[0] for r in store.db.execute("SELECT rating FROM review_logs ORDER BY id")]
    assert ratings == [1, 3, 3]  # Again, Good, Good (30 s is not fast)
    assert reviews.introduced_on(ana.id, NOW.date()) == 2
    store.delete_profile(ana.id)
    assert store.db.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 0
    assert store.db.execute("SELECT COUNT(*) FROM review_logs").fetchone()[0] == 0


def test_upgrading_a_001_database_replays_its_answers_into_cards(tmp_path: Path) -> None:
    path = tmp_path / "learner.sqlite3"
    old = connect(path)
    apply_migrations(old, MIGRATIONS[:1])
    old.execute("INSERT INTO profiles (name, created_at) VALUES ('Ben', ?)", [NOW.isoformat()])
    for n, right in enumerate((False, True, True)):
        old.execute(
            "INSERT INTO attempts (profile_id, bank_id, item_id, item_type, topic, response, score,"
            " max_score, correct, seconds, answered_at, findings) VALUES (1, 'bank', ?, 'single_choice',"
            " 'radiology', '0', ?, 1, ?, 20, ?, ?)",
            [f"q{n % 2}", float(right), int(right), (NOW + timedelta(days=n)).isoformat(),
             '[["incorrect", "0", "no"]]' if not right else '[]'])
    old.close()
    db = open_learner_db(path)
    assert db.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 2
    assert db.execute("SELECT COUNT(*) FROM review_logs").fetchone()[0] == 3
    stats = StudyStats(db)
    assert stats.totals(1) == (3, pytest.approx(2 / 3), 3)
    assert [m.key for m in stats.mistakes(1, MistakeFilter())] == ["bank/q0"]


def test_settings_are_checked_and_an_exam_date_pulls_due_cards_in(store: LearnerStore) -> None:
    ana = store.create_profile("Ana")
    reviews = ReviewStore(store.db)
    assert reviews.settings(ana.id) == StudySettings()
    when = NOW
    for _ in range(3):  # right and fast: Easy, the interval grows to weeks
        when = max(when, reviews.card(ana.id, "bank", "q1").due) if reviews.card(ana.id, "bank", "q1") else when
        store.record_attempt(ana.id, _draft("q1", True, when, seconds=5))
    assert reviews.card(ana.id, "bank", "q1").due > when + timedelta(days=20)
    exam = when.date() + timedelta(days=10)
    reviews.save_settings(ana.id, StudySettings(0.95, 5, 50, exam), when)
    assert reviews.settings(ana.id) == StudySettings(0.95, 5, 50, exam)
    assert reviews.card(ana.id, "bank", "q1").due == datetime(exam.year, exam.month, exam.day, tzinfo=UTC)
    with pytest.raises(ValueError, match="Desired retention"):
        reviews.save_settings(ana.id, StudySettings(desired_retention=1.2), when)
    assert reviews.settings(ana.id).desired_retention == 0.95  # nothing half-saved


def test_six_lapses_through_the_store_make_a_leech(store: LearnerStore) -> None:
    ana = store.create_profile("Ana")
    reviews = ReviewStore(store.db)
    when = NOW
    store.record_attempt(ana.id, _draft("hard-one", True, when))
    lapses = 0
    while lapses < 6:
        card = reviews.card(ana.id, "bank", "hard-one")
        when = max(card.due, when) + timedelta(hours=1)
        right = card.state != 2  # learn it back up, then forget it once it is in review
        store.record_attempt(ana.id, _draft("hard-one", right, when))
        lapses += not right
    leeches = reviews.leeches(ana.id)
    assert [(c.key, c.lapses) for c in leeches] == [("bank/hard-one", 6)]


def test_mistakes_filter_by_verdict_topic_and_date_and_the_csv_has_every_attempt(store: LearnerStore) -> None:
    ana = store.create_profile("Ana")
    store.record_attempt(ana.id, _draft("a", False, NOW - timedelta(days=10), "icd10cm", verdict="wrong_seventh_character"))
    store.record_attempt(ana.id, _draft("b", False, NOW - timedelta(days=1), "icd10cm", verdict="missing"))
    store.record_attempt(ana.id, _draft("c", False, NOW, "radiology", verdict="missing"))
    store.record_attempt(ana.id, _draft("d", True, NOW, "radiology"))
    stats = StudyStats(store.db)
    keys = lambda f: [m.item_id for m in stats.mistakes(ana.id, f)]  # noqa: E731
    assert keys(MistakeFilter()) == ["c", "b", "a"]
    assert keys(MistakeFilter(verdict="missing")) == ["c", "b"]
    assert keys(MistakeFilter(verdict="missing", topic="icd10cm")) == ["b"]
    assert keys(MistakeFilter(since=NOW.date() - timedelta(days=2))) == ["c", "b"]
    assert keys(MistakeFilter(until=NOW.date() - timedelta(days=1))) == ["b", "a"]
    assert stats.mistake_verdicts(ana.id) == ["missing", "wrong_seventh_character"]
    assert stats.mistakes(ana.id, MistakeFilter(verdict="missing"))[0].verdicts == ("missing",)
    out = io.StringIO()
    assert stats.write_attempts_csv(ana.id, out) == 4
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("answered_at,bank,item") and "wrong_seventh_character" in lines[1]


def test_dashboard_aggregates_group_by_week_and_topic(store: LearnerStore) -> None:
    ana = store.create_profile("Ana")
    monday = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for n in range(4):
        store.record_attempt(ana.id, _draft(f"r{n}", n % 2 == 0, monday + timedelta(days=n), "radiology", 20))
    store.record_attempt(ana.id, _draft("x", True, monday + timedelta(days=7), "anatomy", 40))
    stats = StudyStats(store.db)
    assert stats.accuracy_by_week(ana.id) == [(date(2026, 3, 2), "radiology", 4, 0.5),
                                              (date(2026, 3, 9), "anatomy", 1, 1.0)]
    assert stats.time_by_week(ana.id) == [(date(2026, 3, 2), 4, 20.0), (date(2026, 3, 9), 1, 40.0)]
    assert [d for d, _ in stats.study_days(ana.id)] == [date(2026, 3, 2 + k) for k in (0, 1, 2, 3, 7)]
    topics = {t.topic: t for t in stats.topics(ana.id)}
    assert topics["radiology"].items == 4 and topics["radiology"].mastery == 0.5
