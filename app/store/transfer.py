"""Moving a learner between computers: one file out, merged in by stable ids, never twice.

The export file is itself a learner database with the current schema that holds one profile,
so an export made by an older version is upgraded by the same migrations as any database, and
one from a newer version is refused by the same check.

Which rows belong to a learner is discovered from the schema, not listed here: every table
with a `profile_id` column, and every table whose foreign key points at a table already taken
(an exam's answers, a card's review log). So the tables other features add later travel too.
A row is recognised on the other side by, in order: its `uid` column, its primary key when
that is not a bare row number, a unique index, or else all of its values. Foreign keys are
rewritten to the ids the rows get on the receiving side.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.store.sqlite import Database

from app.store.database import open_learner_db

GLOBAL_TABLES = frozenset({"profiles", "settings", "_migrations"})
MACHINE_SETTINGS = frozenset({"geometry", "last_profile"})  # belong to this computer's screen
EXPORT_FORMAT = "medcode-profile"
LABELS = {"attempts": "answers", "lesson_reads": "lessons read", "bank_choices": "bank choices"}


class TransferError(ValueError):
    """The file is not a profile export, or holds no learner."""


@dataclass
class TransferReport:
    profile_name: str
    added: dict[str, int] = field(default_factory=dict)
    already_there: dict[str, int] = field(default_factory=dict)
    new_profile: bool = False

    def summary(self) -> str:
        added = ", ".join(f"{n} {LABELS.get(t, t.replace('_', ' '))}"
                          for t, n in sorted(self.added.items()) if n) or "nothing new"
        same = sum(self.already_there.values())
        who = f"new learner “{self.profile_name}”" if self.new_profile else f"“{self.profile_name}”"
        return f"Imported into {who}: added {added}; {same} row(s) were already here."


@dataclass(frozen=True)
class _Table:
    name: str
    columns: list[str]
    rowid_key: str | None  # the INTEGER PRIMARY KEY column, renumbered on the receiving side
    identity: list[str]  # the columns that recognise the same row on both sides
    parents: dict[str, tuple[str, str]]  # column -> (parent table, parent column)


def _describe(db: Database, name: str) -> _Table:
    info = db.execute(f"PRAGMA table_info([{name}])").fetchall()
    columns = [row[1] for row in info]
    pk = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    rowid_key = pk[0] if len(pk) == 1 and info[columns.index(pk[0])][2].upper() == "INTEGER" else None
    parents = {row[3]: (row[2], row[4] or "id") for row in db.execute(f"PRAGMA foreign_key_list([{name}])")}
    if "profile_id" in columns:
        parents["profile_id"] = ("profiles", "id")
    unique = [
        [r[2] for r in db.execute(f"PRAGMA index_info([{index[1]}])")]
        for index in db.execute(f"PRAGMA index_list([{name}])") if index[2] and index[3] != "pk"
    ]
    if "uid" in columns:
        identity = ["uid"]
    elif pk and rowid_key is None:
        identity = pk
    elif unique:
        identity = unique[0]
    else:
        identity = [c for c in columns if c != rowid_key]
    return _Table(name, columns, rowid_key, identity, parents)


def _kept_by_triggers(db: Database) -> set[str]:
    """Tables a trigger fills from other tables' rows (e.g. per-item progress from attempts).

    Copying them as well would count every imported answer twice: the trigger already updates
    them as the answers arrive.
    """
    derived: set[str] = set()
    for owner, sql in db.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"):
        for name in re.findall(r"(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?)\s+\[?(\w+)\]?", sql or "", re.I):
            if name != owner:
                derived.add(name)
    return derived


def profile_tables(db: Database) -> list[_Table]:
    """The learner's tables in an order where parents come before the rows pointing at them."""
    skipped = GLOBAL_TABLES | _kept_by_triggers(db)
    tables = {t: _describe(db, t) for t in db.table_names() if t not in skipped and not t.startswith("sqlite_")}
    ordered: list[_Table] = []
    taken = {"profiles"}
    while True:
        ready = [t for t in tables.values() if t.name not in taken
                 and any(p in taken for p, _ in t.parents.values())
                 and all(p in taken or p not in tables for p, _ in t.parents.values() if p != t.name)]
        if not ready:
            return ordered
        for table in sorted(ready, key=lambda t: t.name):
            ordered.append(table)
            taken.add(table.name)


