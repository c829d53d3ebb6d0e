"""10,000 drills across every kind, each key checked against the code database independently.

The checks read the code-set SQLite file with their own SQL (rows, notes, 7th-character
tables, PCS character meanings, modifier lists) and their own reference matching, never the
generator's look-ups, so a generator bug cannot agree with itself.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from app.content.glossary import load_glossary
from app.core.codeset import CodeNote, NoteKind
from app.core.drills import KINDS, generate, rebuild
from app.core.note_rules import applicable, note_covers

GLOSSARY = tuple(load_glossary()[0])
TOTAL = 10_000
SEEDS = 8


def flat(code: str) -> str:
    return code.replace(".", "").replace(" ", "").upper()


def covers(ref: str, code: str) -> bool:
    """The test's own reading of a tabular reference: "S52.-", "E10-E13", "R13.11-R13.19", "A18.32"."""
    ref, target = ref.strip().upper(), flat(code)
    if "-" in ref.rstrip("-") and not ref.endswith(".-"):
        low, high = (flat(part.rstrip("-").rstrip(".")) for part in ref.rstrip("-").split("-", 1))
        return low <= target[: len(low)] and target[: len(high)] <= high
    return target.startswith(flat(ref.rstrip("-").rstrip(".")))


class Data:
    """Straight SQL over the code-set database."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.db.row_factory = sqlite3.Row
        self.title_counts = dict(self.db.execute(
            "SELECT lower(title), count(*) FROM codes WHERE system = 'icd10cm' AND kind != 'modifier' GROUP BY 1"))
        self.sections = [(r["kind"], r["code"], r["title"]) for r in self.db.execute(
            "SELECT kind, code, title FROM codes WHERE system = 'icd10cm' AND kind IN ('chapter', 'block')")]

    def row(self, system: str, code: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM codes WHERE system = ? AND flat = ? AND kind != 'modifier'",
                               (system, flat(code))).fetchone()

    def owners(self, code: str) -> list[str]:
        """The code, its ancestors (every shorter prefix that is a code), and the blocks and chapter holding it."""
        found = [r[0] for r in self.db.execute(
            "SELECT code FROM codes WHERE system = 'icd10cm' AND kind IN ('category', 'subcategory', 'code')"
            f" AND flat IN ({','.join('?' * 7)})", [flat(code)[:n] for n in range(1, 8)])]
        category = flat(code)[:3]
        for kind, key, title in self.sections:
            low, high = re.search(r"\(([A-Z0-9]{3})(?:-([A-Z0-9]{3}))?\)\s*$", title).groups()
            high = high or low
            if low <= category <= high:
                found.append(key)
        return found

    def notes(self, code: str, kind: str) -> list[CodeNote]:
        owners = self.owners(code)
        return [CodeNote(NoteKind(kind), r[1], tuple(json.loads(r[2])), r[0]) for r in self.db.execute(
            f"SELECT code, text, refs FROM notes WHERE system = 'icd10cm' AND code IN ({','.join('?' * len(owners))})"
            " AND kind = ?", [*owners, kind])]

    def cited(self, code: str, other: str, kinds: tuple[str, ...]) -> set[str]:
        """Kinds of note in scope for `code` that name `other`: the test's own reference reading, plus
        the tabular list's conditions (a heading "for adverse effects", "with sixth character 1-4")
        as app.core.note_rules states them for the scorer."""
        found = set()
        for kind in kinds:
            for note in applicable(self.notes(code, kind), code):
                if any(covers(ref, other) for ref in note.refs) and note_covers(note, other):
                    found.add(kind)
        return found


def _key(item) -> str:  # type: ignore[no-untyped-def]
    return next(o.text for o in item.options if o.correct)


def _wrong(item) -> list[str]:  # type: ignore[no-untyped-def]
    return [o.text for o in item.options if not o.correct]


def _bold(stem: str) -> list[str]:
    return re.findall(r"\*\*([^*]+)\*\*", stem)


def _quoted(stem: str) -> str:
    return stem.split("\n> ", 1)[1].strip()


def check_find_billable(data: Data, item) -> None:  # type: ignore[no-untyped-def]
    key, title = _key(item), _quoted(item.stem)
    row = data.row("icd10cm", key)
    assert row is not None and row["billable"] == 1 and row["title"] == title
    assert data.title_counts[title.lower()] == 1
    assert flat(key) not in flat(item.stem)
    for code in _wrong(item):
        other = data.row("icd10cm", code)
        assert other is not None and (other["billable"] == 0 or other["title"].lower() != title.lower())


def check_seventh(data: Data, item) -> None:  # type: ignore[no-untyped-def]
    key = _key(item)
    base_code, meaning = _bold(item.stem)[:2]
    base, row = data.row("icd10cm", base_code), data.row("icd10cm", key)
    assert row is not None and row["billable"] == 1 and base is not None and base["requires_seventh"] == 1
    table = dict(data.db.execute("SELECT char, meaning FROM seventh WHERE owner = ?", (base["seventh_owner"],)).fetchall())
    assert table[flat(key)[-1]] == meaning  # the 7th character is the table's own for that encounter
    assert flat(key) == flat(base_code).ljust(6, "X") + flat(key)[-1]  # placeholder X where the code is short
    for code in _wrong(item):
        same = flat(code)[:-1] == flat(key)[:-1] and table.get(flat(code)[-1]) == meaning
        assert flat(code) != flat(key) and not same


def check_billable(data: Data, item) -> None:  # type: ignore[no-untyped-def]
    code = _bold(item.stem)[0]
    row = data.row("icd10cm", code)
    children = data.db.execute("SELECT count(*) FROM codes WHERE system = 'icd10cm' AND parent = ?", (row["code"],)).fetchone()[0]
    if row["billable"]:
        expected = "Billable"
    elif row["requires_seventh"]:
        expected = "placeholder X" if len(flat(code)) < 6 else "needs a 7th"
    else:
        assert children > 0
        expected = "header"
    assert expected in _key(item) and not any(expected in text for text in _wrong(item))


def _plain(title: str) -> str:
    return re.sub(r"\s*\([A-Z0-9]{3}(?:-[A-Z0-9]{3})?\)\s*$", "", re.sub(r"^[0-9A-Z-]+:\s*", "", title))


def check_where(data: Data, item) -> None:  # type: ignore[no-untyped-def]
    code = _bold(item.stem)[0]
    level = item.meta.id.rsplit(":", 1)[1]
    row = data.row("icd10cm", code)
    assert _key(item) == _plain(row[level])
    owners = data.owners(code)
    holders = {_plain(title) for kind, key, title in data.sections if key in owners}
    assert not holders & set(_wrong(item))  # no distractor is a chapter or block that also holds the code


def check_excludes(data: Data, item) -> None:  # type: ignore[no-untyped-def]
    first, second = _bold(item.stem)[:2]
    kinds = data.cited(first, second, ("excludes1", "excludes2")) | data.cited(second, first, ("excludes1", "excludes2"))
    expected = "Excludes1" if "excludes1" in kinds else "Excludes2" if "excludes2" in kinds else "no Excludes"
    assert len(kinds) <= 1 and expected in _key(item)
    assert data.row("icd10cm", first)["billable"] == data.row("icd10cm", second)["billable"] == 1


def check_code_first(data: Data, item) -> None:  # type: ignore[no-untyped-def]
    first = _bold(item.stem)[0]
    second = _key(item).split()[0]
    kinds = data.cited(first, second, ("code_first", "use_additional", "code_also"))
    assert kinds == ({"code_first"} if "Code first" in item.stem else {"use_additional"})
    for text in _wrong(item):
        code = text.split()[0]
        assert data.row("icd10cm", code)["billable"] == 1
        assert not data.cited(first, code, ("code_first", "use_additional", "code_also"))


def check_pcs_character(data: Data, item) -> None:  # type: ignore[no-untyped-def]
    context, position, value = item.meta.id.split(":")[2:5]
    meanings = dict(data.db.execute("SELECT value, meaning FROM pcs_value WHERE context = ? AND position = ?",
                                    (context, int(position))).fetchall())
    assert meanings[value] == _key(item)
    assert list(meanings.values()).count(_key(item)) == 1
    assert all(text in meanings.values() and text != _key(item) for text in _wrong(item))


def check_pcs_build(data: Data, item) -> None:  # type: ignore[no-untyped-def]
    key, title = _key(item), _quoted(item.stem)
    assert data.row("icd10pcs", key)["title"] == title and key not in item.stem
    for code in _wrong(item):
        other = data.row("icd10pcs", code)
        assert other is not None and code[:3] == key[:3] and other["title"] != title


def check_modifier(data: Data, item) -> None:  # type: ignore[no-untyped-def]
    source, variant = item.meta.id.split(":")[2:4]
    system, code = source.split("-", 1)
    rows = {r["code"].lstrip("-"): r for r in data.db.execute(
        "SELECT code, title, extra FROM codes WHERE system = ? AND kind = 'modifier'", (system,))}
    if variant == "meaning":
        assert _key(item) == rows[code]["title"] and code in item.stem
        assert all(text != rows[code]["title"] and text in {r["title"] for r in rows.values()} for text in _wrong(item))
    else:
        long = json.loads(rows[code]["extra"]).get("long") or rows[code]["title"]
        assert _key(item) == f"-{code}" and _quoted(item.stem) == long
        for text in _wrong(item):
            other = rows[text.lstrip("-")]
            assert (json.loads(other["extra"]).get("long") or other["title"]) != long


def check_terminology(data: Data, item) -> None:  # type: ignore[no-untyped-def]
    entries = {(e.term, e.kind.value): e for e in GLOSSARY}
    if item.meta.tags[1] == "word-part":
        part = _bold(item.stem)[0]
        entry = next(e for (term, _), e in entries.items() if term == part)
        assert _key(item) == entry.meaning and entry.meaning not in _wrong(item)
    else:
        entry = entries[(_key(item), "term")]
        assert f"“{entry.meaning}”" in item.stem
        assert all(entries[(t, "term")].meaning != entry.meaning for t in _wrong(item))


CHECKS = {"find-billable": check_find_billable, "seventh-character": check_seventh, "billable": check_billable,
          "where": check_where, "excludes": check_excludes, "code-first": check_code_first,
          "pcs-character": check_pcs_character, "pcs-build": check_pcs_build, "modifier": check_modifier,
          "word-part": check_terminology, "term-build": check_terminology}


@pytest.mark.slow
def test_ten_thousand_drills_checked_against_the_code_database(codeset, codes_db_path: Path) -> None:
    assert set(CHECKS) == set(KINDS)
    data = Data(codes_db_path)
    per_call = TOTAL // (len(KINDS) * SEEDS) + 1
    made: Counter[str] = Counter()
    for kind in sorted(KINDS):
        for seed in range(SEEDS):
            for item in generate(codeset, kind, 1000 + seed, per_call, glossary=GLOSSARY):
                assert len({o.text.casefold() for o in item.options}) == len(item.options)
                assert sum(o.correct for o in item.options) == 1
                CHECKS[kind](data, item)
                made[kind] += 1
                if made[kind] % 25 == 0:
                    assert rebuild(item.meta.id, codeset, GLOSSARY) == item
    assert sum(made.values()) >= TOTAL and min(made.values()) >= per_call * SEEDS * 0.9, made
