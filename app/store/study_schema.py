"""The study-loop schema (migration 004_study_loop), kept apart so migrations.py stays short.

Shipped as part of a recorded migration: change it only by adding a new migration.
"""

from __future__ import annotations

import json

from app.store.sqlite import Database

from app.core.learner import AttemptDraft

STATEMENTS = (
    """CREATE TABLE study_settings (
        profile_id INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
        desired_retention REAL NOT NULL DEFAULT 0.9,
        new_per_day INTEGER NOT NULL DEFAULT 20,
        max_reviews INTEGER NOT NULL DEFAULT 200,
        exam_date TEXT
    )""",
    """CREATE TABLE cards (
        id INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        bank_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        state INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due TEXT NOT NULL,
        last_review TEXT,
        reps INTEGER NOT NULL DEFAULT 0,
        lapses INTEGER NOT NULL DEFAULT 0,
        leech INTEGER NOT NULL DEFAULT 0,
        last_fraction REAL NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (profile_id, bank_id, item_id)
    )""",
    # The Today page: due cards with what retrievability needs, without touching the table.
    "CREATE INDEX cards_profile_due ON cards(profile_id, due, stability, last_review)",
    "CREATE INDEX cards_profile_created ON cards(profile_id, created_at)",
    "CREATE INDEX cards_profile_leech ON cards(profile_id) WHERE leech = 1",
    """CREATE TABLE review_logs (
        id INTEGER PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
        attempt_id INTEGER REFERENCES attempts(id) ON DELETE SET NULL,
        rating INTEGER NOT NULL,
        reviewed_at TEXT NOT NULL,
        previous_state INTEGER,
        elapsed_days REAL NOT NULL,
        retrievability REAL NOT NULL,
        stability REAL,
        difficulty REAL,
        due TEXT NOT NULL
    )""",
    "CREATE INDEX review_logs_card ON review_logs(card_id, reviewed_at)",
    "CREATE INDEX review_logs_attempt ON review_logs(attempt_id)",
    # One row per profile, UTC day and topic: every dashboard chart reads this, not attempts.
    """CREATE TABLE study_days (
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        topic TEXT NOT NULL,
        answers INTEGER NOT NULL,
        correct INTEGER NOT NULL,
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        seconds REAL NOT NULL,
        timed INTEGER NOT NULL,
        mature_first INTEGER NOT NULL,
        mature_first_pass INTEGER NOT NULL,
        PRIMARY KEY (profile_id, day, topic)
    ) WITHOUT ROWID""",
    # The mistake log and the attempts CSV: one profile's answers in time order.
    "CREATE INDEX attempts_profile_answered ON attempts(profile_id, answered_at)",
    "CREATE INDEX attempts_profile_mistakes ON attempts(profile_id, correct, answered_at)",
)


def create_study_tables(db: Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)


def backfill(db: Database) -> None:
    """Replay the answers already stored, oldest first, through the one review path."""
    from datetime import datetime

    from app.store.reviews import record_review

    rows = db.execute(
        "SELECT id, profile_id, bank_id, item_id, item_type, topic, score, max_score, correct,"
        " seconds, answered_at, findings FROM attempts ORDER BY answered_at, id"
    ).fetchall()
    for (attempt_id, profile_id, bank_id, item_id, item_type, topic, score, max_score, correct,
         seconds, answered_at, findings) in rows:
        draft = AttemptDraft(item_id, bank_id, item_type, topic, None, score, max_score, bool(correct),
                             seconds, datetime.fromisoformat(answered_at),
                             tuple(tuple(f) for f in json.loads(findings or "[]")))
        record_review(db, profile_id, draft, attempt_id, weekly=False)


WEEKS_STATEMENTS = (
    # One row per profile, week (its Monday) and topic: the weekly charts read ~150 rows a
    # year instead of ~5,000 daily ones (migration 004_study_weeks).
    """CREATE TABLE study_weeks (
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        week TEXT NOT NULL,
        topic TEXT NOT NULL,
        answers INTEGER NOT NULL,
        correct INTEGER NOT NULL,
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        seconds REAL NOT NULL,
        timed INTEGER NOT NULL,
        mature_first INTEGER NOT NULL,
        mature_first_pass INTEGER NOT NULL,
        PRIMARY KEY (profile_id, week, topic)
    ) WITHOUT ROWID""",
    """INSERT INTO study_weeks SELECT profile_id, date(day, '-6 days', 'weekday 1') AS week, topic,
        SUM(answers), SUM(correct), SUM(score), SUM(max_score), SUM(seconds), SUM(timed),
        SUM(mature_first), SUM(mature_first_pass) FROM study_days GROUP BY profile_id, week, topic""",
    # Today's weakest topics: per topic, all answers' credit and each item's latest result,
    # kept as running totals so the Today page reads ~20 rows however much was answered.
    """CREATE TABLE study_topics (
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        topic TEXT NOT NULL,
        answers INTEGER NOT NULL,
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        items INTEGER NOT NULL,
        latest_sum REAL NOT NULL,
        PRIMARY KEY (profile_id, topic)
    ) WITHOUT ROWID""",
    """INSERT INTO study_topics SELECT w.profile_id, w.topic, w.answers, w.score, w.max_score,
        COALESCE(c.items, 0), COALESCE(c.latest_sum, 0) FROM
        (SELECT profile_id, topic, SUM(answers) AS answers, SUM(score) AS score, SUM(max_score) AS max_score
         FROM study_days GROUP BY profile_id, topic) AS w
        LEFT JOIN (SELECT profile_id, topic, COUNT(*) AS items, SUM(last_fraction) AS latest_sum
         FROM cards GROUP BY profile_id, topic) AS c USING (profile_id, topic)""",
)


def create_week_tables(db: Database) -> None:
    for statement in WEEKS_STATEMENTS:
        db.execute(statement)