def copy_profile(source: Database, source_pid: int, target: Database, target_pid: int) -> TransferReport:
    """Merge one learner's rows from `source` into `target` (the caller holds the transaction)."""
    report = TransferReport("")
    # the ids each parent row has on the receiving side: table -> column -> old value -> new value
    mapped: dict[str, dict[str, dict[object, object]]] = {"profiles": {"id": {source_pid: target_pid}}}
    target_tables = {t.name: t for t in profile_tables(target)}
    for table in profile_tables(source):
        if table.name not in target_tables:
            raise TransferError(f"the file has a table this version does not know: {table.name}")
        added = same = 0
        for row in _rows_of(source, table, mapped):
            translated = {c: _translate(table, c, v, mapped) for c, v in row.items()}
            new_key, inserted = _merge_row(target, target_tables[table.name], translated)
            if table.rowid_key is not None:
                mapped.setdefault(table.name, {}).setdefault(table.rowid_key, {})[row[table.rowid_key]] = new_key
            for column in table.columns:  # children may point at any column, e.g. a uid
                mapped.setdefault(table.name, {}).setdefault(column, {}).setdefault(row[column], translated[column])
            added, same = added + inserted, same + (not inserted)
        report.added[table.name], report.already_there[table.name] = added, same
    return report


def _rows_of(source: Database, table: _Table, mapped: dict) -> list[dict]:  # type: ignore[type-arg]
    """The source rows whose every parent (already taken) belongs to the learner."""
    rows = source.execute(f"SELECT * FROM [{table.name}]")
    names = [d[0] for d in rows.description]
    found = []
    for values in rows.fetchall():
        row = dict(zip(names, values, strict=True))
        links = [(c, p, pc) for c, (p, pc) in table.parents.items() if p in mapped and row[c] is not None]
        if links and all(row[c] in mapped[p].get(pc, {}) for c, p, pc in links):
            found.append(row)
    return found


def _translate(table: _Table, column: str, value: object, mapped: dict) -> object:  # type: ignore[type-arg]
    parent = table.parents.get(column)
    if parent is None or value is None or parent[0] not in mapped:
        return value
    return mapped[parent[0]].get(parent[1], {}).get(value, value)


def _merge_row(target: Database, table: _Table, row: dict) -> tuple[object, bool]:  # type: ignore[type-arg]
    """Insert `row` unless the same row is there; (its key on the target, inserted?)."""
    where = " AND ".join(f"[{c}] IS ?" for c in table.identity)
    key = f"[{table.rowid_key}]" if table.rowid_key else "1"  # WITHOUT ROWID tables have no rowid
    found = target.execute(f"SELECT {key} FROM [{table.name}] WHERE {where}",
                           [row[c] for c in table.identity]).fetchone()
    if found is not None:
        return found[0], False
    columns = [c for c in table.columns if c != table.rowid_key and c in row]
    cursor = target.execute(
        f"INSERT INTO [{table.name}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [row[c] for c in columns],
    )
    return cursor.lastrowid, True


def _replay_reviews(db: Database, profile_id: int) -> None:
    """Rebuild the learner's review cards, logs and daily figures from all of their answers.

    Those rows are derived from the answers (issue 15's review path). When answers from two
    computers are merged, both sides have a card for the same item and a figure for the same
    day, and neither copy is right: replaying the merged answers, oldest first, is.
    """
    if "cards" not in db.table_names():
        return
    import json

    from app.core.learner import AttemptDraft
    from app.store.reviews import record_review

    db.execute("DELETE FROM review_logs WHERE card_id IN (SELECT id FROM cards WHERE profile_id = ?)", [profile_id])
    db.execute("DELETE FROM cards WHERE profile_id = ?", [profile_id])
    for derived in ("study_days", "study_weeks", "study_topics"):  # running totals over the answers
        if derived in db.table_names():
            db.execute(f"DELETE FROM [{derived}] WHERE profile_id = ?", [profile_id])
    rows = db.execute("SELECT id, bank_id, item_id, item_type, topic, score, max_score, correct, seconds,"
                      " answered_at, findings FROM attempts WHERE profile_id = ? ORDER BY answered_at, id",
                      [profile_id]).fetchall()
    for (attempt_id, bank_id, item_id, item_type, topic, score, max_score, correct, seconds, answered_at,
         findings) in rows:
        draft = AttemptDraft(item_id, bank_id, item_type, topic, None, score, max_score, bool(correct), seconds,
                             datetime.fromisoformat(answered_at),
                             tuple(tuple(f) for f in json.loads(findings or "[]")))
        record_review(db, profile_id, draft, attempt_id)


