"""Take the screenshots used in README.md and docs/instructors.md from the real windows.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
It uses a throw-away data folder with one learner, answers a few items, and saves PNGs
into docs/images/. Offscreen grabs look the same as grabs under Xvfb.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
IMAGES = REPO / "docs" / "images"


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from app.main import _application, build_tutor
    from app.paths import resolve_paths

    _application()
    folder = Path(tempfile.mkdtemp(prefix="medcode-shots-"))
    os.environ["MEDCODE_CACHE_DIR"] = os.environ.get("MEDCODE_CACHE_DIR", str(folder / "cache"))
    tutor = build_tutor(resolve_paths(str(folder)), quiet=True)
    window = tutor.window
    window.resize(1280, 820)
    tutor.set_profile(tutor.store.create_profile("Sam Student"))
    window.show()
    app = QApplication.instance()
    lesson = tutor.content.modules[0].lessons[1]
    tutor.pages.lessons.select_lesson(lesson.id)
    app.processEvents()
    window.grab().save(str(IMAGES / "main-window.png"))

    items = [i for b in tutor.content.banks for i in b.items]
    case = next(i for i in items if i.type == "coding_case")
    tutor.start_with([case])
    app.processEvents()
    first_key_code = case.key.sections[0].lines[0].codes[0]
    wrong = first_key_code[:-1] + ("D" if first_key_code[-1] == "A" else "9")
    tutor.pages.practice.answer.set_code(0, 0, wrong)
    if len(case.key.sections[0].lines) > 2:
        tutor.pages.practice.answer.set_code(0, 1, case.key.sections[0].lines[2].codes[0])
    tutor.pages.practice.submit.click()
    app.processEvents()
    window.grab().save(str(IMAGES / "practice-case.png"))

    tutor.browser.widget().open_code("S52.521A")
    window.show_page(tutor.browser)
    app.processEvents()
    window.grab().save(str(IMAGES / "code-browser-window.png"))

    window.show_page(tutor.pages.progress)
    tutor.refresh()
    app.processEvents()
    window.grab().save(str(IMAGES / "instructor-progress.png"))

    bank = folder / "icd10cm-conventions.yaml"
    shutil.copy(REPO / "app" / "question_bank" / "icd10cm-conventions.yaml", bank)
    tutor.author.widget()  # builds the author view and its controller, tutor.editor
    tutor.editor.open(bank)
    author = tutor.editor.page
    index = next(i for i in range(tutor.editor.document.item_count())
                 if tutor.editor.document.item(i).get("type") == "coding_case")
    author.select_index(index)
    window.show_page(author)
    app.processEvents()
    window.grab().save(str(IMAGES / "instructor-author-view.png"))
    from app.ui.dialogs import BankChoice, BanksDialog

    dialog = BanksDialog([BankChoice(b.manifest.id, b.manifest.title, len(b.items), True) for b in tutor.content.banks]
                         + [BankChoice("my-class-bank", "Spring cohort: E/M and modifiers (installed package)", 40, False)],
                         window)
    dialog.resize(520, 260)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(IMAGES / "instructor-banks-dialog.png"))
    dialog.close()
    dark_and_every_page(tutor, lesson.id)
    window.close()
    shutil.rmtree(folder, ignore_errors=True)
    print("saved:", ", ".join(sorted(p.name for p in IMAGES.glob("*.png"))))
    return 0


def dark_and_every_page(tutor, lesson_id: str) -> None:  # type: ignore[no-untyped-def]
    """The README's dark-theme shot, then every page at 800x600 and 1920x1080 in both themes
    at the largest text size (the set tests/ui/test_layout_every_page.py checks)."""
    from PySide6.QtWidgets import QApplication

    from app.ui.appearance import LARGEST_TEXT_SIZE
    from app.ui.page_grabs import grab_every_size_and_theme

    window = tutor.window
    window.resize(1280, 820)
    tutor.appearance.set_theme("dark")
    tutor.pages.lessons.select_lesson(lesson_id)
    window.show_page(tutor.pages.lessons)
    QApplication.processEvents()
    window.grab().save(str(IMAGES / "main-window-dark.png"))
    tutor.appearance.set_theme("light")
    pages = IMAGES / "pages"
    pages.mkdir(exist_ok=True)
    for old in pages.glob("*.png"):
        old.unlink()
    grab_every_size_and_theme(tutor, pages, LARGEST_TEXT_SIZE)


if __name__ == "__main__":
    raise SystemExit(main())
