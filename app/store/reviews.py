"""Review cards, review logs, per-profile study settings and the daily study summary.

`record_review` is called by `LearnerStore.record_attempt` inside the attempt's own
transaction: that is the one place every answer (practice, exam, drill) turns into a card
update, so no feature has to remember to schedule its items. `ReviewStore` answers the
Today page's questions with indexed queries (migration 004).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from app.store.sqlite import Database

from app.core.learner import AttemptDraft
from app.core.scheduling import (
    CardState,
    StudySettings,
    exam_cap,
    rating_for,
    retrievability,
    review,
)
from app.core.study_plan import DueCard

MATURE_DAYS = 21  # a card whose interval was at least this long counts as mature


def stamp(when: datetime) -> str:
    """UTC in SQLite's own format, so text order is time order and date() works."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _time(text: str | None) -> datetime | None:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC) if text else None


def day_start(day: date) -> str:
    return f"{day.isoformat()} 00:00:00"


@dataclass(frozen=True)
class CardRow:
    """A card as the Today page and the leech list need it."""

    id: int
    bank_id: str
    item_id: str
    topic: str
    due: datetime
    lapses: int
    leech: bool

    @property
    def key(self) -> str:
        return f"{self.bank_id}/{self.item_id}"


# -- the write path, inside LearnerStore.record_attempt's transaction --------------------------

def load_settings(db: Database, profile_id: int) -> StudySettings:
    rows = list(db.query("SELECT * FROM study_settings WHERE profile_id = ?", [profile_id]))
    if not rows:
        return StudySettings()
    row = rows[0]
    exam = date.fromisoformat(row["exam_date"]) if row["exam_date"] else None
    return StudySettings(row["desired_retention"], row["new_per_day"], row["max_reviews"], exam)


def record_review(db: Database, profile_id: int, draft: AttemptDraft, attempt_id: int,
                  weekly: bool = True) -> CardState:
    """Turn one stored answer into an FSRS step on the profile's card for that item.

    `weekly=False` is for migration 004_study_loop's replay, which runs before the weekly
    table exists; migration 004_study_weeks then fills that table from the daily one.
    """
    settings = load_settings(db, profile_id)
    now = draft.answered_at.astimezone(UTC)
    rows = list(db.query("SELECT * FROM cards WHERE profile_id = ? AND bank_id = ? AND item_id = ?",
                         [profile_id, draft.bank_id, draft.item_id]))
    card = _card_state(rows[0]) if rows else None
    card_id = rows[0]["id"] if rows else _insert_card(db, profile_id, draft, now)
    fraction = draft.score / draft.max_score if draft.max_score else 0.0
    if weekly:
        _add_to_topic(db, profile_id, draft, fraction, rows[0] if rows else None)
    rating = rating_for(draft.score, draft.max_score, draft.correct, draft.seconds, draft.item_type)
    step = review(card, card_id, rating, now, settings, lambda first, last: _load(db, profile_id, first, last))
    new = step.card
    db.execute(
        "UPDATE cards SET topic = ?, state = ?, step = ?, stability = ?, difficulty = ?, due = ?,"
        " last_review = ?, reps = ?, lapses = ?, leech = ?, last_fraction = ? WHERE id = ?",
        [draft.topic, new.state, new.step, new.stability, new.difficulty, stamp(new.due),
         stamp(now), new.reps, new.lapses, int(new.leech), fraction, card_id],
    )
    first_today = card is None or card.last_review is None or card.last_review.date() != now.date()
    mature = card is not None and card.last_review is not None and \
        (card.due - card.last_review) >= timedelta(days=MATURE_DAYS)
    db.execute(
        "INSERT INTO review_logs (card_id, attempt_id, rating, reviewed_at, previous_state,"
        " elapsed_days, retrievability, stability, difficulty, due)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [card_id, attempt_id, int(rating), stamp(now), step.previous_state, step.elapsed_days,
         step.retrievability, new.stability, new.difficulty, stamp(new.due)],
    )
    _add_to_day(db, profile_id, draft, now, mature and first_today, int(rating) > 1, weekly)
    return new


