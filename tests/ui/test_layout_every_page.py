"""Every page of the main window at 800×600 and 1920×1080, light and dark, largest text.

The pages are found through the main window's sidebar (app/ui/page_grabs.py, the same walk
as scripts/screenshots.py), so pages added later are checked without changing this test.
A coding case with its result and an open bank in the author view are checked as well,
since those are the crowded states. The grabs are saved to a temporary folder, named in the
failure message, to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.main import CONTENT_ROOT, build_tutor
from app.paths import resolve_paths
from app.ui.appearance import LARGEST_TEXT_SIZE
from app.ui.page_grabs import SIZES, THEMES, grab_every_size_and_theme
from tests.ui.layout_check import layout_problems


def crowded_states(tutor, folder: Path, label: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """A coding case after submitting, and the author view with a bank open."""
    items = [i for b in tutor.content.banks for i in b.items]
    cases = [i for i in items if i.type == "coding_case"]
    case = max(cases, key=lambda i: (any(s.code_set.value in ("cpt", "hcpcs") for s in i.key.sections),
                                     len(i.key.sections)))  # the widest rows: modifiers and units
    tutor.start_with([case])
    tutor.pages.practice.answer.set_code(0, 0, "E11.9")
    tutor.pages.practice.submit.click()
    QApplication.processEvents()
    window, found = tutor.window, {}
    window.grab().save(str(folder / f"{label}-case-result.png"))
    found["case result"] = layout_problems(window)
    window.show_page(tutor.editor.page)
    QApplication.processEvents()
    window.grab().save(str(folder / f"{label}-author-open.png"))
    found["author with a bank"] = layout_problems(window)
    return found


@pytest.mark.slow
def test_every_page_fits_at_both_sizes_in_both_themes_at_the_largest_text(qtbot, data_dir: Path,
                                                                         tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    window = tutor.window
    qtbot.addWidget(window)
    tutor.set_profile(tutor.store.create_profile("Sam Student"))
    bank = tmp_path / "bank.yaml"
    shutil.copy(CONTENT_ROOT / "question_bank" / "icd10cm-conventions.yaml", bank)
    tutor.author.widget()  # the author view is built when first opened
    tutor.editor.open(bank)
    window.show()
    qtbot.waitExposed(window)
    grabs = tmp_path / "grabs"
    grabs.mkdir()
    problems = grab_every_size_and_theme(tutor, grabs, LARGEST_TEXT_SIZE, layout_problems,
                                         lambda label: crowded_states(tutor, grabs, label))
    pages = {window.nav.item(r).text() for r in range(window.nav.count())}
    assert {"Lessons", "Practice", "Code browser", "Progress", "Author"} <= pages
    assert len(list(grabs.glob("*.png"))) == len(SIZES) * len(THEMES) * (len(pages) + 2)
    report = "\n".join(f"{state}: {problem}" for state, found in problems.items() for problem in found)
    assert not problems, f"grabs in {grabs}\n{report}"
