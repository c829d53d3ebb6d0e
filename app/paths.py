"""Where learner data and the code-set cache live.

Order of precedence: the `--data-dir` option, then `MEDCODE_DATA_DIR`, then Qt's
per-user data location. The code-set database is a cache: `MEDCODE_CACHE_DIR`, else
`<data dir>/cache` when the data folder was chosen explicitly (portable use on a USB
stick keeps everything together), else Qt's per-user cache location.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "MedCode Tutor"
ORG_NAME = "MedCode"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    cache_dir: Path

    @property
    def learner_db(self) -> Path:
        return self.data_dir / "learner.sqlite3"

    @property
    def codes_db(self) -> Path:
        return self.cache_dir / "codesets.sqlite3"

    @property
    def user_codes_db(self) -> Path:
        """Code data the user imported (a licensed CPT file, a CMS HCPCS file)."""
        return self.data_dir / "user-codes.sqlite3"

    @property
    def backups_dir(self) -> Path:
        """Rotating copies of the learner database (docs/data-safety.md)."""
        return self.data_dir / "backups"

    @property
    def banks_dir(self) -> Path:
        """Bank packages the user imported."""
        return self.data_dir / "banks"


def _standard_location(kind: str) -> Path:
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    location = {
        "data": QStandardPaths.StandardLocation.AppDataLocation,
        "cache": QStandardPaths.StandardLocation.CacheLocation,
    }[kind]
    return Path(QStandardPaths.writableLocation(location))


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    chosen = data_dir or os.environ.get("MEDCODE_DATA_DIR")
    data = Path(chosen).expanduser() if chosen else _standard_location("data")
    cache_env = os.environ.get("MEDCODE_CACHE_DIR")
    if cache_env:
        cache = Path(cache_env).expanduser()
    elif chosen:
        cache = data / "cache"
    else:
        cache = _standard_location("cache")
    return AppPaths(data_dir=data.resolve(), cache_dir=cache.resolve())
