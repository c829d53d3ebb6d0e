"""A newcomer's first minutes: the profile dialog never quits silently; text size and colours
reach every page and survive a restart; the Help menu answers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QTextBrowser, QTreeWidget

from app.main import build_tutor
from app.paths import resolve_paths
from app.ui.dialogs import ProfileDialog


def test_first_start_prefills_and_focuses_a_name_and_an_empty_name_never_quits(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ProfileDialog([], None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.new_name.text().strip() != ""
    qtbot.waitUntil(lambda: dialog.new_name.hasFocus())
    dialog.new_name.clear()
    dialog.start.click()  # "Start studying" with nothing typed
    assert dialog.isVisible() and dialog.result() == 0
    assert "name" in dialog.message.text() and dialog.message.isVisible()
    dialog.new_name.setText("Ana")
    dialog.start.click()
    assert dialog.result() == ProfileDialog.DialogCode.Accepted
    assert dialog.choice().new_name == "Ana"


def test_ask_on_first_start_creates_the_typed_profile(qtbot) -> None:  # type: ignore[no-untyped-def]
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ProfileDialog)
        dialog.new_name.setText("Bea")
        dialog.start.click()

    QTimer.singleShot(50, answer)
    choice = ProfileDialog.ask([], None)
    assert choice is not None and choice.new_name == "Bea"


def _point_size(widget) -> float:  # type: ignore[no-untyped-def]
    widget.ensurePolished()
    return widget.font().pointSizeF()


def test_text_size_reaches_every_page_and_holds_after_a_restart(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    tutor.set_profile(tutor.store.create_profile("Ana"))
    window = tutor.window
    window.show()
    lesson = tutor.content.modules[0].lessons[0]
    tutor.pages.lessons.select_lesson(lesson.id)
    before = _point_size(tutor.pages.lessons.reader)
    for _ in range(3):
        window.step_text_size(1)  # what Ctrl+= does
    assert window.text_size > before
    probes = [tutor.pages.lessons.reader, tutor.pages.lessons.tree, tutor.pages.practice.start,
              tutor.pages.practice.welcome, tutor.pages.progress.recent, tutor.author.widget().open_button, window.nav]
    probes += tutor.browser.widget().findChildren(QTextBrowser)[:1] + tutor.browser.widget().findChildren(QPushButton)[:1]
    for widget in probes:
        assert _point_size(widget) == window.text_size, widget
    assert tutor.pages.lessons.reader.document().defaultFont().pointSizeF() == window.text_size
    big = tutor.pages.progress.findChild(QLabel, "bigFigure")
    assert _point_size(big) > window.text_size
    chosen = window.text_size
    window.close()

    again = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(again.window)
    assert again.window.text_size == chosen
    assert _point_size(again.pages.lessons.findChild(QTreeWidget)) == chosen
    again.window.set_text_size(12, emit=True)  # Ctrl+0
    assert _point_size(again.pages.lessons.tree) == 12


def test_dark_theme_is_a_view_choice_saved_per_install(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    assert tutor.appearance.choice == "system"
    light = QApplication.palette().base().color().lightness()
    dark_action = next(a for a in tutor.window.theme_actions.actions() if a.data() == "dark")
    dark_action.trigger()
    assert tutor.appearance.theme == "dark"
    assert QApplication.palette().base().color().lightness() < 80 <= light
    assert "#1b1f24" in QApplication.instance().styleSheet()
    assert tutor.store.setting("theme") == "dark"
    again = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(again.window)
    assert again.appearance.choice == "dark"
    assert next(a for a in again.window.theme_actions.actions() if a.isChecked()).data() == "dark"
    again.appearance.set_theme("light")


def test_help_menu_shortcuts_data_folder_about_and_a_three_screen_tour(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tutor = build_tutor(resolve_paths(str(data_dir)), quiet=True)
    qtbot.addWidget(tutor.window)
    titles = [a.text() for a in tutor.window.menuBar().actions()]
    assert "&Help" in titles
    texts = {}
    for topic in ("shortcuts", "data", "about"):
        tutor.window.help_requested.emit(topic)
        dialog = tutor.help.opened
        assert dialog is not None and dialog.isVisible()
        texts[topic] = dialog.text.toPlainText()
        dialog.close()
    assert "Ctrl+Enter" in texts["shortcuts"] and "Ctrl+0" in texts["shortcuts"]
    assert str(data_dir / "learner.sqlite3") in texts["data"]
    assert "2026" in texts["about"] and "MIT" in texts["about"]
    assert "American Medical Association" in texts["about"] and "no AMA CPT descriptors" in texts["about"]
    tutor.window.help_requested.emit("tour")
    tour = tutor.help.opened
    seen = []
    for _ in range(3):
        seen.append(tour.pages.currentWidget().text())
        tour.next.click()
    assert len(set(seen)) == 3 and not tour.isVisible()
