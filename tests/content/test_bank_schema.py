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
    "item-not-mapping.yaml", "no-items.yaml", "list-not-mapping.yaml",
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
    banks = bank_files(REPO / "question_bank") if (REPO / "question_bank").is_dir() else []
    banks += [Path(__file__).parent / "samples" / "all-types.yaml", REPO / "tests" / "ui" / "fixtures" / "editor-bank.yaml"]
    for path in banks:
        errors = [f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_data(path))]
        assert errors == []


@pytest.mark.parametrize("name", SCHEMA_BROKEN)
def test_schema_refuses_the_schema_level_broken_files(name: str) -> None:
    assert list(_validator().iter_errors(_data(BROKEN / name))) != []
