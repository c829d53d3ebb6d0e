"""Progress figures from the SQL aggregates equal the old Python path, for any history.

The old path loaded every attempt: `summarise(store.attempts(...))` for the summary, and
`item_statistics(parse_results(json.dumps(export_document(...))))` for the item table. The
new path reads `item_progress` (kept by a trigger) and only the 15 latest and each item's
first attempt. Hypothesis draws random histories (items in several banks and topics, the
same item id in two banks, partial credit, answers recorded out of time order, ties in
time) and records them through the real store into a real SQLite file.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.item_stats import item_statistics
from app.core.learner import AttemptDraft, LessonRead
from app.core.models import ItemMeta, Option, SingleChoice, TrueFalse
from app.core.progress import summarise, summary_from_totals
from app.core.results import export_document, learner_results, parse_results
from app.store.database import open_learner_db
from app.store.learners import LearnerStore
from app.store.progress import ProgressStore

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
TOPICS = ("icd10cm", "cpt", "hcpcs", "guidelines")


def _items() -> list:  # type: ignore[type-arg]
    """Choice and true/false items in two banks; 'shared' has the same id in both banks."""
    items = []
    for bank in ("bank-a", "bank-b"):
        for number, topic in enumerate(TOPICS):
            item_id = f"sc-{number}" if number else "shared"
            options = tuple(Option(f"option {k}", correct=k == 1) for k in range(4))
            items.append(SingleChoice(ItemMeta(id=item_id, topic=topic, bank=bank), f"Stem {bank} {item_id}", options))
        items.append(TrueFalse(ItemMeta(id="tf", topic="guidelines", bank=bank), f"True? {bank}", True))
    return items


ITEMS = _items()

answers = st.lists(st.tuples(
    st.integers(0, len(ITEMS) - 1),           # which item
    st.integers(0, 3),                        # option picked (true/false: even = True)
    st.sampled_from([0.0, 0.5, 1.0, 1 / 3]),  # credit, partial credit included
    st.integers(0, 40),                       # minutes after START: out of order and ties
    st.booleans(),                            # the item's topic was changed in the bank since
), max_size=40)


def _record(store: LearnerStore, profile_id: int, history: list) -> None:  # type: ignore[type-arg]
    for index, picked, credit, minutes, retopic in history:
        item = ITEMS[index]
        response: object = picked if isinstance(item, SingleChoice) else picked % 2 == 0
        topic = "compliance" if retopic else item.meta.topic
        store.record_attempt(profile_id, AttemptDraft(
            item.meta.id, item.meta.bank, str(item.type), topic, response, credit, 1.0, credit == 1.0,
            12.5, START + timedelta(minutes=minutes)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=answers, other=answers)
def test_sql_figures_equal_the_python_path(tmp_path_factory, history, other) -> None:  # type: ignore[no-untyped-def]
    db = open_learner_db(Path(tmp_path_factory.mktemp("progress")) / "learner.sqlite3")
    store, progress = LearnerStore(db), ProgressStore(db)
    ana, ben = store.create_profile("Ana"), store.create_profile("Ben")
    _record(store, ana.id, history)
    _record(store, ben.id, other)  # another learner's answers never leak into Ana's figures
    reads = [LessonRead("lesson-1", START, START, 1)]
    lessons, item_ids = {"lesson-1", "lesson-2"}, [i.meta.id for i in ITEMS]
    attempts = store.attempts(ana.id)

    old = summarise(attempts, reads, lessons, item_ids)
    new = summary_from_totals(progress.totals(ana.id), progress.recent(ana.id), reads, lessons, item_ids)
    assert (new.lessons_read, new.lessons_total, new.attempts, new.items_answered, new.items_total) == \
        (old.lessons_read, old.lessons_total, old.attempts, old.items_answered, old.items_total)
    assert math.isclose(new.accuracy, old.accuracy, rel_tol=1e-9)
    assert [(t.topic, t.label, t.attempts, t.items) for t in new.topics] == \
        [(t.topic, t.label, t.attempts, t.items) for t in old.topics]
    for mine, theirs in zip(new.topics, old.topics, strict=True):
        assert math.isclose(mine.score, theirs.score, abs_tol=1e-9)
        assert math.isclose(mine.max_score, theirs.max_score, abs_tol=1e-9)
    assert [a.id for a in new.recent] == [a.id for a in old.recent]

    document = export_document("Ana", attempts, ITEMS, START, "test")
    old_items = item_statistics([parse_results(json.dumps(document))])
    new_items = item_statistics([learner_results("Ana", progress.first_attempts(ana.id), ITEMS)])
    assert new_items == old_items
    db.close()


def test_a_database_with_answers_gets_its_aggregates_when_migrated(tmp_path: Path) -> None:
    """Answers stored before migration 002 are counted: the migration fills the table."""
    from app.store.migrations import MIGRATIONS, apply_migrations

    path = tmp_path / "learner.sqlite3"
    db = open_learner_db(path)
    store = LearnerStore(db)
    ana = store.create_profile("Ana")
    _record(store, ana.id, [(0, 1, 1.0, 5, False), (0, 2, 0.0, 1, False), (3, 1, 0.5, 2, True)])
    expected = ProgressStore(db).totals(ana.id), ProgressStore(db).first_attempts(ana.id)
    db.execute("DROP TRIGGER attempts_item_progress")
    db.execute("DROP TABLE item_progress")
    db.execute("DELETE FROM _migrations WHERE name = '002_progress_aggregates'")
    assert apply_migrations(db, MIGRATIONS) == ["002_progress_aggregates"]
    assert (ProgressStore(db).totals(ana.id), ProgressStore(db).first_attempts(ana.id)) == expected
    assert expected[0].attempts == 3 and [a.answered_at.minute for a in expected[1]] == [1, 2]
    ProgressStore(db).rebuild(ana.id)
    assert ProgressStore(db).totals(ana.id) == expected[0]
    store.delete_profile(ana.id)
    assert db.execute("SELECT COUNT(*) FROM item_progress").fetchone()[0] == 0
    db.close()