def _add_to_topic(db: Database, profile_id: int, draft: AttemptDraft, fraction: float,
                  card: dict | None) -> None:  # type: ignore[type-arg]
    """Per-topic running totals: answers and credit, items and the sum of their latest results."""
    old_fraction = card["last_fraction"] if card else 0.0
    if card is not None and card["topic"] != draft.topic:  # the author moved the item: move its result
        db.execute("UPDATE study_topics SET items = items - 1, latest_sum = latest_sum - ?"
                   " WHERE profile_id = ? AND topic = ?", [old_fraction, profile_id, card["topic"]])
        card, old_fraction = None, 0.0
    db.execute(
        "INSERT INTO study_topics (profile_id, topic, answers, score, max_score, items, latest_sum)"
        " VALUES (?, ?, 1, ?, ?, ?, ?) ON CONFLICT (profile_id, topic) DO UPDATE SET"
        " answers = answers + 1, score = score + excluded.score, max_score = max_score + excluded.max_score,"
        " items = items + excluded.items, latest_sum = latest_sum + excluded.latest_sum",
        [profile_id, draft.topic, draft.score, draft.max_score, int(card is None), fraction - old_fraction],
    )


def _insert_card(db: Database, profile_id: int, draft: AttemptDraft, now: datetime) -> int:
    cursor = db.execute(
        "INSERT INTO cards (profile_id, bank_id, item_id, topic, state, due, reps, lapses, leech,"
        " created_at) VALUES (?, ?, ?, ?, 1, ?, 0, 0, 0, ?)",
        [profile_id, draft.bank_id, draft.item_id, draft.topic, stamp(now), stamp(now)],
    )
    return int(cursor.lastrowid or 0)


def _load(db: Database, profile_id: int, first: date, last: date) -> dict[date, int]:
    """Cards due per day from `first` to `last`: what load spreading balances against."""
    rows = db.execute(
        "SELECT substr(due, 1, 10) AS day, COUNT(*) FROM cards WHERE profile_id = ? AND due >= ?"
        " AND due < ? GROUP BY day", [profile_id, day_start(first), day_start(last + timedelta(days=1))],
    )
    return {date.fromisoformat(day): n for day, n in rows}


def _add_to_day(db: Database, profile_id: int, draft: AttemptDraft, now: datetime,
                mature_first: bool, passed: bool, weekly: bool) -> None:
    """Keep the per-day and per-week summaries the dashboard reads (instead of every attempt)."""
    db.execute(
        "INSERT INTO study_days (profile_id, day, topic, answers, correct, score, max_score, seconds,"
        " timed, mature_first, mature_first_pass) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (profile_id, day, topic) DO UPDATE SET answers = answers + 1,"
        " correct = correct + excluded.correct, score = score + excluded.score,"
        " max_score = max_score + excluded.max_score, seconds = seconds + excluded.seconds,"
        " timed = timed + excluded.timed, mature_first = mature_first + excluded.mature_first,"
        " mature_first_pass = mature_first_pass + excluded.mature_first_pass",
        [profile_id, now.date().isoformat(), draft.topic, int(draft.correct), draft.score,
         draft.max_score, draft.seconds, int(draft.seconds > 0), int(mature_first),
         int(mature_first and passed)],
    )
    if not weekly:
        return
    monday = now.date() - timedelta(days=now.date().weekday())
    db.execute(
        "INSERT INTO study_weeks (profile_id, week, topic, answers, correct, score, max_score, seconds,"
        " timed, mature_first, mature_first_pass) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (profile_id, week, topic) DO UPDATE SET answers = answers + 1,"
        " correct = correct + excluded.correct, score = score + excluded.score,"
        " max_score = max_score + excluded.max_score, seconds = seconds + excluded.seconds,"
        " timed = timed + excluded.timed, mature_first = mature_first + excluded.mature_first,"
        " mature_first_pass = mature_first_pass + excluded.mature_first_pass",
        [profile_id, monday.isoformat(), draft.topic, int(draft.correct), draft.score,
         draft.max_score, draft.seconds, int(draft.seconds > 0), int(mature_first),
         int(mature_first and passed)],
    )


def _card_state(row: dict) -> CardState:  # type: ignore[type-arg]
    return CardState(
        card_id=row["id"], state=row["state"], step=row["step"], stability=row["stability"],
        difficulty=row["difficulty"], due=_time(row["due"]) or datetime.now(UTC),
        last_review=_time(row["last_review"]), reps=row["reps"], lapses=row["lapses"],
        leech=bool(row["leech"]),
    )


# -- the read side ------------------------------------------------------------------------------

