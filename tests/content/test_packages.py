"""Bank packages: make, install, and refuse hostile zips without leaving anything behind."""

from __future__ import annotations

import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.content.bank import load_banks
from app.content.checker import check_bank_file
from app.content.packages import install_package, make_package

SAMPLE = Path(__file__).parent / "samples" / "all-types.yaml"
BROKEN = Path(__file__).parent / "broken"
REPO = Path(__file__).resolve().parents[2]


def _zip(path: Path, entries: dict[str, bytes], links: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "../../outside")
    return path


def _messages(problems: list) -> list[str]:  # type: ignore[type-arg]
    return [str(problem) for problem in problems]


@pytest.fixture
def banks_dir(tmp_path: Path) -> Path:
    return tmp_path / "banks"


def _left_behind(banks_dir: Path) -> list[str] | None:
    """What the banks folder holds; None when it does not exist (a refused install creates nothing)."""
    return sorted(p.name for p in banks_dir.iterdir()) if banks_dir.exists() else None


def test_make_then_install_gives_the_same_bank_and_its_images(tmp_path: Path, banks_dir: Path) -> None:
    source = tmp_path / "course"
    (source / "images" / "xray").mkdir(parents=True)
    (source / "bank.yaml").write_bytes(SAMPLE.read_bytes())
    (source / "images" / "xray" / "wrist.png").write_bytes(b"\x89PNG fake image")
    package = tmp_path / "out" / "course.zip"
    assert make_package(source / "bank.yaml", package) == []
    with zipfile.ZipFile(package) as archive:
        assert sorted(archive.namelist()) == ["bank.yaml", "images/xray/wrist.png"]
    bank_id, problems = install_package(package, banks_dir)
    assert (bank_id, problems) == ("all-types", [])
    assert _left_behind(banks_dir) == ["all-types"]
    assert (banks_dir / "all-types" / "images" / "xray" / "wrist.png").read_bytes() == b"\x89PNG fake image"
    banks, load_problems = load_banks(banks_dir)
    assert load_problems == [] and [len(b.items) for b in banks] == [9]


def test_installing_again_replaces_the_old_copy(tmp_path: Path, banks_dir: Path) -> None:
    first = _zip(tmp_path / "v1.zip", {"bank.yaml": SAMPLE.read_bytes()})
    second = _zip(tmp_path / "v2.zip", {"bank.yaml": SAMPLE.read_bytes().replace(b"version: 1.0.0", b"version: 2.0.0")})
    assert install_package(first, banks_dir)[0] == "all-types"
    assert install_package(second, banks_dir)[0] == "all-types"
    assert _left_behind(banks_dir) == ["all-types"]
    assert b"version: 2.0.0" in (banks_dir / "all-types" / "bank.yaml").read_bytes()


@pytest.mark.parametrize(
    ("entries", "links", "message"),
    [
        ({"bank.yaml": b"x", "../evil.yaml": b"x"}, (), "'../evil.yaml' climbs out of the package with '..'"),
        ({"bank.yaml": b"x", "images/../../evil.png": b"x"}, (), "'images/../../evil.png' climbs out of the package with '..'"),
        ({"bank.yaml": b"x", "/etc/evil.png": b"x"}, (), "'/etc/evil.png' is an absolute path"),
        ({"bank.yaml": b"x"}, ("images/link.png",), "'images/link.png' is a link; packages may not contain links"),
        ({"bank.yaml": b"x", "run.sh": b"x"}, (), "'run.sh' is not allowed; a package holds bank.yaml, an images/ folder and a forms/ folder"),
        ({"images/a.png": b"x"}, (), "package has no bank.yaml at its top level"),
        ({"bank.yaml": b"x", "images/notes.exe": b"x"}, (), "'images/notes.exe' is not an image (.gif, .jpeg, .jpg, .png, .svg, .webp)"),
    ],
)
def test_hostile_entries_are_refused_and_nothing_is_left(tmp_path: Path, banks_dir: Path, entries: dict[str, bytes],
                                                          links: tuple[str, ...], message: str) -> None:
    package = _zip(tmp_path / "bad.zip", entries, links)
    bank_id, problems = install_package(package, banks_dir)
    assert bank_id is None
    assert _messages(problems) == [f"{package}: package: {message}"]
    assert _left_behind(banks_dir) is None
    assert not (tmp_path / "evil.yaml").exists() and not Path("/etc/evil.png").exists()


def test_too_many_files_are_refused(tmp_path: Path, banks_dir: Path) -> None:
    entries = {"bank.yaml": SAMPLE.read_bytes()} | {f"images/{n}.png": b"x" for n in range(2000)}
    package = _zip(tmp_path / "many.zip", entries)
    assert _messages(install_package(package, banks_dir)[1]) == [
        f"{package}: package: package holds 2001 files; at most 2000 are allowed"]
    assert _left_behind(banks_dir) is None


