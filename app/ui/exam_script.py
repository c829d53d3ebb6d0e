"""Test support: drive the exam page of the running app from a small JSON script.

The crash test (tests/ui/test_exam_crash.py) starts the real app in a subprocess with
`MEDCODE_EXAM_SCRIPT=FILE`; after the window is shown, `run_script` performs the actions
through the exam page's own widgets (the grid cells, the answer options, the flag button,
the resume button), so the subprocess exercises the same path as a learner's clicks.
Actions (lists): ["start", FORM_ID], ["resume"], ["answer", POSITION, OPTION_NUMBER],
["flag", POSITION], ["dump", FILE] (writes the exam state as JSON). Nothing else uses it.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtWidgets import QListWidgetItem

ENV = "MEDCODE_EXAM_SCRIPT"


def _select_form(page, form_id: str) -> None:  # type: ignore[no-untyped-def]
    for row in range(page.forms.count()):
        entry: QListWidgetItem = page.forms.item(row)
        if entry.data(256) == form_id:
            page.forms.setCurrentRow(row)


def state(controller) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What the test compares across the kill: order, answers, flags, time left, wall time."""
    session = controller.session
    if session is None:
        return {"running": False}
    now = controller.now()
    return {"running": True, "exam_id": controller.exam_id,
            "keys": [slot.drawn.key for slot in session.slots],
            "options": [list(slot.drawn.option_order) for slot in session.slots],
            "answers": {str(n): slot.response for n, slot in enumerate(session.slots) if slot.answered},
            "flags": [n for n, slot in enumerate(session.slots) if slot.flagged],
            "remaining": session.remaining(now), "wall": time.time()}


def _write(target: Path, data: dict[str, object]) -> None:
    target.with_suffix(".part").write_text(json.dumps(data), encoding="utf-8")
    os.replace(target.with_suffix(".part"), target)


def run_script(path: Path, tutor) -> None:  # type: ignore[no-untyped-def]
    """Perform the actions; a failure is written to the last dump file so the test fails at once."""
    actions = json.loads(path.read_text(encoding="utf-8"))
    try:
        _perform(actions, tutor)
    except Exception:  # noqa: BLE001 - test support: report, never hang the test
        import traceback

        dumps = [Path(a[1]) for a in actions if a[0] == "dump"]
        if dumps:
            _write(dumps[-1], {"error": traceback.format_exc()})


def _perform(actions: list[list[object]], tutor) -> None:  # type: ignore[no-untyped-def]
    tutor.window.show_page(tutor.exams_page)  # builds the page and its controller if needed
    controller, page = tutor.exams, tutor.exams.page
    controller.refresh()
    for action in actions:
        kind = action[0]
        if kind == "start":
            _select_form(page, str(action[1]))
            page.start.click()
            if controller.session is None:
                raise RuntimeError(f"the exam did not start: {page.details.toPlainText()}")
        elif kind == "resume":
            page.resume.click()
            if controller.session is None:
                raise RuntimeError("the exam did not resume")
        elif kind == "answer":
            page.grid.cells[int(action[1])].click()  # type: ignore[call-overload]
            page.pick(int(action[2]))  # type: ignore[call-overload]
        elif kind == "flag":
            page.grid.cells[int(action[1])].click()  # type: ignore[call-overload]
            page.flag.click()
        elif kind == "dump":
            _write(Path(str(action[1])), state(controller))


def schedule(tutor) -> None:  # type: ignore[no-untyped-def]
    """Run the script named by MEDCODE_EXAM_SCRIPT once the event loop runs (tests only)."""
    script = os.environ.get(ENV)
    if script:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: run_script(Path(script), tutor))
