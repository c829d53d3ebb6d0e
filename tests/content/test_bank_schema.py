"""The JSON Schema (docs/question-bank.schema.json) agrees with the loader.

Editors check banks while typing with the schema, so it must accept every bank the app
accepts and refuse the schema-level mistakes the loader refuses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from app.content.bank import bank_files
from app.core.models import ItemType
from app.core.topics import TOPICS

jsonschema = pytest.importorskip("jsonschema")

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "docs" / "question-bank.schema.json"
BROKEN = Path(__file__).parent / "broken"

# Broken files whose mistake is a schema mistake (the others need codes, lessons or YAML rules).
SCHEMA_BROKEN = [
    "wrong-type.yaml", "missing-key.yaml", "unknown-field.yaml", "bad-id.yaml", "no-right-option.yaml",
    "two-right-options.yaml", "numeric-no-tolerance.yaml", "bad-code-set.yaml", "code-as-number.yaml",
    "code-and-any-of.yaml", "bad-topic.yaml", "bad-policy.yaml", "missing-manifest-field.yaml", "bad-difficulty.yaml",
    "matching-one-pair.yaml", "true-false-text.yaml", "bad-code-year.yaml", "unknown-top-level.yaml",
    "item-not-mapping.yaml", "no-items.yaml", "list-not-mapping.yaml", "empty-value.yaml",
]


def _validator():  # type: ignore[no-untyped-def]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _data(path: Path) -> object:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def test_the_format_document_references_the_schema() -> None:
    text = (REPO / "docs" / "question-bank-format.md").read_text(encoding="utf-8")
    assert "docs/question-bank.schema.json" in text


def test_schema_enums_match_the_code() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$defs"]["topic"]["enum"] == list(TOPICS)
    assert schema["$defs"]["common"]["properties"]["type"]["enum"] == [kind.value for kind in ItemType]


def test_project_banks_and_samples_are_valid() -> None:
    validator = _validator()
    banks = bank_files(REPO / "app" / "question_bank") if (REPO / "app" / "question_bank").is_dir() else []
    banks += [Path(__file__).parent / "samples" / "all-types.yaml", REPO / "tests" / "ui" / "fixtures" / "editor-bank.yaml"]
    for path in banks:
        errors = [f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_data(path))]
        assert errors == []


@pytest.mark.parametrize("name", SCHEMA_BROKEN)
def test_schema_refuses_the_schema_level_broken_files(name: str) -> None:
    assert list(_validator().iter_errors(_data(BROKEN / name))) != []


# --- the schema is never stricter than the loader ---------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from app.content.bank import bank_from_tree  # noqa: E402

SAMPLE = Path(__file__).parent / "samples" / "all-types.yaml"
_values = st.one_of(st.none(), st.booleans(), st.integers(-200, 3000), st.sampled_from(["", "x", "easy", "E11.9", "99214"]),
                    st.lists(st.sampled_from(["a", "b"]), max_size=2))


def _plain(node: object) -> object:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _leaves(node: object, prefix: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _leaves(value, prefix + (key,))] + [prefix]
    if isinstance(node, list):
        return [p for index, value in enumerate(node) for p in _leaves(value, prefix + (index,))] + [prefix]
    return [prefix]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_the_loader_accepts_the_schema_accepts(data: st.DataObject) -> None:
    tree = YAML(typ="rt").load(SAMPLE.read_text(encoding="utf-8"))
    path = data.draw(st.sampled_from([p for p in _leaves(tree) if p]))
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = data.draw(_values)
    bank, problems = bank_from_tree(tree, "mutated.yaml")
    if bank is not None and not problems and len(bank.items) == 9:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(_plain(tree))]
        assert errors == [], path
