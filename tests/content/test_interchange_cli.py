"""`medcode bank import` / `medcode bank export` on the real Moodle files, run through the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.content.bank import load_bank
from app.content.gift import parse_gift
from app.content.moodle_xml import parse_moodle_xml

from conftest import SHARED  # the shared folder, found the same way by every test
MOODLE = SHARED / "fixtures" / "moodle"
SAMPLE = Path(__file__).parent / "samples" / "all-types.yaml"


@pytest.mark.parametrize(("name", "status", "count"), [
    ("gift-examples.txt", 0, 43),
    ("gift-questions.txt", 1, 8),  # the essay is reported, the rest is written
    ("gift-questions-in-category.txt", 0, 4),
    ("moodle-xml-nested-categories.xml", 1, 4),  # the essay is reported
])
def test_import_writes_a_bank_that_loads(name: str, status: int, count: int, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "import", str(MOODLE / name), "--out", str(tmp_path)]) == status
    bank_id = name.rsplit(".", 1)[0]
    bank, problems = load_bank(tmp_path / f"{bank_id}.yaml")
    assert problems == [] and bank is not None
    assert len(bank.items) == count
    assert (bank.manifest.id, bank.manifest.version, bank.manifest.author, bank.manifest.licence,
            bank.manifest.code_year) == (bank_id, "1.0.0", "imported", "unknown", 2026)
    assert all(item.meta.source_note == f"imported from {MOODLE / name}" for item in bank.items)
    out = capsys.readouterr().out
    assert f"imported {count} question(s)" in out
    if status:
        assert "essay questions are not supported" in out


def test_import_summary_counts_types_and_names_the_essay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = MOODLE / "gift-questions.txt"
    assert main(["bank", "import", str(source), "--out", str(tmp_path), "--topic", "terminology",
                 "--bank-id", "moodle-demo", "--code-year", "2025"]) == 1
    out = capsys.readouterr().out
    assert ("1 matching, 1 multiple_response, 1 numeric, 1 short_answer, 1 single_choice, 3 true_false") in out
    assert f"{source}:2: type: 'Q8': essay questions are not supported; not imported" in out
    bank, _ = load_bank(tmp_path / "moodle-demo.yaml")
    assert bank is not None and bank.manifest.code_year == 2025
    assert {item.meta.topic for item in bank.items} == {"terminology"}


def test_import_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = str(MOODLE / "gift-questions-in-category.txt")
    target = tmp_path / "gift-questions-in-category.yaml"
    target.write_text("keep me", encoding="utf-8")
    assert main(["bank", "import", source, "--out", str(tmp_path)]) == 1
    assert "file exists; use --force" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == "keep me"
    assert main(["bank", "import", source, "--out", str(tmp_path), "--force"]) == 0
    assert load_bank(target)[0] is not None


def test_nothing_importable_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "import", str(MOODLE / "moodle-xml-invalid-grades.xml"), "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "add up to 99.667 %, not 100 %" in out and "nothing was written" in out
    assert list(tmp_path.iterdir()) == []


def test_format_detected_from_content(tmp_path: Path) -> None:
    copy = tmp_path / "questions.dat"
    copy.write_bytes((MOODLE / "moodle-xml-nested-categories.xml").read_bytes())
    assert main(["bank", "import", str(copy), "--out", str(tmp_path / "out")]) == 1
    bank, _ = load_bank(tmp_path / "out" / "questions.yaml")
    assert bank is not None and len(bank.items) == 4


@pytest.mark.parametrize(("data", "message"), [
    (b"\x00\x01binary", "binary data (NUL byte)"),
    (b"Question {=caf\xe9}", "not UTF-8 text (bad byte at offset 14)"),
])
def test_unreadable_files_are_refused(data: bytes, message: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "bad.gift"
    source.write_bytes(data)
    assert main(["bank", "import", str(source), "--out", str(tmp_path / "out")]) == 1
    assert message in capsys.readouterr().out
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("fmt", "parse"), [("gift", parse_gift), ("moodle-xml", parse_moodle_xml)])
def test_export_skips_coding_cases_and_reimports(fmt: str, parse, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"bank.{fmt}"
    assert main(["bank", "export", str(SAMPLE), "--format", fmt, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    bank, _ = load_bank(SAMPLE)
    assert bank is not None
    cases = [item for item in bank.items if item.type.value == "coding_case"]
    assert f"{cases[0].meta.id}: warning: coding cases have no Moodle equivalent; skipped" in printed
    again = parse(out.read_text(encoding="utf-8"), str(out))
    assert again.errors == []
    originals = [item for item in bank.items if item.type.value != "coding_case"]
    assert [(i.type, i.stem, i.meta.rationale, i.meta.topic) for i in again.items] == [
        (i.type, i.stem, i.meta.rationale, i.meta.topic) for i in originals]
    assert main(["bank", "export", str(SAMPLE), "--format", fmt, "--out", str(out)]) == 1  # exists now


def test_export_gift_round_trip_through_the_cli(tmp_path: Path) -> None:
    """GIFT file -> bank (import) -> GIFT file (export) -> the same questions."""
    source = MOODLE / "gift-examples.txt"
    assert main(["bank", "import", str(source), "--out", str(tmp_path)]) == 0
    out = tmp_path / "again.gift"
    assert main(["bank", "export", str(tmp_path / "gift-examples.yaml"), "--format", "gift", "--out", str(out)]) == 0
    first = parse_gift(source.read_text(encoding="utf-8"), "a")
    second = parse_gift(out.read_text(encoding="utf-8"), "b")
    assert [(i.type, i.stem, getattr(i, "options", None), getattr(i, "answers", None)) for i in second.items] == [
        (i.type, i.stem, getattr(i, "options", None), getattr(i, "answers", None)) for i in first.items]


def test_a_broken_bank_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("bank: [unclosed\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "app", "bank", "export", str(broken), "--format", "gift",
                          "--out", str(tmp_path / "x.gift")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert "broken.yaml" in run.stdout and "nothing was written" in run.stderr
    assert not (tmp_path / "x.gift").exists()
