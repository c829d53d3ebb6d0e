"""Shared fixtures. Qt runs offscreen; the real code-set database is built once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent


def _shared_folder() -> Path:
    """The project's shared folder (DESIGN.md, Moodle fixtures): `../shared` next to the checkout.

    A clone made somewhere else can point at it with MEDCODE_SHARED_DIR; /work/shared is the
    team's usual place.
    """
    for candidate in (os.environ.get("MEDCODE_SHARED_DIR"), REPO.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "fixtures").is_dir():
            return Path(candidate)
    return REPO.parent / "shared"


SHARED = _shared_folder()


@pytest.fixture(scope="session")
def codes_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full code-set database, built from the real registry packages once per run."""
    from app.codesets.build import build_database

    path = tmp_path_factory.mktemp("codesets") / "codesets.sqlite3"
    build_database(path)
    return path


@pytest.fixture(scope="session")
def codeset(codes_db_path: Path) -> Iterator[object]:
    """A `CodeSet` over the real data (ICD-10-CM, ICD-10-PCS, HCPCS, CPT)."""
    from app.codesets.database import SqliteCodeSet

    codes = SqliteCodeSet(codes_db_path)
    yield codes
    codes.close()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, codes_db_path: Path) -> Path:
    """A fresh learner data folder; the code-set cache points at the session's built database."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("MEDCODE_DATA_DIR", str(folder))
    monkeypatch.setenv("MEDCODE_CACHE_DIR", str(codes_db_path.parent))
    return folder
