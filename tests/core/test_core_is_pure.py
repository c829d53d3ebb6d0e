"""app/core must stay free of Qt and SQL (DESIGN.md convention 1)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "app" / "core"
FORBIDDEN = {"PySide6", "sqlite3", "sqlite_utils", "shiboken6"}


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_core_module_imports_qt_or_sql() -> None:
    modules = sorted(CORE.rglob("*.py"))
    assert len(modules) >= 5
    offenders = {str(p.relative_to(CORE)): _imported_roots(p) & FORBIDDEN for p in modules}
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_importing_all_of_core_loads_no_qt_or_sql() -> None:
    names = [f"app.core.{p.stem}" for p in sorted(CORE.glob("*.py")) if p.stem != "__init__"]
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in {sorted(FORBIDDEN)!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_check_itself_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport sqlite3 as db\n")
    assert _imported_roots(bad) & FORBIDDEN == {"PySide6", "sqlite3"}
