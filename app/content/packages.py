"""Bank packages: one zip that carries a bank (bank.yaml), its images and exam forms to a learner.

A package arrives from outside (a course site, an e-mail), so installing treats it as
hostile: it refuses anything that is not a zip, absolute paths, `..`, links, more than
2,000 files and more than 50 MB unpacked (declared sizes are checked first, and bytes are
counted while unpacking, because declared sizes can lie). The bank is checked before it is
installed, and the package is unpacked into a temporary folder inside the banks folder
and renamed into place in one step, so a failure never leaves a half-written bank.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath

from app.content.bank import PACKAGE_BANK, bank_from_tree
from app.content.bank_yaml import read_yaml
from app.core.problems import Problem, Severity

MAX_FILES = 2000
MAX_UNPACKED = 50 * 1024 * 1024
IMAGES = "images"
FORMS = "forms"  # exam forms an instructor ships with the bank (docs/exams.md)
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
CHUNK = 64 * 1024

Checker = Callable[[Path], list[Problem]]


class PackageError(Exception):
    """A package that cannot be installed; the message says why."""


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why one zip entry may not be unpacked, or None when it is safe."""
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return f"{name!r} is a link; packages may not contain links"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or PurePosixPath(name).is_absolute():
        return f"{name!r} is an absolute path"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts:
        return f"{name!r} is not a usable file name"
    if ".." in parts:
        return f"{name!r} climbs out of the package with '..'"
    if not info.is_dir() and parts[0] == FORMS:
        if len(parts) != 2 or PurePosixPath(name).suffix != ".yaml":
            return f"{name!r} is not allowed; forms/ holds exam form files (NAME.yaml) only"
        return None
    if not info.is_dir() and name != PACKAGE_BANK and not (parts[0] == IMAGES and len(parts) > 1):
        return f"{name!r} is not allowed; a package holds bank.yaml, an images/ folder and a forms/ folder"
    if parts and parts[0] == IMAGES and not info.is_dir() and PurePosixPath(name).suffix.lower() not in IMAGE_SUFFIXES:
        return f"{name!r} is not an image ({', '.join(sorted(IMAGE_SUFFIXES))})"
    return None


def inspect_package(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The entries to unpack; raises PackageError naming the first rule a package breaks."""
    entries = archive.infolist()
    if len(entries) > MAX_FILES:
        raise PackageError(f"package holds {len(entries)} files; at most {MAX_FILES} are allowed")
    declared = sum(info.file_size for info in entries)
    if declared > MAX_UNPACKED:
        raise PackageError(f"package would unpack to {declared / 1048576:.1f} MB; at most 50 MB is allowed")
    for info in entries:
        problem = _member_problem(info)
        if problem:
            raise PackageError(problem)
    if PACKAGE_BANK not in {info.filename for info in entries}:
        raise PackageError(f"package has no {PACKAGE_BANK} at its top level")
    return entries


def _unpack(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], target: Path) -> None:
    """Write the entries under `target`, counting real bytes against the 50 MB limit."""
    written = 0
    for info in entries:
        destination = target.joinpath(*PurePosixPath(info.filename).parts)
        if info.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, destination.open("wb") as sink:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > MAX_UNPACKED:
                    raise PackageError("package unpacks to more than 50 MB (its declared sizes are wrong)")
                sink.write(chunk)


def _bank_problems(where: str, checker: Checker | None, unpacked: Path) -> tuple[str | None, list[Problem]]:
    """Check the unpacked bank; (bank id, problems). The id is None when it must not be installed."""
    inside = unpacked / PACKAGE_BANK
    tree, problems = read_yaml(inside)
    bank = None
    if not problems:
        bank, problems = bank_from_tree(tree, str(inside))
        if checker is not None:
            problems = checker(inside)
    problems += _form_problems(unpacked)
    problems = [replace(p, path=where) if p.path == str(inside) else p for p in problems]
    problems = [replace(p, path=f"{where.rsplit('!', 1)[0]}!{FORMS}/{Path(p.path).name}")
                if Path(p.path).parent == unpacked / FORMS else p for p in problems]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    return (bank.manifest.id if bank is not None and not errors else None), problems


def _form_problems(unpacked: Path) -> list[Problem]:
    """Every problem of the package's exam forms; a broken form keeps the package out too."""
    from app.content.exam_forms import check_form_file

    folder = unpacked / FORMS
    return [p for path in sorted(folder.glob("*.yaml")) for p in check_form_file(path)] if folder.is_dir() else []


def install_package(zip_path: Path, banks_dir: Path, checker: Checker | None = None,
                    reserved_ids: frozenset[str] = frozenset()) -> tuple[str | None, list[Problem]]:
    """Install a bank package into banks_dir/<bank id>/; (bank id or None, problems).

    `checker` (e.g. check_bank_file bound to the code set and lessons) runs on the unpacked
    bank; without it the loader's own checks apply. A bank with errors is not installed.
    An installed bank with the same id is replaced in one rename; `reserved_ids` (the banks
    that ship with the app) cannot be replaced.
    """
    where = str(zip_path)
    if not zipfile.is_zipfile(zip_path):
        return None, [Problem(where, 0, "package", "not a zip file; a bank package is a .zip made by `medcode bank package`")]
    created = not banks_dir.exists()
    banks_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".installing-{os.getpid()}-", dir=banks_dir))
    try:
        with zipfile.ZipFile(zip_path) as archive:
            entries = inspect_package(archive)
            _unpack(archive, entries, work / "bank")
        bank_id, problems = _bank_problems(f"{where}!{PACKAGE_BANK}", checker, work / "bank")
        if bank_id is None:
            return None, problems
        if bank_id in reserved_ids:
            return None, problems + [Problem(f"{where}!{PACKAGE_BANK}", 0, "bank.id",
                                             f"bank id {bank_id!r} belongs to a bank that ships with the app; "
                                             "give this bank another id")]
        _move_into_place(work / "bank", banks_dir / bank_id, work)
        return bank_id, problems
    except PackageError as error:
        return None, [Problem(where, 0, "package", str(error))]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as error:
        return None, [Problem(where, 0, "package", f"cannot be unpacked: {error}")]
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if created and not any(banks_dir.iterdir()):
            banks_dir.rmdir()  # a refused package leaves the data folder as it was


def _move_into_place(unpacked: Path, target: Path, work: Path) -> None:
    """Rename the unpacked bank to its final name; an older copy is moved aside first."""
    if target.exists():
        old = work / "replaced"
        os.replace(target, old)
    os.replace(unpacked, target)


def make_package(bank_file: Path, out_zip: Path) -> list[Problem]:
    """Zip a bank file (as bank.yaml) and the images/ folder next to it into `out_zip`."""
    bank_file = Path(bank_file)
    images = bank_file.parent / IMAGES
    files = [p for p in sorted(images.rglob("*")) if p.is_file() and not p.is_symlink()] if images.is_dir() else []
    forms_dir = bank_file.parent / FORMS
    forms = sorted(p for p in forms_dir.glob("*.yaml") if p.is_file() and not p.is_symlink()) if forms_dir.is_dir() else []
    if len(files) + 1 > MAX_FILES:
        return [Problem(str(images), 0, "package", f"{len(files)} images; a package may hold at most {MAX_FILES} files")]
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    temporary = out_zip.with_name(out_zip.name + ".part")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(bank_file, PACKAGE_BANK)
        for path in files:
            archive.write(path, PurePosixPath(IMAGES, *path.relative_to(images).parts).as_posix())
        for path in forms:
            archive.write(path, f"{FORMS}/{path.name}")
    os.replace(temporary, out_zip)
    return []