class ReviewStore:
    """The Today page's and the scheduler's queries on one profile's cards."""

    def __init__(self, db: Database):
        self.db = db

    def settings(self, profile_id: int) -> StudySettings:
        return load_settings(self.db, profile_id)

    def save_settings(self, profile_id: int, settings: StudySettings, now: datetime) -> None:
        """Save the settings; with an exam date ahead, pull in every due time that runs past it."""
        problems = settings.problems()
        if problems:
            raise ValueError(" ".join(problems))
        exam = settings.exam_date.isoformat() if settings.exam_date else None
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO study_settings (profile_id, desired_retention, new_per_day, max_reviews,"
                " exam_date) VALUES (?, ?, ?, ?, ?) ON CONFLICT (profile_id) DO UPDATE SET"
                " desired_retention = excluded.desired_retention, new_per_day = excluded.new_per_day,"
                " max_reviews = excluded.max_reviews, exam_date = excluded.exam_date",
                [profile_id, settings.desired_retention, settings.new_per_day, settings.max_reviews, exam],
            )
            cap = exam_cap(settings.exam_date, now)
            if cap is not None:
                self.db.execute("UPDATE cards SET due = ? WHERE profile_id = ? AND due > ?",
                                [stamp(cap), profile_id, stamp(cap)])

    def due_per_day(self, profile_id: int, now: datetime, horizon_days: int = 30) -> dict[date, int]:
        """Cards due per day up to the horizon; everything due by the end of today counts as today."""
        tomorrow = day_start(now.date() + timedelta(days=1))
        end = day_start(now.date() + timedelta(days=horizon_days))
        overdue = self.db.execute("SELECT COUNT(*) FROM cards WHERE profile_id = ? AND due < ?",
                                  [profile_id, tomorrow]).fetchone()[0]
        rows = self.db.execute("SELECT substr(due, 1, 10) AS day, COUNT(*) FROM cards WHERE profile_id = ?"
                               " AND due >= ? AND due < ? GROUP BY day", [profile_id, tomorrow, end])
        found = {date.fromisoformat(day): n for day, n in rows}
        if overdue:
            found[now.date()] = overdue
        return found

    def backlog(self, profile_id: int, now: datetime) -> list[DueCard]:
        """Cards due by the end of today, with their retrievability now (the Start session)."""
        rows = self.db.execute(
            "SELECT id, due, stability, last_review FROM cards WHERE profile_id = ? AND due < ?",
            [profile_id, day_start(now.date() + timedelta(days=1))],
        ).fetchall()
        return [DueCard(card_id, (_time(due) or now).date(), retrievability(stability, _time(last), now))
                for card_id, due, stability, last in rows]

    def answered_items(self, profile_id: int, bank_id: str) -> set[str]:
        """Item ids of one bank that already have a card (new items are the others)."""
        rows = self.db.execute("SELECT item_id FROM cards WHERE profile_id = ? AND bank_id = ?",
                               [profile_id, bank_id])
        return {item for (item,) in rows}

    def introduced_on(self, profile_id: int, day: date) -> int:
        return int(self.db.execute(
            "SELECT COUNT(*) FROM cards WHERE profile_id = ? AND created_at >= ?",
            [profile_id, day_start(day)],
        ).fetchone()[0])

    def cards(self, card_ids: Sequence[int]) -> list[CardRow]:
        """The cards with these ids, in the order given."""
        found: dict[int, CardRow] = {}
        for start in range(0, len(card_ids), 500):
            chunk = list(card_ids[start:start + 500])
            marks = ", ".join("?" for _ in chunk)
            for row in self.db.query(f"SELECT * FROM cards WHERE id IN ({marks})", chunk):
                found[row["id"]] = _card_row(row)
        return [found[i] for i in card_ids if i in found]

    def leeches(self, profile_id: int) -> list[CardRow]:
        rows = self.db.query("SELECT * FROM cards WHERE profile_id = ? AND leech = 1"
                             " ORDER BY lapses DESC, id", [profile_id])
        return [_card_row(r) for r in rows]

    def card(self, profile_id: int, bank_id: str, item_id: str) -> CardState | None:
        rows = list(self.db.query("SELECT * FROM cards WHERE profile_id = ? AND bank_id = ? AND item_id = ?",
                                  [profile_id, bank_id, item_id]))
        return _card_state(rows[0]) if rows else None


def _card_row(row: dict) -> CardRow:  # type: ignore[type-arg]
    return CardRow(row["id"], row["bank_id"], row["item_id"], row["topic"],
                   _time(row["due"]) or datetime.now(UTC), row["lapses"], bool(row["leech"]))
