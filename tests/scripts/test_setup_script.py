"""scripts/setup installs only when pyproject.toml or the script changed (issue 17, point 12).

The script runs for real on a copy of the project whose .venv holds a stand-in `python`
that records what it was asked to do, so no package is downloaded and the shared venv is
never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FAKE_PYTHON = """#!/bin/sh
echo "$*" >> "$(dirname "$0")/../calls.log"
exit 0
"""


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copy(REPO / "scripts" / "setup", root / "scripts" / "setup")
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "medcode"):
        (bin_dir / name).write_text(FAKE_PYTHON, encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    return root


def _setup(root: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHON=sys.executable)
    return subprocess.run(["bash", str(root / "scripts" / "setup")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60, check=True)


def _installs(root: Path) -> int:
    log = root / ".venv" / "calls.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return sum(1 for line in lines if line.startswith("-m pip install") and "-e" in line.split())


def test_second_setup_installs_nothing_and_prints_nothing_until_pyproject_changes(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _setup(root)
    assert _installs(root) == 1
    assert (root / ".venv" / ".medcode-setup-stamp").is_file()
    again = _setup(root)
    assert _installs(root) == 1 and again.stdout == "" and again.stderr == ""
    with (root / "pyproject.toml").open("a", encoding="utf-8") as out:
        out.write("\n# a new dependency would go here\n")
    _setup(root)
    assert _installs(root) == 2
    (root / ".venv" / "bin" / "medcode").unlink()  # a broken install is repaired
    _setup(root)
    assert _installs(root) == 3
