"""Every command on a full disk: one line on stderr, exit status 2, no traceback (issue 9, point 7).

The disk is made full for real: the commands run in a child process whose file-size limit
(RLIMIT_FSIZE, with SIGXFSZ ignored) makes every write past a few kilobytes fail with EFBIG,
the error a full disk gives SQLite and Python. No mount is needed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIMIT = 2_048

DRIVER = r"""
import contextlib, io, json, os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
from app.cli import main
results = []
for cache, argv in json.loads(sys.argv[1]):
    os.environ["MEDCODE_CACHE_DIR"] = cache
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = main(argv)
        except SystemExit as exit:
            status = exit.code
        except BaseException as error:
            status = "raised " + type(error).__name__ + ": " + str(error)
    results.append([argv, status, err.getvalue()])
print(json.dumps(results))
"""


@pytest.mark.slow
def test_every_command_reports_a_full_disk_in_one_line(tmp_path: Path, codes_db_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    out.mkdir()
    built = str(codes_db_path.parent)  # commands that only read the code set use the built one
    cpt = tmp_path / "cpt.csv"
    cpt.write_text("".join(f"{99200 + n},Office visit wording number {n} " + "x" * 80 + "\n" for n in range(300)))
    hcpcs = tmp_path / "hcpcs.txt"
    hcpcs.write_text("".join(f"A{4000 + n:04d}     3{('Long text ' + str(n)).ljust(80)}{('Short ' + str(n)).ljust(28)}".ljust(320)
                             + "\n" for n in range(300)))
    gift = tmp_path / "quiz.gift"
    gift.write_text("".join(f"::Q{n}:: Which code set lists diagnoses, item {n}? {{=ICD-10-CM ~CPT ~HCPCS}}\n\n"
                            for n in range(200)), encoding="utf-8")
    bank = REPO / "app" / "question_bank" / "icd10cm-conventions.yaml"
    gd = f"--data-dir={data}"
    commands = [
        (str(tmp_path / "empty-cache-1"), [gd, "codes", "build", "--force"]),
        (str(tmp_path / "empty-cache-2"), [gd, "codes", "search", "E11"]),
        (built, [gd, "codes", "import-cpt", str(cpt)]),
        (built, [gd, "codes", "import-hcpcs", str(hcpcs)]),
        (built, [gd, "bank", "import", str(gift), "--out", str(out / "imported")]),
        (built, [gd, "bank", "export", str(bank), "--format", "moodle-xml", "--out", str(out / "bank.xml")]),
        (built, [gd, "bank", "package", str(bank), "--out", str(out / "bank.zip")]),
        (built, [gd, "profile", "list"]),
        (built, [gd, "profile", "export", "Ana", str(out / "ana.medcode-profile")]),
        (built, [gd, "data", "backup"]),
        (built, [gd, "data", "check"]),
    ]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, "-c", DRIVER.format(limit=LIMIT), json.dumps(commands)], cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = []
    for argv, status, stderr in json.loads(run.stdout):
        last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
        assert status == 2, (argv, status, stderr[-800:])
        assert "Traceback" not in stderr, (argv, stderr[-800:])
        # one line: "medcode: what failed", or for a named input file "FILE:LINE: field: why"
        assert last.startswith("medcode") or ":0: file: " in last, (argv, last)
        assert any(word in last for word in ("disk", "too large", "File too large", "full")), (argv, last)
        seen.append(argv[1:3])
    assert len(seen) == len(commands)
