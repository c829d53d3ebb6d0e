"""Parsed banks and lessons kept between starts, so a start reads a cache instead of YAML.

Parsing a bank with its line numbers is the slowest part of loading content (a 5,000-item
bank takes seconds); unpickling the same frozen dataclasses takes milliseconds. So each
content file gets one entry in `<cache folder>/content/`, named after the file's path, that
holds the parse result `(object or None, problems)` together with the key it was built for:

    key = sha256(cache format, app version, code fingerprint, kind, path, file bytes)

- A start reads each file's bytes (cheap), hashes them, and uses the entry when the key
  matches. Editing one bank changes only that bank's key, so only its entry is rebuilt.
- The app version is in the key so an installed upgrade never sees objects built by an older
  release. The code fingerprint (size and modification time of the `app/core` and
  `app/content` sources) does the same for a developer who changes a model without bumping
  the version.
- An entry that cannot be read (truncated, corrupt, from another format) is rebuilt and
  rewritten; the cache can always be deleted. Entries are written atomically (a temporary
  file, then `os.replace`), so a crash mid-write leaves the old entry or none.
- Problems are cached with the objects, so a broken bank is reported on every start without
  being parsed again.

The entries are Python pickles. They are only ever read from the user's own cache folder,
which only this app writes; whoever can write there can already change the app's settings
and data, so loading them adds no new way in. Content from outside (bank packages) is still
parsed by the safe YAML reader the first time it is seen.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from app import __version__

T = TypeVar("T")
CACHE_FORMAT = "medcode-content-1"
MAX_CACHED_BYTES = 6 * 1024 * 1024  # above the loaders' own limits: such files are refused anyway
log = logging.getLogger(__name__)
_SOURCES = Path(__file__).resolve().parent.parent


def code_fingerprint() -> str:
    """Size and mtime of the sources whose objects are cached (a few dozen `stat` calls)."""
    digest = hashlib.sha256()
    for folder in ("core", "content"):
        for source in sorted((_SOURCES / folder).glob("*.py")):
            status = source.stat()
            digest.update(f"{source.name}:{status.st_size}:{status.st_mtime_ns};".encode())
    return digest.hexdigest()


class ContentCache:
    """Per-file parse results in `folder`, valid while the file's bytes and the app are the same."""

    def __init__(self, folder: Path, version: str = __version__, fingerprint: str | None = None):
        self.folder = folder
        self._prefix = f"{CACHE_FORMAT}\0{version}\0{fingerprint or code_fingerprint()}\0".encode()
        self.hits = 0
        self.misses = 0

    def entry_path(self, path: Path, kind: str) -> Path:
        """The one entry file that belongs to content file `path` (rewritten when it changes)."""
        name = hashlib.sha256(f"{kind}\0{path}".encode()).hexdigest()[:32]
        return self.folder / f"{kind}-{name}.pickle"

    def load(self, path: Path, kind: str, parse: Callable[[bytes | None], T]) -> T:
        """`parse(bytes of path)`, or the result stored for exactly these bytes.

        A file that cannot be read, or is too large to be content, is parsed with `None` and
        not cached: the loader then reads it itself and reports the problem by name.
        """
        try:
            if path.stat().st_size > MAX_CACHED_BYTES:
                raise OSError("too large to cache")
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return parse(None)
        key = hashlib.sha256(self._prefix + f"{kind}\0{path}\0".encode() + data).hexdigest()
        entry = self.entry_path(path, kind)
        found = self._read(entry, key)
        if found is not None:
            self.hits += 1
            return found[0]
        self.misses += 1
        value = parse(data)
        self._write(entry, key, value)
        return value

    def _read(self, entry: Path, key: str) -> tuple[object] | None:
        """(value,) when the entry exists and was built for `key`; None to rebuild it."""
        try:
            raw = entry.read_bytes()
        except OSError:
            return None
        try:
            stored = pickle.loads(raw)  # noqa: S301 (our own cache folder; see the module docstring)
        except Exception as error:  # noqa: BLE001 (a corrupt entry may raise almost anything: rebuild it)
            log.info("content cache entry %s is unreadable (%s); rebuilding it", entry, error)
            return None
        if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == CACHE_FORMAT):
            return None
        return (stored[2],) if stored[1] == key else None

    def _write(self, entry: Path, key: str, value: object) -> None:
        """Store atomically; a cache that cannot be written only costs the next start time."""
        temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(pickle.dumps((CACHE_FORMAT, key, value), protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, entry)
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError) as error:
            log.info("content cache entry %s not written: %s", entry, error)
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass  # the folder itself is unusable; nothing was left behind
