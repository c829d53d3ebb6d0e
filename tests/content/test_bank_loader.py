"""Loading banks: every item type into the core models, with lines, and hostile YAML refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.bank import load_bank, load_banks
from app.core.codeset import CodeSystem
from app.core.models import (
    CodingCase, ItemType, Matching, MultipleResponse, Numeric, ScoringPolicy, ShortAnswer, SingleChoice, TrueFalse,
)

SAMPLE = Path(__file__).parent / "samples" / "all-types.yaml"

MANIFEST = """bank:
  id: tiny
  title: Tiny
  version: 1.0.0
  author: A
  licence: CC-BY-4.0
  code_year: 2026
items:
"""

ITEM = """  - id: tf-1
    type: true_false
    topic: guidelines
    stem: S
    answer: true
    rationale: R
"""


def _line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_sample_bank_loads_every_type_with_lines() -> None:
    bank, problems = load_bank(SAMPLE)
    assert problems == []
    assert bank is not None
    text = SAMPLE.read_text()
    assert bank.manifest.id == "all-types" and bank.manifest.policy is ScoringPolicy.PER_LINE
    assert {item.type for item in bank.items} == set(ItemType)
    for item in bank.items:
        assert item.meta.source.line == _line_of(text, f"- id: {item.meta.id}")
        assert item.meta.source.path == str(SAMPLE)
        assert item.meta.bank == "all-types"


def test_field_values_map_onto_the_models() -> None:
    bank, _ = load_bank(SAMPLE)
    assert bank is not None
    items = {item.meta.id: item for item in bank.items}
    single = items["sc-001"]
    assert isinstance(single, SingleChoice)
    assert [o.correct for o in single.options] == [False, True, False]
    assert single.meta.difficulty == 1 and single.meta.tags == ("structure", "codes")
    weighted = items["mr-001"]
    assert isinstance(weighted, MultipleResponse) and not weighted.shuffle
    assert [o.weight for o in weighted.options] == [0.5, 0.5, -0.5]
    assert [o.correct for o in weighted.options] == [True, True, False]
    assert isinstance(items["tf-001"], TrueFalse) and items["tf-001"].answer is True
    numeric = items["num-002"]
    assert isinstance(numeric, Numeric)
    assert [(a.value, a.tolerance, a.weight) for a in numeric.answers] == [(380.0, 0.0, 1.0), (620.0, 0.0, 0.0)]
    assert isinstance(items["match-001"], Matching) and items["match-001"].distractors == ("stone",)
    short = items["short-001"]
    assert isinstance(short, ShortAnswer) and [a.weight for a in short.answers] == [1.0, 0.5]
    case = items["case-001"]
    assert isinstance(case, CodingCase)
    assert case.meta.author == "Pat Instructor" and case.meta.source_note == "chapter 4 exercise"
    assert items["sc-001"].meta.author == "MedCode Tutor authors" and items["sc-001"].meta.source_note == "original"
    assert case.key.policy is ScoringPolicy.PER_LINE_DEDUCT
    diagnoses, procedures = case.key.sections
    assert diagnoses.code_set is CodeSystem.ICD10CM and procedures.code_set is CodeSystem.CPT
    assert [line.codes for line in diagnoses.lines] == [("E11.22",), ("N18.31",), ("Z79.4", "Z79.84")]
    assert diagnoses.lines[0].first and diagnoses.lines[2].optional
    assert diagnoses.lines[1].source.line == _line_of(SAMPLE.read_text(), "- code: N18.31")
    assert diagnoses.forbidden[0].code == "R73.9"
    assert procedures.lines[0].modifiers == ("25",) and procedures.lines[0].units == 1


def _write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_broken_item_is_skipped_and_the_rest_loads(tmp_path: Path) -> None:
    bad = ITEM.replace("tf-1", "tf-2").replace("answer: true", "answer: maybe")
    path = _write(tmp_path, MANIFEST + ITEM + bad)
    bank, problems = load_bank(path)
    assert bank is not None and [item.meta.id for item in bank.items] == ["tf-1"]
    assert [str(p) for p in problems] == [f"{path}:19: tf-2.answer: must be true or false"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x [1]\nb: *x\n", "1: yaml: anchors and aliases (& and *) are not allowed in a bank"),
        ("bank: !!python/object/apply:os.system [ls]\n", "1: yaml: YAML tags such as 'tag:yaml.org,2002:python/object/apply:os.system' are not allowed in a bank"),
        ("bank: {id: x\n", "2: yaml: syntax error: while parsing a flow mapping (started on line 1); expected ',' or '}', but got '<stream end>'"),
        ("- 1\n- 2\n", "1: bank: a bank file must be a mapping with `bank:` and `items:`, not a list"),
        ("a: 1\n---\nb: 2\n", "2: yaml: more than one YAML document; a bank is one document"),
        ("bank:\n  date: 2001-02-30\n", " yaml: a value cannot be read: day is out of range for month"),
    ],
)
def test_hostile_or_odd_yaml_is_refused_with_a_line(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    bank, problems = load_bank(path)
    assert bank is None
    assert [str(p) for p in problems][0] == f"{path}:{expected}"


def test_big_binary_and_empty_files_are_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * (6 * 1024 * 1024 // 10))
    assert [p.message for p in load_bank(big)[1]] == ["file is 6.0 MB; a bank may be at most 5 MB"]
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"bank:\n  id: x\x00\xff")
    assert [str(p) for p in load_bank(junk)[1]] == [f"{junk}:2: file: binary data (NUL byte); a bank must be UTF-8 text"]
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"bank:\n  title: caf\xe9\n")
    assert [str(p) for p in load_bank(latin)[1]] == [f"{latin}:2: file: not UTF-8 text (bad byte at offset 18)"]
    empty = _write(tmp_path, "\n\n", "empty.yaml")
    assert [p.message for p in load_bank(empty)[1]] == ["file is empty; a bank needs `bank:` and `items:`"]


def test_load_banks_reads_files_and_package_folders_and_skips_repeated_ids(tmp_path: Path) -> None:
    _write(tmp_path, MANIFEST + ITEM, "a.yaml")
    _write(tmp_path, MANIFEST + ITEM, "b.yaml")
    package = tmp_path / "other"
    package.mkdir()
    _write(package, MANIFEST.replace("id: tiny", "id: other") + ITEM, "bank.yaml")
    (tmp_path / "notes.txt").write_text("not a bank")
    banks, problems = load_banks(tmp_path)
    assert [bank.manifest.id for bank in banks] == ["tiny", "other"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'b.yaml'}:2: bank.id: bank id 'tiny' is already used by {tmp_path / 'a.yaml'}; skipped"
    ]


# --- never a traceback: any mutation of a good bank gives problems, not exceptions ---------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from ruamel.yaml import YAML  # noqa: E402

from app.content.bank import bank_from_tree  # noqa: E402
from app.content.checker import check_bank_file  # noqa: E402

_values = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                    st.text(max_size=8), st.lists(st.text(max_size=3), max_size=2),
                    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, prefix + (index,))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_mutation_of_a_good_bank_is_reported_not_raised(data: st.DataObject) -> None:
    tree = YAML(typ="rt").load(SAMPLE.read_text(encoding="utf-8"))
    paths = [p for p in _paths(tree) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        parent = tree
        try:
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = data.draw(_values)
        except (KeyError, IndexError, TypeError):
            continue
    bank, problems = bank_from_tree(tree, "mutated.yaml")
    assert bank is not None or problems
    assert all(p.path == "mutated.yaml" and p.field and p.message for p in problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_are_reported_not_raised(raw: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "bank.yaml"
    path.write_bytes(raw)
    problems = check_bank_file(path, None, set())
    assert all(isinstance(p.message, str) for p in problems)


MODIFIER_BANK = """\
bank: {id: mods, title: Mods, version: "1", author: A, licence: CC-BY-4.0, code_year: 2026}
items:
  - id: inj
    type: coding_case
    topic: surgery-20000
    stem: Code it.
    note: SYNTHETIC.
    rationale: R.
    key:
      sections:
        - code_set: cpt
          lines:
            - code: "20610"
              modifiers: [RT, ["59", XS], "XE|XU"]
"""


def test_modifier_alternatives_load_from_a_nested_list_or_a_bar(tmp_path: Path) -> None:
    bank, problems = load_bank(_write(tmp_path, MODIFIER_BANK))
    assert problems == [] and bank is not None
    assert bank.items[0].key.sections[0].lines[0].modifiers == ("RT", "59|XS", "XE|XU")
    bad, problems = load_bank(_write(tmp_path, MODIFIER_BANK.replace('["59", XS]', '["59", XSS]'), "bad.yaml"))
    assert bad is not None and bad.items == ()
    assert [p.field for p in problems] == ["inj.key.sections[0].lines[0].modifiers[1]"]
    assert "alternatives as [\"59\", XS]" in problems[0].message
