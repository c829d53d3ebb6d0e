"""The content cache: a start reads parsed banks and lessons back instead of parsing YAML again.

Real files, real loaders, a real cache folder: editing one bank rebuilds only that bank's
entry, a corrupt entry is rebuilt, problems are cached with the objects, and a new app
version or changed code never sees old entries.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.content.bank import load_banks
from app.content.cache import ContentCache
from app.content.lessons import load_lessons

REPO = Path(__file__).resolve().parents[2]
SHIPPED_BANK = REPO / "app" / "question_bank" / "icd10cm-conventions.yaml"


@pytest.fixture
def two_banks(tmp_path: Path) -> Path:
    folder = tmp_path / "banks"
    folder.mkdir()
    text = SHIPPED_BANK.read_text(encoding="utf-8")
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    (folder / "b.yaml").write_text(text.replace("id: icd10cm-conventions", "id: second-bank", 1), encoding="utf-8")
    return folder


def _entries(cache: ContentCache) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in cache.folder.glob("*.pickle")}


def test_second_load_reads_the_cache_and_gives_equal_banks(tmp_path: Path, two_banks: Path) -> None:
    cache = ContentCache(tmp_path / "cache")
    first, problems = load_banks(two_banks, cache=cache)
    assert (cache.hits, cache.misses) == (0, 2) and problems == []
    again = ContentCache(tmp_path / "cache")
    second, problems = load_banks(two_banks, cache=again)
    assert (again.hits, again.misses) == (2, 0) and problems == []
    assert second == first == load_banks(two_banks)[0]  # the same objects as an uncached load
    assert len(second[0].items) == 36


def test_editing_one_bank_invalidates_only_its_entry(tmp_path: Path, two_banks: Path) -> None:
    load_banks(two_banks, cache=ContentCache(tmp_path / "cache"))
    cache = ContentCache(tmp_path / "cache")
    before = _entries(cache)
    edited = two_banks / "b.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "How many characters can an ICD-10-CM code have at most?", "At most, how many characters?"), encoding="utf-8")
    banks, _ = load_banks(two_banks, cache=cache)
    assert (cache.hits, cache.misses) == (1, 1)
    after = _entries(cache)
    assert set(after) == set(before)  # one entry per file: the edited bank's was rewritten, not added
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {cache.entry_path(edited, "bank").name}
    assert banks[1].items[0].stem == "At most, how many characters?"


def test_a_corrupt_entry_is_rebuilt(tmp_path: Path, two_banks: Path) -> None:
    cache = ContentCache(tmp_path / "cache")
    expected, _ = load_banks(two_banks, cache=cache)
    entry = cache.entry_path(two_banks / "a.yaml", "bank")
    for junk in (b"", b"not a pickle at all", entry.read_bytes()[: entry.stat().st_size // 2]):
        entry.write_bytes(junk)
        again = ContentCache(tmp_path / "cache")
        banks, problems = load_banks(two_banks, cache=again)
        assert banks == expected and problems == []
        assert (again.hits, again.misses) == (1, 1)
        assert ContentCache(tmp_path / "cache").load(two_banks / "a.yaml", "bank", _never) == (expected[0], [])


def _never(data: bytes | None) -> object:
    raise AssertionError("the entry should have been read from the cache")


def test_problems_of_a_broken_bank_are_cached_with_the_same_text(tmp_path: Path) -> None:
    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "broken.yaml").write_text("bank:\n  id: broken\n  title: [unclosed\nitems: []\n", encoding="utf-8")
    uncached = [str(p) for p in load_banks(folder)[1]]
    cache = ContentCache(tmp_path / "cache")
    assert [str(p) for p in load_banks(folder, cache=cache)[1]] == uncached
    again = ContentCache(tmp_path / "cache")
    assert [str(p) for p in load_banks(folder, cache=again)[1]] == uncached and again.hits == 1
    assert uncached and uncached[0].startswith(f"{folder / 'broken.yaml'}:")


def test_another_version_or_changed_code_does_not_see_old_entries(tmp_path: Path, two_banks: Path) -> None:
    load_banks(two_banks, cache=ContentCache(tmp_path / "cache", version="0.1.0", fingerprint="code-1"))
    for version, fingerprint in (("0.2.0", "code-1"), ("0.1.0", "code-2")):
        other = ContentCache(tmp_path / "cache", version=version, fingerprint=fingerprint)
        load_banks(two_banks, cache=other)
        assert (other.hits, other.misses) == (0, 2)


def test_lessons_are_cached_too(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    shutil.copytree(REPO / "app" / "lessons", lessons)
    cache = ContentCache(tmp_path / "cache")
    modules, problems = load_lessons(lessons, cache)
    again = ContentCache(tmp_path / "cache")
    assert load_lessons(lessons, again) == (modules, problems) == load_lessons(lessons)
    assert again.misses == 0 and again.hits == sum(len(m.lessons) for m in modules) >= 5


def test_a_file_that_cannot_be_read_is_reported_as_without_a_cache(tmp_path: Path) -> None:
    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "binary.yaml").write_bytes(b"bank:\x00\x01")
    cache = ContentCache(tmp_path / "cache")
    assert [str(p) for p in load_banks(folder, cache=cache)[1]] == [str(p) for p in load_banks(folder)[1]]


def test_an_unwritable_cache_folder_only_costs_time(tmp_path: Path, two_banks: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    banks, problems = load_banks(two_banks, cache=ContentCache(blocker))
    assert len(banks) == 2 and problems == []
