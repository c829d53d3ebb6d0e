"""The code-set engine against the real data from the registry packages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.codesets.build import build_database, database_is_current, ensure_database
from app.codesets.database import SqliteCodeSet
from app.codesets.user_codes import import_cpt_file, import_hcpcs_file, parse_hcpcs_file
from app.core.codeset import CodeSystem, NoteKind

FIXTURES = Path(__file__).parent / "fixtures"


def test_icd10cm_counts_match_the_package_data(codeset) -> None:
    import simple_icd_10_cm as cm  # only here, to cross-check: the app never imports it

    entries = cm.get_all_codes(with_dots=False)  # chapters, blocks and codes
    assert codeset.count(CodeSystem.ICD10CM) == len(entries) == 98_505
    # The package also calls a dozen nested blocks ("C00-C75") leaves; codes have no dash.
    leaves = {c for c in entries if "-" not in c and cm.is_leaf(c)}
    assert codeset.count(CodeSystem.ICD10CM, billable_only=True) == len(leaves) == 74_719


def test_seventh_character_codes_and_their_tables(codeset) -> None:
    info = codeset.lookup("S52.521A")
    assert info.billable and info.requires_seventh and not info.requires_placeholder
    # The CDC file gives the torus-fracture subcategory S52.52 its own, shorter table.
    assert info.extra["seventh_owner"] == "S52.52"
    assert [s.char for s in info.seventh_characters] == ["A", "D", "G", "K", "P", "S"]
    colles = codeset.lookup("s52531a")  # Colles' fracture: the full table inherited from S52
    assert colles.extra["seventh_owner"] == "S52"
    assert len(colles.seventh_characters) == 16 and colles.seventh_characters[2].char == "C"
    assert "open fracture type IIIA" in colles.seventh_characters[2].meaning
    assert not codeset.lookup("S52.5").billable
    assert codeset.lookup("S52.521").requires_seventh and not codeset.lookup("S52.521").billable
    dog = codeset.lookup("W540XXA")
    assert dog.code == "W54.0XXA" and dog.requires_placeholder and dog.title == "Bitten by dog, initial encounter"
    e119 = codeset.lookup("e11.9")
    assert e119.billable and e119.seventh_characters == () and not e119.requires_seventh
    assert codeset.lookup("S06.337S") is None  # the S06 note: D and S do not apply with 6th character 7


def test_hierarchy_and_notes(codeset) -> None:
    info = codeset.lookup("E11.22")
    assert info.parent == "E11.2" and codeset.ancestors("E11.22", CodeSystem.ICD10CM) == ("E11.2", "E11")
    assert info.chapter.startswith("4: Endocrine") and info.block.startswith("E08-E13") and info.category == "E11"
    assert "E11.21" in codeset.lookup("E11.2").children
    excludes1 = codeset.notes_in_scope("E11.22", CodeSystem.ICD10CM, NoteKind.EXCLUDES1)
    type1 = next(n for n in excludes1 if n.text.startswith("type 1 diabetes mellitus"))
    assert type1.owner == "E11" and type1.refs == ("E10.-",)
    use_additional = codeset.notes_in_scope("E11.22", CodeSystem.ICD10CM, NoteKind.USE_ADDITIONAL)
    assert any("N18" in ref for note in use_additional for ref in note.refs)
    assert codeset.lookup("E11").notes_of(NoteKind.INCLUDES)


def test_icd10pcs_axes_and_table_steps(codeset) -> None:
    info = codeset.lookup("0dtj4zz")
    assert info.system is CodeSystem.ICD10PCS and info.title == "Resection of Appendix, Percutaneous Endoscopic Approach"
    assert [(a.name, a.value, a.meaning.split(":")[0]) for a in info.axes] == [
        ("Section", "0", "Medical and Surgical"), ("Body System", "D", "Gastrointestinal System"),
        ("Root Operation", "T", "Resection"), ("Body Part", "J", "Appendix"),
        ("Approach", "4", "Percutaneous Endoscopic"), ("Device", "Z", "No Device"), ("Qualifier", "Z", "No Qualifier")]
    step = codeset.pcs_step("0DTJ")
    assert step.axis == "Approach" and {v for v, _ in step.choices} == {"0", "4", "7", "8"}
    assert dict(codeset.pcs_step("0DTJ4Z").choices) == {"G": "Hand-Assisted", "Z": "No Qualifier"}
    assert codeset.lookup("0DTJ4ZX") is None


def test_hcpcs_and_cpt_rules(codeset) -> None:
    office = codeset.lookup("99213", CodeSystem.CPT)  # a curated label, not the AMA descriptor
    assert office.billable and office.extra["section"] == "Evaluation and Management" and office.extra["category"] == "I"
    ankle = codeset.lookup("27899", CodeSystem.CPT)  # not labelled by us: valid by its section range
    assert ankle.billable and ankle.extra["section"] == "Surgery" and ankle.source == "format"
    assert codeset.lookup("99999", CodeSystem.CPT) is None  # outside every Category I section range
    assert codeset.lookup("0042T").extra["category"] == "III"
    assert codeset.lookup("3074F").extra["category"] == "II"
    assert codeset.lookup("27786").chapter == "Surgery"
    assert codeset.modifier("25").system is CodeSystem.CPT
    assert codeset.modifier("RT").system is CodeSystem.HCPCS
    assert codeset.modifier("ZZ") is None
    assert not codeset.has_user_cpt() and "descriptors" not in codeset.lookup("99213").title


@pytest.mark.parametrize(("query", "expected"), [
    ("dog bite", "W54.0XXA"), ("heart attack", "I21.9"), ("broken wrist", "S52.5"),
    ("E11.2", "E11.22"), ("0DTJ", "0DTJ4ZZ"), ("s52.52", "S52.521A"), ("appendix resection", "0DTJ4ZZ"),
])
def test_search_finds_official_wording_from_plain_words(codeset, query: str, expected: str) -> None:
    codes = [hit.code for hit in codeset.search(query, limit=25)]
    assert expected in codes or any(code.startswith(expected) for code in codes), codes


def test_search_filters(codeset) -> None:
    hits = codeset.search("fracture radius", CodeSystem.ICD10CM, billable_only=True, limit=30)
    assert hits and all(h.billable and h.system is CodeSystem.ICD10CM for h in hits)
    assert all(h.system is CodeSystem.ICD10PCS for h in codeset.search("resection", CodeSystem.ICD10PCS))
    assert codeset.search("", limit=5) == [] and codeset.search('"((', limit=5) == []


def test_rebuild_only_when_sources_change(tmp_path: Path) -> None:
    path = tmp_path / "codes.sqlite3"
    assert ensure_database(path) is True and database_is_current(path)
    stamp = path.stat().st_mtime_ns
    assert ensure_database(path) is False and path.stat().st_mtime_ns == stamp
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'icd10cm_package'")
    assert not database_is_current(path)
    assert ensure_database(path) is True and database_is_current(path)
    assert not list(tmp_path.glob(".*building"))


def test_hcpcs_importer_reads_the_cms_layout_with_continuations(tmp_path: Path, codes_db_path: Path) -> None:
    records, report = parse_hcpcs_file(FIXTURES / "hcpcs-cms-layout.txt")
    assert report.problems == []
    by_code = {r.code: r for r in records}
    assert by_code["E0114"].long == ("Underarm crutches, other than wood, one pair, including tips and hand grips"
                                     " (study wording written for the test fixture)")
    assert by_code["A0425"].short == "Ground mileage per mile"
    user_db = tmp_path / "user-codes.sqlite3"
    report = import_hcpcs_file(FIXTURES / "hcpcs-cms-layout.txt", user_db)
    assert report.imported == 4 and report.skipped == {"D-codes (the ADA's CDT, not shipped or imported)": 1}
    codes = SqliteCodeSet(codes_db_path, user_db=user_db)
    assert codes.lookup("E0114", CodeSystem.HCPCS).extra["long"].endswith("test fixture)")
    right = codes.modifier("RT", CodeSystem.HCPCS)  # the imported modifier wording wins over ours
    assert right.title == "Right side" and right.extra["long"].endswith("right side) continued modifier text")
    assert codes.lookup("-rt") == right
    assert {h.code: h.title for h in codes.search("-R", CodeSystem.HCPCS, limit=50)}["-RT"] == "Right side"
    assert codes.lookup("D0120") is None or codes.lookup("D0120").system is not CodeSystem.HCPCS
    codes.close()


def test_a_malformed_cms_file_is_refused_whole(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("J1100     3Injection".ljust(320) + "\nJ1200     9Broken".ljust(320) + "\n", encoding="latin-1")
    report = import_hcpcs_file(bad, tmp_path / "user.sqlite3")
    assert [str(p) for p in report.problems] == [f"{bad}:2: record id: column 11 must be 3, 4, 7 or 8, found '9'"]
    assert not (tmp_path / "user.sqlite3").exists()


def test_licensed_cpt_import_is_used_by_lookups(tmp_path: Path, codes_db_path: Path) -> None:
    licensed = tmp_path / "cpt.csv"
    licensed.write_text("code,descriptor\n99213,Licensed wording for an office visit (test)\n0042T,Licensed T wording\n")
    user_db = tmp_path / "user.sqlite3"
    assert import_cpt_file(licensed, user_db).imported == 2
    codes = SqliteCodeSet(codes_db_path, user_db=user_db)
    assert codes.has_user_cpt() and codes.lookup("99213").title == "Licensed wording for an office visit (test)"
    assert codes.lookup("99213").chapter == "Evaluation and Management"
    codes.close()
    broken = tmp_path / "broken.csv"
    broken.write_text("99213,ok\nABC12,bad code\n99214,\n")
    report = import_cpt_file(broken, tmp_path / "other.sqlite3")
    assert [p.field for p in report.problems] == ["code", "descriptor"] and report.problems[0].line == 2
    no_columns = tmp_path / "spaces.txt"  # no delimiter the sniffer can find: reported, not raised
    no_columns.write_text("99213 Office visit\n99214 Another\n")
    report = import_cpt_file(no_columns, tmp_path / "third.sqlite3")
    assert [(p.line, p.field) for p in report.problems] == [(2, "descriptor")]  # line 1 reads as a header
    tabbed = tmp_path / "tabbed.tsv"
    tabbed.write_text("CPT Code\tDescription\n99213\tTabbed wording (test)\n")
    assert import_cpt_file(tabbed, tmp_path / "fourth.sqlite3").imported == 1


def _medcode(*args: str, stdin: str = "", env_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MEDCODE_CACHE_DIR=str(env_dir))
    return subprocess.run([sys.executable, "-m", "app", *args], input=stdin, capture_output=True, text=True,
                          env=env, check=False)


def test_codes_check_and_search_commands(tmp_path: Path, codes_db_path: Path) -> None:
    run = _medcode("--data-dir", str(tmp_path), "codes", "check", stdin="s52521a\nS52.5\nQ99.99\n\nXYZ\nW54.0\n-25\n",
                   env_dir=codes_db_path.parent)
    assert run.returncode == 0, run.stderr
    rows = [line.split("\t") for line in run.stdout.splitlines()]
    assert rows[0][:4] == ["s52521a", "icd10cm", "yes", "yes"]
    assert rows[1][:4] == ["S52.5", "icd10cm", "yes", "no"]
    assert rows[2][:4] == ["Q99.99", "icd10cm", "no", "no"] and "not a code" in rows[2][4]
    assert rows[1][4].endswith("(not billable: a header; choose a more specific code)")
    assert rows[4][:4] == ["XYZ", "-", "no", "no"] and len(rows) == 7
    assert rows[5][:4] == ["W54.0", "icd10cm", "yes", "no"] and "needs X placeholders and a 7th character" in rows[5][4]
    assert rows[6][:4] == ["-25", "cpt", "yes", "yes"]
    found = _medcode("--data-dir", str(tmp_path), "codes", "search", "dog", "bite", "--set", "icd10cm",
                     "--limit", "3", env_dir=codes_db_path.parent)
    assert [line.split("\t")[0] for line in found.stdout.splitlines()] == ["W54.0", "W54.0XXA", "W54.0XXD"]