def _profile_row(db: Database, profile_id: int) -> dict:  # type: ignore[type-arg]
    rows = list(db.query("SELECT * FROM profiles WHERE id = ?", [profile_id]))
    if not rows:
        raise TransferError("that learner no longer exists")
    return rows[0]


def export_profile(db: Database, profile_id: int, target: Path, now: datetime) -> TransferReport:
    """Write one learner, everything of theirs, to `target` (a new file, replaced atomically)."""
    profile = _profile_row(db, profile_id)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    out = open_learner_db(partial)
    try:
        with out.atomic():
            out.execute("DELETE FROM settings")
            cursor = out.execute("INSERT INTO profiles (name, created_at, uid) VALUES (?, ?, ?)",
                                 [profile["name"], profile["created_at"], profile["uid"]])
            report = copy_profile(db, profile_id, out, int(cursor.lastrowid or 0))
            settings = [(k, v) for k, v in db.execute("SELECT key, value FROM settings") if k not in MACHINE_SETTINGS]
            settings += [("export.format", EXPORT_FORMAT), ("export.made_at", now.isoformat())]
            out.conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?)", settings)
        out.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
        out.close()
        os.replace(partial, target)
    except BaseException:
        out.close()
        partial.unlink(missing_ok=True)
        raise
    report.profile_name = profile["name"]
    return report


def read_export(path: Path, work: Path) -> Database:
    """Open a copy of an export file in `work`, upgraded to the current schema."""
    import shutil

    copy = work / "import.sqlite3"
    try:
        shutil.copyfile(path, copy)
        incoming = open_learner_db(copy)
    except sqlite3.DatabaseError as error:
        if "newer" in str(error):
            raise
        raise TransferError(f"{path.name} is not a MedCode Tutor profile export ({error})") from error
    kind = incoming.execute("SELECT value FROM settings WHERE key = 'export.format'").fetchone()
    count = incoming.execute("SELECT count(*) FROM profiles").fetchone()[0]
    if kind is None or kind[0] != EXPORT_FORMAT or count != 1:
        incoming.close()
        raise TransferError(f"{path.name} is not a MedCode Tutor profile export (it holds {count} learners)")
    return incoming


def import_profile(db: Database, path: Path, work: Path) -> TransferReport:
    """Merge the learner in the export file at `path` into `db`, in one transaction.

    The learner is matched by its stable id, else by name; otherwise it is created.
    Settings are added only where this computer has none (its own choices win).
    """
    incoming = read_export(path, work)
    try:
        profile = dict(next(iter(incoming.query("SELECT * FROM profiles"))))
        with db.atomic():
            found = db.execute("SELECT id FROM profiles WHERE uid = ?", [profile["uid"]]).fetchone() or \
                db.execute("SELECT id FROM profiles WHERE name = ? COLLATE NOCASE", [profile["name"]]).fetchone()
            new_profile = found is None
            if new_profile:
                cursor = db.execute("INSERT INTO profiles (name, created_at, uid) VALUES (?, ?, ?)",
                                    [profile["name"], profile["created_at"], profile["uid"]])
                target_pid = int(cursor.lastrowid or 0)
            else:
                target_pid = int(found[0])
            report = copy_profile(incoming, int(profile["id"]), db, target_pid)
            if not new_profile and report.added.get("attempts"):
                _replay_reviews(db, target_pid)
            for key, value in incoming.execute("SELECT key, value FROM settings WHERE key NOT LIKE 'export.%'"):
                db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", [key, value])
    finally:
        incoming.close()
    name = db.execute("SELECT name FROM profiles WHERE id = ?", [target_pid]).fetchone()[0]
    report.profile_name, report.new_profile = name, new_profile
    return report
