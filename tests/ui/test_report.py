"""`medcode report` writes a PDF of at least two pages with the learner's name and area table, and a CSV."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core.learner import AttemptDraft
from app.store.database import open_learner_db
from app.store.learners import LearnerStore

from pdf_text import pdf_pages_and_text  # tests/ui is on sys.path (no package)


def _learner(folder: Path) -> None:
    store = LearnerStore(open_learner_db(folder / "learner.sqlite3"))
    ana = store.create_profile("Ana Lopez")
    start = datetime.now(UTC) - timedelta(days=20)
    for n in range(40):
        topic = ("radiology", "anatomy", "icd10cm")[n % 3]
        right = n % 4 != 0
        store.record_attempt(ana.id, AttemptDraft(
            f"q{n % 25}", "demo", "single_choice", topic, 1, float(right), 1.0, right, 12.0 + n,
            start + timedelta(days=n // 2, minutes=n), (("correct" if right else "incorrect", "1", ""),)))
    store.db.close()


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "--data-dir", str(folder), "report", *args],
                          capture_output=True, text=True, check=False, timeout=120)


def test_medcode_report_writes_the_pdf_and_the_csv(tmp_path: Path) -> None:
    _learner(tmp_path)
    pdf, table = tmp_path / "out" / "ana.pdf", tmp_path / "ana.csv"
    pdf.parent.mkdir()
    run = _run(tmp_path, "--profile", "ana lopez", "--pdf", str(pdf), "--csv", str(table))
    assert run.returncode == 0, run.stderr
    pages, text = pdf_pages_and_text(pdf)
    words = "".join(text.split())
    assert pages >= 2
    assert "Progressreport:AnaLopez" in words
    assert "Per-areatable(CPCblueprint)" in words
    assert "Radiology" in words and "Anatomyandphysiology" in words and "Ability(EAP,logits)" in words
    assert "40answerson" in words
    assert not list(pdf.parent.glob("*.part"))
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) == 40 and rows[0]["item"] == "q0" and rows[0]["verdicts"] == "incorrect"


def test_medcode_report_names_a_missing_profile_and_writes_nothing(tmp_path: Path) -> None:
    _learner(tmp_path)
    run = _run(tmp_path, "--profile", "Nobody", "--pdf", str(tmp_path / "x.pdf"))
    assert run.returncode == 2 and "no profile called 'Nobody'" in run.stderr and "Ana Lopez" in run.stderr
    assert not (tmp_path / "x.pdf").exists()
    assert _run(tmp_path, "--profile", "Ana Lopez").returncode == 2  # neither --pdf nor --csv
