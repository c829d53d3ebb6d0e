"""The whole first learning loop, end to end, on the real app wiring and a real data folder.

Pick a profile, open a lesson, answer a multiple-choice item, submit a coding case, close;
build the app again on the same folder and find the attempts on the progress page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.models import CodingCase, SingleChoice
from app.main import build_tutor
from app.paths import resolve_paths
from app.ui.dialogs import ProfileChoice, ProfileDialog


@pytest.fixture
def choose_new_profile(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The profile dialog answers "create Ana" the first time and "Ana" afterwards."""
    asked: list[str] = []

    def ask(cls, profiles, current, parent=None):  # type: ignore[no-untyped-def]
        asked.append(",".join(p.name for p in profiles))
        named = [p for p in profiles if p.name == "Ana"]
        return ProfileChoice(profile_id=named[0].id) if named else ProfileChoice(new_name="Ana")

    monkeypatch.setattr(ProfileDialog, "ask", classmethod(ask))
    return asked


def _type_codes(entry, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Type codes into the case-entry rows of each section, as a learner would."""
    for section, text in enumerate(texts):
        for row, code in enumerate(c for c in text.split(",") if c.strip()):
            entry.set_code(section, row, code.strip())


def test_pick_profile_read_answer_code_quit_and_find_it_all_again(qtbot, data_dir: Path,
                                                                  choose_new_profile) -> None:  # type: ignore[no-untyped-def]
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    assert tutor.profile is None and tutor.choose_profile()
    assert tutor.profile.name == "Ana"
    tutor.window.show()

    module = next(m for m in tutor.content.modules if m.id == "icd10cm-conventions")
    lesson = module.lessons[0]
    tutor.window.show_page(tutor.pages.lessons)
    tutor.pages.lessons.select_lesson(lesson.id)
    qtbot.waitUntil(lambda: tutor.pages.lessons.current_lesson() == lesson.id)
    assert lesson.title in tutor.pages.lessons.reader.toPlainText()
    reader = tutor.pages.lessons.reader.verticalScrollBar()
    qtbot.waitUntil(lambda: reader.maximum() > 0)
    with qtbot.waitSignal(tutor.pages.lessons.lesson_read):
        reader.setValue(reader.maximum())  # read to the end

    items = [i for b in tutor.content.banks for i in b.items]
    choice = next(i for i in items if isinstance(i, SingleChoice))
    case = next(i for i in items if isinstance(i, CodingCase) and len(i.key.sections) == 1
                and len([l for l in i.key.sections[0].lines if not l.optional]) >= 2)
    tutor.start_with([choice, case])
    page = tutor.pages.practice

    right = next(n for n, i in enumerate(choice.options) if i.correct)
    page.pick(page.answer.order.index(right) + 1)
    page.submit.click()
    qtbot.waitUntil(lambda: page.next.isEnabled())
    assert "Correct" in page.result.toPlainText()
    assert choice.meta.rationale.split()[0] in page.result.toPlainText()
    page.next.click()

    required = [l for l in case.key.sections[0].lines if not l.optional]
    _type_codes(page.answer, [required[0].codes[0].lower().replace(".", "") + ", Z99.89"])
    page.submit.click()
    qtbot.waitUntil(lambda: page.next.isEnabled())
    group = page.answer.sections[0]
    assert group.rows[0].property("verdict") == "correct"  # typed without the dot, in lower case
    assert group.rows[1].property("verdict") == "red" and "extra" in group.rows[1].badge.text()
    assert "Missing" in group.feedback.text() and required[1].codes[0] in group.feedback.text()
    assert required[1].codes[0] in page.result.toPlainText()  # the answer key under the score
    tutor.window.close()
    tutor.store.db.close()

    again = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(again.window)
    assert again.profile is not None and again.profile.name == "Ana"  # remembered, no dialog
    assert choose_new_profile == [""]
    again.window.show_page(again.pages.progress)
    assert again.pages.progress.recent_item_ids() == [case.meta.id, choice.meta.id] or \
        sorted(again.pages.progress.recent_item_ids()) == sorted([case.meta.id, choice.meta.id])
    assert "1 of" in again.pages.progress.lessons_label.text()
    assert again.pages.progress.items_label.text().startswith("2 of")
    rows = {row[0]: row for row in again.pages.progress.item_rows()}
    assert rows[f"{choice.meta.bank}/{choice.meta.id}"][3] == "100.0%"
    assert rows[f"{case.meta.bank}/{case.meta.id}"][3] != "100.0%"


def test_a_broken_bank_is_reported_and_the_app_still_starts(qtbot, data_dir: Path,
                                                            choose_new_profile) -> None:  # type: ignore[no-untyped-def]
    banks = data_dir / "banks"
    banks.mkdir()
    (banks / "broken.yaml").write_text("bank:\n  id: broken\n  title: [unclosed\nitems: []\n", encoding="utf-8")
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    messages = [str(p) for p in tutor.content.problems]
    assert any(m.startswith(f"{banks / 'broken.yaml'}:") for m in messages), messages
    assert any(b.manifest.id == "icd10cm-conventions" for b in tutor.content.banks)
    assert (banks / "broken.yaml").read_text(encoding="utf-8").startswith("bank:")


def test_exported_results_give_the_numbers_the_progress_page_shows(qtbot, data_dir: Path, tmp_path: Path,
                                                                   choose_new_profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json
    import subprocess
    import sys

    from app.ui.dialogs import SaveFileDialog

    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    assert tutor.choose_profile()
    items = [i for b in tutor.content.banks for i in b.items if isinstance(i, SingleChoice)][:3]
    tutor.start_with(items)
    page = tutor.pages.practice
    for number, item in enumerate(items):
        wrong = next(n for n, o in enumerate(item.options) if not o.correct)
        pick = next(n for n, o in enumerate(item.options) if o.correct) if number != 1 else wrong
        page.pick(page.answer.order.index(pick) + 1)
        page.submit.click()
        qtbot.waitUntil(lambda: page.next.isEnabled())
        page.next.click()
    target = tmp_path / "ana-results.json"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *args: target))
    tutor.window.show_page(tutor.pages.progress)  # the page is drawn when shown (docs/performance.md)
    tutor.pages.progress.export.click()
    assert target.is_file()
    shown = {row[0]: row for row in tutor.pages.progress.item_rows()}
    run = subprocess.run([sys.executable, "-m", "app", "stats", "items", str(target), "--json"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    printed = {row["item"]: row for row in json.loads(run.stdout)}
    assert set(printed) == set(shown) and len(printed) == 3
    for key, row in printed.items():
        assert shown[key][2] == str(row["responses"])
        assert shown[key][3] == f"{row['facility']:.1f}%"
    assert sorted(r["facility"] for r in printed.values()) == [0.0, 100.0, 100.0]


def test_learners_switch_banks_off_and_on(qtbot, data_dir: Path, choose_new_profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.ui.dialogs import BanksDialog

    banks = data_dir / "banks"
    banks.mkdir()
    shutil_source = Path(__file__).parent / "fixtures" / "editor-bank.yaml"
    (banks / "editor-demo.yaml").write_text(shutil_source.read_text(encoding="utf-8").replace(
        "lesson: demo-lesson", "lesson: icd10cm-structure"), encoding="utf-8")
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    assert tutor.choose_profile()
    every = [b.manifest.id for b in tutor.content.banks]
    assert "icd10cm-conventions" in every and "editor-demo" in every
    assert [b.manifest.id for b in tutor.enabled_banks()] == every
    offered = []

    def ask(cls, choices, parent=None):  # type: ignore[no-untyped-def]
        offered.append([(c.bank_id, c.enabled) for c in choices])
        return {"editor-demo"}

    monkeypatch.setattr(BanksDialog, "ask", classmethod(ask))
    tutor.pages.practice.banks.click()
    assert offered == [[(bank_id, True) for bank_id in every]]
    assert [b.manifest.id for b in tutor.enabled_banks()] == ["editor-demo"]
    scopes = [label for _, label in tutor.scopes()]
    assert scopes[0] == "All enabled banks (3 items)"
    tutor.window.close()
    tutor.store.db.close()
    again = build_tutor(resolve_paths(str(data_dir)), quiet=True)  # remembered per profile
    qtbot.addWidget(again.window)
    assert [b.manifest.id for b in again.enabled_banks()] == ["editor-demo"]


CHILD = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.cli import main
from app.main import _application
from app.ui.dialogs import ProfileChoice, ProfileDialog
from app.ui.help import TourDialog
from app.ui.main_window import MainWindow

ProfileDialog.ask = classmethod(lambda cls, profiles, current, parent=None: ProfileChoice(new_name="Ana"))
_application()  # the application exists before the timer, as it does under pytest-qt
seen = []

def close_when_shown():
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if not windows:
        QTimer.singleShot(50, close_when_shown)
        return
    seen.append(windows[0].windowTitle())
    tours = [w for w in QApplication.topLevelWidgets() if isinstance(w, TourDialog) and w.isVisible()]
    seen.append(f"tour of {tours[0].pages.count()} screens" if tours else "no tour")
    windows[0].close()
    QApplication.instance().quit()

QTimer.singleShot(50, close_when_shown)
code = main(["--data-dir", sys.argv[1]])
print(json.dumps({"code": code, "seen": seen}))
"""


def test_python_m_app_with_data_dir_opens_the_main_window(data_dir: Path) -> None:
    """`python -m app --data-dir DIR` runs the CLI into run_gui: migrations, the window, the loop.

    The real event loop runs in a child process: quitting a real `exec()` (with the first-run tour
    open) leaves this thread's event dispatcher unable to fire later tests' timers.
    """
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", CHILD, str(data_dir)], capture_output=True, text=True,
                          timeout=120, env=env, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "seen": ["MedCode Tutor — Ana", "tour of 3 screens"]}  # a first start shows the tour
    assert (data_dir / "learner.sqlite3").is_file()


def test_a_data_dir_that_is_a_file_gets_a_message_not_a_traceback(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    monkeypatch.delenv("MEDCODE_CACHE_DIR", raising=False)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    run = subprocess.run([sys.executable, "-m", "app", "--data-dir", str(blocker), "codes", "search", "E11"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"medcode: {blocker}") and "Not a directory" in run.stderr
