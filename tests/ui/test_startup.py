"""Start-up: pages built when first opened, heavy modules left unimported, the last lesson reopened.

Runs the real composition root on a real data folder; the import checks run the app in a
fresh interpreter, because this test process has long since imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from app.main import build_tutor
from app.paths import resolve_paths
from app.store.database import open_learner_db
from app.store.learners import LearnerStore

REPO = Path(__file__).resolve().parents[2]


def _learner(data_dir: Path, read: str | None = "icd10cm-structure") -> None:
    store = LearnerStore(open_learner_db(data_dir / "learner.sqlite3"))
    profile = store.create_profile("Ana")
    store.set_settings({"last_profile": str(profile.id)})
    if read:
        store.mark_lesson_read(profile.id, read, datetime(2026, 1, 5, tzinfo=UTC))
    store.db.close()


def test_code_browser_and_author_view_are_built_when_first_opened(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    _learner(data_dir)
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    titles = [tutor.window.nav.item(row).text() for row in range(tutor.window.nav.count())]
    assert titles[:3] == ["Today", "Lessons", "Practice"] and titles[-1] == "Author"
    lazy = {tutor.window.nav.item(row).text() for row in tutor.window.lazy_pages}
    assert {"Code browser", "Mistakes", "Dashboard", "Author"} <= lazy  # other issues add theirs
    assert not any(page.built for page in tutor.window.lazy_pages.values()) and not hasattr(tutor, "editor")
    tutor.window.show()
    tutor.window.nav.setCurrentRow(titles.index("Author"))  # what a click in the navigation does
    assert tutor.author.built and tutor.window.pages.currentWidget() is tutor.author.widget()
    assert tutor.editor.page is tutor.author.widget()  # the controller was wired when it was built
    assert not tutor.browser.built
    tutor.window.show_page(tutor.browser)
    assert tutor.browser.built and tutor.window.nav.currentRow() == titles.index("Code browser")
    assert tutor.window.pages.count() == len(titles)  # placeholders were replaced, not added to
    assert tutor.browser.widget().open_code("E11.9")
    tutor.store.db.close()


def test_the_last_lesson_read_is_open_at_start_without_counting_a_read(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    _learner(data_dir, read="icd10cm-seventh-character")
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    assert tutor.pages.lessons.current_lesson() == "icd10cm-seventh-character"
    assert "7th" in tutor.pages.lessons.reader.toPlainText()
    assert [r.times for r in tutor.store.lesson_reads(tutor.profile.id)] == [1]
    tutor.store.db.close()


def test_a_new_learner_has_no_lesson_open(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    _learner(data_dir, read=None)
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    assert tutor.pages.lessons.current_lesson() is None
    tutor.store.db.close()


PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.main import build_tutor
from app.paths import resolve_paths
tutor = build_tutor(resolve_paths(sys.argv[1]), quiet=True)
heavy = ["sqlite_utils", "ruamel.yaml", "yaml", "numpy", "pyqtgraph", "app.ui.code_browser", "app.ui.author_page",
         "app.ui.bank_editor", "app.ui.dashboard_page", "app.ui.mistakes_page", "app.content.bank_yaml",
         "app.content.checker", "app.content.check_command"]
print(json.dumps({"loaded": [m for m in heavy if m in sys.modules], "lesson": tutor.pages.lessons.current_lesson()}))
"""


def _own_cache(tmp_path: Path, codes_db_path: Path) -> dict[str, str]:
    """An environment with a cache folder of its own (an empty content cache, the built code sets)."""
    cache = tmp_path / "own-cache"
    cache.mkdir()
    (cache / codes_db_path.name).symlink_to(codes_db_path)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MEDCODE_CACHE_DIR=str(cache), PYTHONDONTWRITEBYTECODE="1")
    env.pop("MEDCODE_DATA_DIR", None)
    return env


def test_a_start_with_a_warm_content_cache_imports_no_parser_and_no_lazy_page(
        data_dir: Path, tmp_path: Path, codes_db_path: Path) -> None:
    _learner(data_dir)
    env = _own_cache(tmp_path, codes_db_path)
    first = subprocess.run([sys.executable, "-c", PROBE, str(data_dir)], capture_output=True, text=True,
                           check=False, cwd=REPO, env=env)
    assert first.returncode == 0, first.stderr
    assert "ruamel.yaml" in json.loads(first.stdout)["loaded"] or "yaml" in json.loads(first.stdout)["loaded"]
    again = subprocess.run([sys.executable, "-c", PROBE, str(data_dir)], capture_output=True, text=True,
                           check=False, cwd=REPO, env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == {"loaded": [], "lesson": "icd10cm-structure"}


def test_quit_after_first_paint_starts_paints_and_exits(data_dir: Path, tmp_path: Path, codes_db_path: Path) -> None:
    _learner(data_dir)
    run = subprocess.run([sys.executable, "-m", "app", "--data-dir", str(data_dir), "--quit-after-first-paint"],
                         capture_output=True, text=True, check=False, cwd=REPO, timeout=120,
                         env=_own_cache(tmp_path, codes_db_path))
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr


def test_progress_is_drawn_when_shown_and_item_rows_only_when_first_attempts_change(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from app.core.learner import AttemptDraft

    _learner(data_dir)
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    tutor.window.show()
    progress = tutor.pages.progress
    assert progress.items_label.text() == ""  # not drawn at start: the page is not on screen
    item = next(i for b in tutor.content.banks for i in b.items)

    def answer(minute: int, score: float) -> None:
        tutor._record(AttemptDraft(item.meta.id, item.meta.bank, str(item.type), item.meta.topic, 1, score, 1.0,
                                   score == 1.0, 20.0, datetime(2026, 2, 1, 9, minute, tzinfo=UTC)))

    answer(0, 1.0)
    assert progress.items_label.text() == ""
    tutor.window.show_page(progress)
    assert progress.items_label.text().startswith("1 of") and progress.item_rows()[0][3] == "100.0%"
    table_before = progress.items.item(0, 0)
    answer(1, 0.0)  # a second answer: totals change, the first attempt (and the item table) do not
    assert "2 answers" in progress.answers_label.text() and progress.accuracy_label.text() == "50%"
    assert progress.items.item(0, 0) is table_before and progress.item_rows()[0][3] == "100.0%"
    tutor.store.db.close()
