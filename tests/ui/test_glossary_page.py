"""The glossary (curriculum issue): word parts, terms and anatomy structures, searchable in the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.glossary import load_glossary
from app.core.glossary import PartKind
from app.core.glossary_search import search_glossary
from app.main import build_tutor
from app.paths import resolve_paths
from app.ui.dialogs import ProfileChoice, ProfileDialog


def test_the_glossary_holds_terminology_and_anatomy_entries() -> None:
    entries, problems = load_glossary()
    assert problems == []
    kinds = {kind: sum(e.kind is kind for e in entries) for kind in PartKind}
    assert kinds[PartKind.PREFIX] and kinds[PartKind.ROOT] and kinds[PartKind.SUFFIX] and kinds[PartKind.TERM]
    structures = {e.term for e in entries if e.kind is PartKind.STRUCTURE}
    assert {"diaphysis", "alveolus", "meninges", "cochlea", "ureter", "duodenum"} <= structures
    assert all(not e.is_part for e in entries if e.kind is PartKind.STRUCTURE)  # drills of word parts skip them


def test_search_finds_by_term_part_and_meaning_best_first() -> None:
    entries, _ = load_glossary()
    hits = [e.term for e in search_glossary(entries, "card")]
    assert hits[0] == "cardi/o" and any("cardi" in term for term in hits[1:])
    assert "-itis" in [e.term for e in search_glossary(entries, "inflammation")][:5]
    assert search_glossary(entries, "zzqx") == []
    assert len(search_glossary(entries, "")) == len(entries)


def test_the_glossary_page_opens_and_filters(qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ProfileDialog, "ask", classmethod(lambda cls, *a, **k: ProfileChoice(new_name="Gi")))
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    assert tutor.choose_profile()
    nav = tutor.window.nav
    row = next(i for i in range(nav.count()) if nav.item(i).text() == "Glossary")
    nav.setCurrentRow(row)
    page = tutor.window.pages.currentWidget()
    qtbot.waitUntil(lambda: hasattr(page, "search"))
    total = page.table.rowCount()
    assert total > 400
    page.search.setText("middle ear")
    qtbot.waitUntil(lambda: page.table.rowCount() < total)
    assert "tympanic membrane" in page.rows() and "eustachian tube" in page.rows()
    assert "of" in page.count.text()
    page.search.setText("zzqx")
    qtbot.waitUntil(lambda: page.table.rowCount() == 0)
    assert "No entry" in page.count.text()
