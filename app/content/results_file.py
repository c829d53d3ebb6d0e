"""Writing a learner's result export to disk, all or nothing.

The file is written next to its destination under a temporary name and renamed into
place, so a full disk or a pulled USB stick never leaves a half-written export behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def write_json_atomic(path: Path, document: object) -> Path:
    """Write `document` as pretty JSON to `path`, replacing any old file only when complete."""
    return write_text_atomic(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def write_text_atomic(path: Path, text: str) -> Path:
    """Write `text` to `path` (its folder is made), replacing any old file only when complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        return path
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
