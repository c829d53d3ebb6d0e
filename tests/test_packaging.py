"""The app as users install it: a wheel in a clean virtual environment, and the one-folder build.

Both start the whole app headless (`medcode self-check`: the composition root, the window
painted once) on an empty data folder, and must find the lessons, banks, stylesheet and icon
inside the installed package, never beside the source tree (issue 11, point 5).
The code-set database is the session's (MEDCODE_CACHE_DIR), so no test here rebuilds it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SKIP_IN_COPY = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", ".hypothesis", ".pytest_cache",
                                      "__pycache__", "tests", "docs")


def _env(codes_db_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MEDCODE_DATA_DIR")}
    return env | {"QT_QPA_PLATFORM": "offscreen", "MEDCODE_CACHE_DIR": str(codes_db_path.parent)}


def _self_check(command: list[str], data: Path, codes_db_path: Path, cwd: Path) -> dict:  # type: ignore[type-arg]
    data.mkdir()
    done = subprocess.run([*command, "--data-dir", str(data), "self-check"], capture_output=True, text=True,
                          env=_env(codes_db_path), cwd=cwd, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout[done.stdout.index("{"):])  # type: ignore[no-any-return]


def _assert_content(report: dict, inside: Path) -> None:  # type: ignore[type-arg]
    assert report["problems"] == []
    assert report["lessons"] > 0 and report["modules"] > 0
    assert report["banks"] > 0 and report["items"] > 0
    assert report["stylesheet"] and report["icon"] and report["painted"] and report["code_lookup"]
    for key in ("package", "lessons_dir", "banks_dir"):
        assert Path(report[key]).resolve().is_relative_to(inside.resolve()), (key, report[key])
        assert not Path(report[key]).resolve().is_relative_to(REPO), (key, report[key])


@pytest.mark.slow
def test_the_wheel_carries_the_content_and_starts_headless(tmp_path: Path, codes_db_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=SKIP_IN_COPY)  # builds write build/ and egg-info: not in the repo
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(source)], check=True, capture_output=True, timeout=300)
    wheel = next(wheels.glob("medcode_tutor-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("app/assets/style.qss", "app/assets/icons/medcode-256.png", "app/codesets/data/abbreviations.tsv"):
        assert needed in names
    assert any(n.startswith("app/lessons/") and n.endswith(".md") for n in names)
    assert any(n.startswith("app/question_bank/") and n.endswith(".yaml") for n in names)
    assert not any(n.startswith(("lessons/", "question_bank/", "assets/", "tests/")) for n in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True, timeout=300)
    # The dependencies (PySide6 and the rest) come from the test environment's site-packages,
    # as a plain path entry: its .pth files (the editable install of this checkout) never run.
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    report = _self_check([str(venv / "bin" / "medcode-cli")], tmp_path / "data", codes_db_path, tmp_path)
    _assert_content(report, site)


@pytest.mark.slow
def test_the_one_folder_build_starts_headless_and_finds_its_content(tmp_path: Path, codes_db_path: Path) -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed here (pip install -e '.[bundle]'); scripts/test installs it for CI")
    dist = tmp_path / "dist"
    env = _env(codes_db_path) | {"PYTHON": sys.executable, "WORK": str(tmp_path / "work")}
    built = subprocess.run(["bash", str(REPO / "scripts" / "bundle"), str(dist)], capture_output=True, text=True,
                           env=env, cwd=REPO, timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    folder = dist / "medcode"
    report = _self_check([str(folder / "medcode")], tmp_path / "data", codes_db_path, tmp_path)
    _assert_content(report, folder)
    files = {path.name for path in folder.rglob("*")}
    assert "icd10pcs.db" in files and "icd10cm.db" not in files  # only the PCS tables are read
