"""The glossary file: the shipped one loads whole; a broken one names file, line and field."""

from __future__ import annotations

from pathlib import Path

from app.content.glossary import load_glossary
from app.core.glossary import PartKind


def test_the_shipped_glossary_loads_without_problems() -> None:
    entries, problems = load_glossary()
    assert problems == []
    kinds = {kind: sum(e.kind is kind for e in entries) for kind in PartKind}
    assert len(entries) >= 300 and min(kinds.values()) >= 40, kinds
    parts = {e.term for e in entries if e.is_part}
    assert all(set(e.parts) <= parts for e in entries if e.kind is PartKind.TERM)
    hepatitis = next(e for e in entries if e.term == "hepatitis")
    assert hepatitis.parts == ("hepat/o", "-itis") and hepatitis.system == "digestive"
    assert hepatitis.source.line > 0 and hepatitis.source.path.endswith("glossary.yaml")


def test_a_broken_glossary_names_file_line_and_field_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(
        "glossary:\n"
        "  - {term: cardi/o, kind: root, meaning: heart, system: cardiovascular}\n"
        "  - {term: -itis, kind: suffix, meaning: inflammation}\n"
        "  - {term: brady, kind: prefix, meaning: slow}\n"
        "  - {term: hepat/o, kind: rot, meaning: liver}\n"
        "  - {term: carditis, kind: term, meaning: inflammation of the heart, parts: [cardi/o, -itis]}\n"
        "  - {term: nephritis, kind: term, meaning: inflammation of the kidney, parts: [nephr/o, -itis]}\n"
        "  - {term: -itis, kind: suffix, meaning: swelling}\n"
        "  - {term: gastr/o, kind: root}\n"
        "  - {term: ot/o, kind: root, meaning: ear, system: ears}\n",
        encoding="utf-8")
    entries, problems = load_glossary(path)
    assert [e.term for e in entries] == ["cardi/o", "-itis", "carditis"]
    messages = [str(p) for p in problems]
    expected = [
        f"{path}:4: glossary[brady].term: a prefix ends with a hyphen",
        f"{path}:5: glossary[hepat/o].kind: 'rot' is not one of prefix, root, suffix, term",
        f"{path}:7: glossary[nephritis].parts: nephr/o is not a word part",
        f"{path}:8: glossary[-itis].term: suffix '-itis' is already defined on line 3",
        f"{path}:9: glossary[7].meaning: missing or empty",
        f"{path}:10: glossary[ot/o].system: 'ears' is not a known body system",
    ]
    for start in expected:
        assert any(message.startswith(start) for message in messages), (start, messages)


def test_a_file_that_is_not_a_glossary_is_one_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text("terms: [a, b]\n", encoding="utf-8")
    entries, problems = load_glossary(path)
    assert entries == [] and [p.field for p in problems] == ["glossary"]
    path.write_text("glossary: [\n", encoding="utf-8")
    assert load_glossary(path)[1][0].field == "yaml"