def test_more_than_fifty_megabytes_unpacked_is_refused(tmp_path: Path, banks_dir: Path) -> None:
    entries = {"bank.yaml": SAMPLE.read_bytes(), "images/big.png": b"\0" * (51 * 1024 * 1024)}
    package = _zip(tmp_path / "bomb.zip", entries)
    assert package.stat().st_size < 1024 * 1024  # a zip bomb in miniature: small file, big content
    assert _messages(install_package(package, banks_dir)[1]) == [
        f"{package}: package: package would unpack to 51.0 MB; at most 50 MB is allowed"]
    assert _left_behind(banks_dir) is None


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path, banks_dir: Path) -> None:
    fake = tmp_path / "bank.zip"
    fake.write_bytes(SAMPLE.read_bytes())
    assert _messages(install_package(fake, banks_dir)[1]) == [
        f"{fake}: package: not a zip file; a bank package is a .zip made by `medcode bank package`"]


def test_a_bank_with_errors_is_not_installed(tmp_path: Path, banks_dir: Path) -> None:
    package = _zip(tmp_path / "broken.zip", {"bank.yaml": (BROKEN / "two-right-options.yaml").read_bytes()})
    bank_id, problems = install_package(package, banks_dir,
                                        lambda path: check_bank_file(path, None, None))
    assert bank_id is None
    assert _messages(problems) == [
        f"{package}!bank.yaml:13: sc-1.options: exactly one option must have `correct: true`; found 2"]
    assert _left_behind(banks_dir) is None
    hostile = _zip(tmp_path / "laughs.zip", {"bank.yaml": (BROKEN / "billion-laughs.yaml").read_bytes()})
    assert _messages(install_package(hostile, banks_dir)[1]) == [
        f"{hostile}!bank.yaml:12: yaml: anchors and aliases (& and *) are not allowed in a bank"]


def test_package_and_install_commands(tmp_path: Path, data_dir: Path) -> None:
    package = tmp_path / "sample.zip"
    run = [sys.executable, "-m", "app", "--data-dir", str(data_dir), "bank"]
    made = subprocess.run([*run, "package", str(SAMPLE), "--out", str(package)], capture_output=True, text=True, cwd=REPO)
    assert made.returncode == 0 and "Traceback" not in made.stderr, made.stdout + made.stderr
    installed = subprocess.run([*run, "install", str(package)], capture_output=True, text=True, cwd=REPO)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (data_dir / "banks" / "all-types" / "bank.yaml").read_bytes() == SAMPLE.read_bytes()
    refused = subprocess.run([*run, "package", str(BROKEN / "no-right-option.yaml"), "--out", str(tmp_path / "x.zip")],
                             capture_output=True, text=True, cwd=REPO)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert not (tmp_path / "x.zip").exists()


def test_a_packaged_bank_over_five_megabytes_is_refused(tmp_path: Path, banks_dir: Path) -> None:
    package = _zip(tmp_path / "big.zip", {"bank.yaml": SAMPLE.read_bytes() + b"# pad\n" * (1024 * 1024)})
    bank_id, problems = install_package(package, banks_dir)
    assert bank_id is None
    assert _messages(problems) == [f"{package}!bank.yaml: file: file is 6.0 MB; a bank may be at most 5 MB"]
    assert _left_behind(banks_dir) is None


def test_a_package_may_not_replace_a_bank_that_ships_with_the_app(tmp_path: Path, banks_dir: Path) -> None:
    package = _zip(tmp_path / "clash.zip", {"bank.yaml": SAMPLE.read_bytes()})
    bank_id, problems = install_package(package, banks_dir, reserved_ids=frozenset({"all-types"}))
    assert bank_id is None
    assert _messages(problems) == [f"{package}!bank.yaml: bank.id: bank id 'all-types' belongs to a bank that ships "
                                   "with the app; give this bank another id"]
    assert _left_behind(banks_dir) is None


def test_a_package_carries_the_instructors_exam_forms_and_refuses_a_broken_one(tmp_path: Path, banks_dir: Path) -> None:
    from exam_banks import write_bank, write_form

    folder = tmp_path / "course"
    bank = write_bank(folder / "course.yaml", per_topic=2, cases=0, bank_id="course-bank")
    write_form(folder / "forms" / "midterm.yaml", form_id="midterm", counts=(("a", 2, 1),), topics=(("icd10cm",),))
    out = tmp_path / "course.zip"
    assert make_package(bank, out) == []
    assert sorted(zipfile.ZipFile(out).namelist()) == ["bank.yaml", "forms/midterm.yaml"]
    bank_id, problems = install_package(out, banks_dir)
    assert bank_id == "course-bank" and problems == []
    from app.content.exam_forms import load_forms

    forms, _ = load_forms([banks_dir])
    assert [f.id for f in forms] == ["midterm"]

    broken = _zip(tmp_path / "broken.zip", {"bank.yaml": bank.read_bytes(),
                                            "forms/bad.yaml": b"form: {id: bad, title: B}\nsections: []\n"})
    bank_id, problems = install_package(broken, tmp_path / "other")
    assert bank_id is None
    assert any(str(p).startswith(f"{broken}!forms/bad.yaml:1: form.time_limit:") for p in problems), _messages(problems)
    assert not (tmp_path / "other").exists()
    script = _zip(tmp_path / "script.zip", {"bank.yaml": bank.read_bytes(), "forms/run.sh": b"x"})
    assert "forms/ holds exam form files" in str(install_package(script, tmp_path / "other")[1])
