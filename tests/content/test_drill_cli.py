"""`medcode drill`: the same seed prints the same items; --json; --bank writes a bank that `bank check` accepts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main


def test_text_output_lists_items_with_their_keys(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drill", "seventh-character", "--seed", "4", "--count", "3", "--range", "S52"]) == 0
    first = capsys.readouterr().out
    assert first.count("<- key") == 3 and first.count("[drill:seventh-character:S52.") == 3
    assert "Source: S52." in first
    assert main(["drill", "seventh-character", "--seed", "4", "--count", "3", "--range", "S52"]) == 0
    assert capsys.readouterr().out == first  # replayable


def test_json_output(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drill", "mixed", "--seed", "9", "--count", "12", "--range", "E11", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) == 12 and len({i["id"] for i in items}) == 12
    for item in items:
        assert [o["text"] for o in item["options"] if o["correct"]] == [item["key"]] and item["source"]


def test_bank_output_passes_bank_check(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "drills.yaml"
    assert main(["drill", "mixed", "--seed", "2", "--count", "40", "--bank", str(out)]) == 0
    assert "Wrote 40 items" in capsys.readouterr().err
    assert main(["bank", "check", str(out)]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().err


def test_bad_requests_are_messages_not_tracebacks(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drill", "modifier", "--range", "E08-E13"]) == 2
    assert "nothing to draw modifier drills from in E08-E13" in capsys.readouterr().err
    assert main(["drill", "where", "--range", "E13-E08"]) == 2
    assert "runs backwards" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["drill", "where", "--count", "0"])
    assert "between 1 and 1000" in capsys.readouterr().err
