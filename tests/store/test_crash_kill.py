"""SIGKILL while answering, 50 times at random moments: no corrupt file, no saved answer lost.

The long version with figures is `benchmarks/crash_loop.py` (docs/data-safety.md).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _crash_loop():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("crash_loop", REPO / "benchmarks" / "crash_loop.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_loop"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_fifty_kills_while_answering_leave_no_damage_and_lose_no_saved_answer(tmp_path: Path) -> None:
    figures = _crash_loop().run(kills=50, seed=2026, folder=tmp_path, max_delay=0.2, timeout=240)
    assert figures.kills == 50
    assert figures.corrupt == 0
    assert figures.lost_saved == 0
    assert figures.answers > 50  # the children really were answering when killed
