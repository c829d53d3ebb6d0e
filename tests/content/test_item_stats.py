"""Item statistics against figures worked out by hand on four learner exports.

The fixture (tests/content/fixtures/results/): items q1 (A right, B, C), q2 (true/false,
True right), q3 (X right, Y). First attempts, 1 = right:

    learner  q1     q2     q3
    ana      A 1    T 1    Y 0
    ben      A 1    T 1    Y 0
    chloe    B 0    T 1    X 1
    dev      B 0    F 0    X 1      (dev later answers q1 with A: ignored, not a first attempt)

q1: facility 2/4 = 50 %. Rest scores (mean of q2, q3): .5 .5 1 .5, mean .625.
    deviations x: +.5 +.5 -.5 -.5; y: -.125 -.125 +.375 -.125.
    cov = -.0625 -.0625 -.1875 +.0625 = -.25; var x = 1; var y = 3*.015625 + .140625 = .1875
    r = -.25 / sqrt(.1875) = -0.5774 -> negative discrimination. Options A 2, B 2, C 0 (C unused).
q2: facility 3/4 = 75 %. Rest scores (q1, q3) are .5 for everybody -> no variance -> n/a.
q3: facility 50 %. Rest (q1, q2): 1 1 .5 0, mean .625; x dev -.5 -.5 +.5 +.5;
    y dev .375 .375 -.125 -.625; cov = -.75; var y = .6875; r = -.75 / sqrt(.6875) = -0.9045.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.item_stats import item_statistics
from app.core.results import ResultsError, parse_results

FIXTURES = Path(__file__).parent / "fixtures" / "results"


def _exports():
    return [parse_results(p.read_text(), str(p)) for p in sorted(FIXTURES.glob("*.json"))]


def test_facility_discrimination_and_option_counts_match_the_hand_figures() -> None:
    stats = {s.key: s for s in item_statistics(_exports())}
    q1, q2, q3 = stats["demo/q1"], stats["demo/q2"], stats["demo/q3"]
    assert (q1.responses, q1.facility) == (4, 50.0)
    assert q1.discrimination == pytest.approx(-0.57735, abs=1e-4)
    assert [(n, right) for _, n, right in q1.options] == [(2, True), (2, False), (0, False)]
    assert q2.facility == 75.0 and q2.discrimination is None
    assert [n for _, n, _ in q2.options] == [3, 1]
    assert q3.discrimination == pytest.approx(-0.90453, abs=1e-4)


def test_flags_name_few_responses_negative_discrimination_and_unused_distractors() -> None:
    stats = {s.key: s for s in item_statistics(_exports())}
    assert stats["demo/q1"].flags == (
        "only 4 responses (fewer than 10)",
        "negative discrimination (-0.58)",
        "distractor never chosen: 'There is no dot'",
    )
    assert stats["demo/q2"].flags == ("only 4 responses (fewer than 10)",)


def test_the_command_prints_the_same_figures_as_json() -> None:
    run = subprocess.run([sys.executable, "-m", "app", "stats", "items", str(FIXTURES), "--json"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    rows = {row["item"]: row for row in json.loads(run.stdout)}
    assert rows["demo/q1"]["facility"] == 50.0
    assert rows["demo/q1"]["discrimination"] == pytest.approx(-0.577, abs=1e-3)
    assert rows["demo/q3"]["options"] == [
        {"text": "Never coded together", "chosen": 2, "correct": True},
        {"text": "Coded together if both present", "chosen": 2, "correct": False},
    ]


def test_a_broken_export_is_named_with_its_field_and_the_others_still_count(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "medcode-tutor-results", "version": 1, "items": {}, "attempts": [{"item": 3}]}')
    with pytest.raises(ResultsError) as error:
        parse_results(broken.read_text(), str(broken))
    assert str(error.value.problems[0]).startswith(f"{broken}:1: attempts[0]: ")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{\n  "format": \n}')
    run = subprocess.run([sys.executable, "-m", "app", "stats", "items", str(FIXTURES / "ana.json"),
                          str(broken), str(bad_json)], capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert f"{bad_json}:3: json: " in run.stderr and "Traceback" not in run.stderr
    assert "demo/q1" in run.stdout
