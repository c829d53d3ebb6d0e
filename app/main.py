"""The composition root: open the stores, run migrations, load content, build the window.

Nothing else in the app constructs stores or wires views to controllers (DESIGN.md,
convention 7). Tests call `build_tutor` to get the same wiring without an event loop.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.core.codeset import CodeSet
from app.core.models import Bank
from app.core.problems import Problem
from app import resources
from app.paths import APP_NAME, ORG_NAME, AppPaths, resolve_paths
from app.store.database import open_learner_db, settle
from app.store.learners import LearnerStore

# The package folder: lessons/, question_bank/ and assets/ are inside it (app/resources.py).
CONTENT_ROOT = resources.PACKAGE_DIR
STYLESHEET = resources.STYLESHEET
log = logging.getLogger(__name__)


def load_content(paths: AppPaths):  # type: ignore[no-untyped-def]
    """Lessons and banks from the app and from the user's installed bank packages.

    Parsed files come from the content cache in the cache folder (app/content/cache.py):
    a start parses only the files that changed since the last one.
    """
    from app.content.bank import load_banks
    from app.content.cache import ContentCache
    from app.content.lessons import load_lessons
    from app.ui.tutor import Content

    cache = ContentCache(paths.cache_dir / "content")
    modules, problems = load_lessons(resources.LESSONS_DIR, cache)
    banks: list[Bank] = []
    for folder in (resources.BANKS_DIR, paths.banks_dir):
        if folder.is_dir():
            found, found_problems = load_banks(folder, cache=cache)
            problems += found_problems
            for bank in found:
                if any(b.manifest.id == bank.manifest.id for b in banks):
                    problems.append(Problem(bank.path, 1, "bank.id", f"a bank with id {bank.manifest.id!r} is already loaded; skipped"))
                else:
                    banks.append(bank)
    for problem in problems:
        log.warning("%s", problem)
    return Content(modules=modules, banks=banks, problems=problems)


def open_codes(paths: AppPaths, parent: QWidget | None = None) -> CodeSet:
    """The code-set database, built on first use (with a progress dialog in the GUI)."""
    from app.codesets.build import database_is_current
    from app.codesets.database import SqliteCodeSet

    if not database_is_current(paths.codes_db):
        from app.ui.build_dialog import build_with_progress

        build_with_progress(paths.codes_db, parent)
    return SqliteCodeSet(paths.codes_db, user_db=paths.user_codes_db)


def _bank_checker(codes: CodeSet, lesson_ids: set[str]) -> Callable[[Path], list[Problem]]:
    """The author view's live check: the same checks as `medcode bank check`."""
    from app.content.checker import check_bank_file

    return lambda path: check_bank_file(path, codes, lesson_ids)


def _drills(tutor, codes: CodeSet, browser):  # type: ignore[no-untyped-def]
    """The practice page's Drills row and its controller; `code:` links in results open the code
    browser page (a lazy page: built on the first click). The glossary (YAML) is read on the
    first drill, not at start."""
    from app.ui.drill_bar import DrillBar
    from app.ui.drill_controller import DrillController

    def load_glossary():  # type: ignore[no-untyped-def]
        from app.content.glossary import load_glossary as load

        return load()

    page = tutor.pages.practice
    bar = DrillBar(page)
    page.layout().insertWidget(1, bar)
    page.link_clicked.connect(lambda target: (browser.widget().open_link(target), tutor.window.show_page(browser)))
    return DrillController(bar, tutor, codes, load_glossary)  # type: ignore[arg-type]


def build_tutor(paths: AppPaths, now: Callable[[], datetime] | None = None, quiet: bool = False):  # type: ignore[no-untyped-def]
    """Build every part of the running app for `paths` and connect them.

    Only the pages the learner sees first are built here. Every other page is added with
    `window.add_lazy_page(title, build)`: `build` makes the page (and its controller) the
    first time the page is opened, so its imports and construction cost nothing at start.
    New pages follow the `_author_page` pattern below: a function that builds the view, wires
    its controller, and returns the view.
    """
    from app.core.scoring import grade
    from app.ui.case_answer import case_factory, code_page_opener
    from app.ui.lesson_links import LessonLinks
    from app.ui.lessons_page import LessonsPage
    from app.ui.main_window import MainWindow
    from app.ui.operations import DataOps
    from app.ui.practice_page import PracticePage
    from app.ui.progress_page import ProgressPage
    from app.study_figures import STATISTICS_FILE, load_facilities
    from app.ui.study import StudyController
    from app.ui.today_page import TodayPage
    from app.ui.tutor import Pages, Tutor

    clock = now or (lambda: datetime.now(UTC))
    store = LearnerStore(open_learner_db(paths.learner_db, _backup_before_migrating(paths, clock)))
    appearance = _appearance(store)  # before any widget exists: nothing is restyled twice
    window = MainWindow()
    codes = open_codes(paths, window)
    content = load_content(paths)
    ops = DataOps(lambda: window, quiet=quiet)
    ops.after_database_error = lambda: settle(store.db)
    pages = Pages(LessonsPage(), PracticePage(case_factory(codes, lambda code: open_code(code))), ProgressPage())
    today = TodayPage()
    window.add_page("Today", today)
    window.add_page("Lessons", pages.lessons)
    window.add_page("Practice", pages.practice)
    browser = window.add_lazy_page("Code browser", lambda: _code_browser(codes))
    open_code = code_page_opener(window, browser)
    mistakes = window.add_lazy_page("Mistakes", _mistakes_page)
    dashboard = window.add_lazy_page("Dashboard", _dashboard_page)
    window.add_page("Progress", pages.progress)
    window.add_lazy_page("Glossary", _glossary_page)
    tutor = Tutor(window, pages, store, codes, content, grade, clock, ops)
    tutor.safety = _wire_safety(tutor, paths)
    tutor.browser = browser  # a LazyPage: `tutor.browser.widget()` is the CodeBrowser
    tutor.exams = None  # the ExamController, made with its page (`tutor.exams_page.widget()`)
    tutor.exams_page = window.add_lazy_page("Exams", lambda: _exam_page(tutor, paths, case_factory(codes, open_code)))
    tutor.author = window.add_lazy_page("Author", lambda: _author_page(tutor, codes, ops, paths))
    tutor.drills = _drills(tutor, codes, browser)
    tutor.study = StudyController(tutor, today, mistakes, dashboard,
                                  load_facilities(paths.data_dir / STATISTICS_FILE))
    tutor.profile_listeners.append(tutor.study.refresh)
    tutor.lesson_links = LessonLinks(pages.lessons, content.modules, open_code)
    # Unsaved bank edits: Save / Discard / Cancel before the window closes.
    window.close_guards.append(lambda: tutor.editor.can_close() if getattr(tutor, "editor", None) else True)
    _wire_appearance_and_help(tutor, appearance, paths)
    _restore_settings(tutor)
    return tutor


def _code_browser(codes: CodeSet) -> QWidget:
    from app.ui.code_browser import CodeBrowser

    return CodeBrowser(codes)


def _mistakes_page() -> QWidget:
    from app.ui.mistakes_page import MistakesPage

    return MistakesPage()


def _dashboard_page() -> QWidget:
    from app.ui.dashboard_page import DashboardPage  # pyqtgraph and numpy: only when first opened

    return DashboardPage()


def _glossary_page() -> QWidget:
    from app.ui.glossary import build_glossary_page  # the glossary file is read when first opened

    return build_glossary_page()


def _author_page(tutor, codes: CodeSet, ops, paths: AppPaths) -> QWidget:  # type: ignore[no-untyped-def]
    """The author view and its controller (`tutor.editor`), built when the page is first opened."""
    from app.ui.author_page import AuthorPage
    from app.ui.bank_editor import BankEditor

    lesson_ids = tutor.content.lesson_ids()
    page = AuthorPage(sorted(lesson_ids))
    tutor.editor = BankEditor(page, _bank_checker(codes, lesson_ids), ops,
                              recovery_dir=paths.data_dir / "recovery")
    return page


def _appearance(store: LearnerStore):  # type: ignore[no-untyped-def]
    """Theme and text size as saved for this install, applied through the stylesheet."""
    from app.ui.appearance import Appearance

    appearance = Appearance(QApplication.instance(), STYLESHEET)  # type: ignore[arg-type]
    size = store.setting("text_size")
    if size and size.isdigit():
        appearance.text_size = int(size)
    appearance.set_theme(store.setting("theme") or "system")
    return appearance


def _wire_appearance_and_help(tutor, appearance, paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    """View menu choices go to the appearance (and are saved); the Help menu's topics."""
    from app import __version__
    from app.ui.help import HelpController

    window, store = tutor.window, tutor.store
    appearance.setParent(window)  # deleted with the window, never later by the garbage collector
    window.show_theme(appearance.choice)
    appearance.applied.connect(lambda _theme, _size: window.fit_navigation())
    window.text_size_changed.connect(appearance.set_text_size)
    window.theme_chosen.connect(appearance.set_theme)
    window.theme_chosen.connect(lambda choice: tutor.ops.run(
        "save your settings", lambda: store.set_settings({"theme": choice})))
    tutor.appearance = appearance
    _remember_folders(tutor)
    tutor.help = HelpController(window, paths, tutor.codes, __version__)
    window.help_requested.connect(tutor.help.show)


def _remember_folders(tutor) -> None:  # type: ignore[no-untyped-def]
    """File dialogs start in the last folder used (saved per install), else in Documents."""
    from app.ui.dialogs import Folders

    saved = tutor.store.setting("last_folder")
    Folders.last = Path(saved) if saved else None
    Folders.on_change = lambda folder: tutor.ops.run(
        "save your settings", lambda: tutor.store.set_settings({"last_folder": str(folder)}))


def _restore_settings(tutor) -> None:  # type: ignore[no-untyped-def]
    """Text size, window geometry and the last learner, as they were at the last close."""
    from app.ui.main_window import restore_geometry

    store, window = tutor.store, tutor.window
    size = store.setting("text_size")
    if size and size.isdigit():
        window.set_text_size(int(size))
    saved = store.setting("geometry")
    if saved:
        from PySide6.QtCore import QByteArray

        restore_geometry(window, bytes(QByteArray.fromBase64(saved.encode())))
    last = store.setting("last_profile")
    if last and last.isdigit() and (profile := store.profile(int(last))):
        tutor.set_profile(profile)
    _offer_exam_resume(tutor)


def _offer_exam_resume(tutor) -> None:  # type: ignore[no-untyped-def]
    """An exam left running (closed, crashed, killed): open the Exams page, which offers to resume it."""
    from app.store.exams import ExamStore

    if tutor.profile is not None and ExamStore(tutor.store.db).has_running_exam(tutor.profile.id):
        tutor.window.show_page(tutor.exams_page)


def _exam_page(tutor, paths: AppPaths, cases) -> QWidget:  # type: ignore[no-untyped-def]
    """The mock-exam page and its controller (`tutor.exams`, docs/exams.md), built when first opened."""
    from app.content.exam_forms import load_forms, shipped_forms_folder
    from app.store.exams import ExamStore
    from app.ui.exam_controller import ExamController
    from app.ui.exam_page import ExamPage

    forms, problems = load_forms([shipped_forms_folder(), paths.banks_dir])
    tutor.content.problems.extend(problems)
    page = ExamPage(cases)
    controller = ExamController(
        page, ExamStore(tutor.store.db), forms,
        items=lambda: [i for b in tutor.enabled_banks() for i in b.items],
        all_items=lambda: [i for b in tutor.content.banks for i in b.items],
        grade=tutor._grade_item, record=tutor._record, now=tutor.now, ops=tutor.ops,
        profile=lambda: tutor.profile, lock_navigation=tutor.window.set_navigation_locked,
        open_book=lambda: _open_book(tutor))
    tutor.window.closing.connect(lambda _geometry: controller.suspend())
    tutor.window.nav.currentRowChanged.connect(
        lambda _row: tutor.window.pages.currentWidget() is page and controller.refresh())
    tutor.ops.changed.connect(lambda what: what == "banks" and controller.refresh())
    tutor.profile_listeners.append(controller.refresh)
    tutor.exams = controller
    controller.refresh()
    return page


def _open_book(tutor) -> None:  # type: ignore[no-untyped-def]
    """The code browser in its own window, so the exam stays on screen beside it."""
    from PySide6.QtWidgets import QDialog, QVBoxLayout

    from app.ui.code_browser import CodeBrowser

    dialog = getattr(tutor, "_book_dialog", None)
    if dialog is None:
        dialog = QDialog(tutor.window)
        dialog.setWindowTitle("Code browser (open book)")
        dialog.resize(900, 640)
        QVBoxLayout(dialog).addWidget(CodeBrowser(tutor.codes))
        tutor._book_dialog = dialog
    dialog.show()
    dialog.raise_()


def _backup_before_migrating(paths: AppPaths, clock: Callable[[], datetime]):  # type: ignore[no-untyped-def]
    """Migrations change the schema in place: a backup first, so an upgrade can be undone."""
    from app.store.backups import make_backup

    return lambda db: make_backup(db, paths.backups_dir, "before-migration", clock())


def _wire_safety(tutor, paths: AppPaths):  # type: ignore[no-untyped-def]
    """Backups, restore, check and profile moves (docs/data-safety.md), on the window's menus."""
    from app.ui.data_safety import DataSafety

    window = tutor.window
    safety = DataSafety(paths, tutor.store, tutor.ops, window, tutor.now,
                        lambda: tutor.profile.id if tutor.profile else None, tutor.reload_profile)
    window.restore_requested.connect(safety.restore)
    window.export_profile_requested.connect(safety.export_profile)
    window.import_profile_requested.connect(safety.import_profile)
    window.check_database_requested.connect(safety.check_database)
    window.closing.connect(lambda _geometry: safety.at_close())
    tutor.backup_before = safety.backup_now
    safety.at_start()
    return safety


def _refuse(message: str) -> int:
    """Tell the user why the app will not start: stderr always, a message box when one can be seen."""
    print(message, file=sys.stderr, flush=True)
    if QApplication.platformName() not in ("offscreen", "minimal"):
        QMessageBox.critical(None, APP_NAME, message)
    return 2


def _application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setStyle("Fusion")  # the same look everywhere, and palettes (the dark theme) are honoured
    _set_icon(app)
    return app  # type: ignore[return-value]


def _set_icon(app: QApplication) -> None:
    """The window and task-bar icon, from the PNGs shipped in app/assets/icons."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for path in resources.ICONS:
        if path.is_file():
            icon.addFile(str(path))
    if not icon.isNull():
        app.setWindowIcon(icon)


class _QuitAfterFirstPaint(QObject):
    """Quits the event loop once the first paint pass of the window is over (start-up benchmark).

    Qt paints every dirty widget of a window in one pass; a zero timer started by the first
    paint event fires when that pass has finished, so the lesson is on screen when we quit.
    """

    def __init__(self, app: QApplication):
        super().__init__(app)
        self._app, self._armed = app, True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if self._armed and event.type() == QEvent.Type.Paint:
            self._armed = False
            QTimer.singleShot(0, self._app.quit)
        return False


def run_gui(data_dir: str | None, quit_after_first_paint: bool = False) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    app = _application()
    paths = resolve_paths(data_dir)
    from app.instance_lock import DataFolderBusy, acquire
    from app.leftovers import remove_leftovers
    from app.store.database import NewerDatabaseError

    try:
        lock = acquire(paths.data_dir)  # held until this function returns: one writer per folder
    except DataFolderBusy as error:
        return _refuse(str(error))
    except OSError as error:
        return _refuse(f"MedCode Tutor cannot use {paths.data_dir}: {error}")
    remove_leftovers([paths.cache_dir, paths.data_dir], paths.banks_dir)
    try:
        tutor = build_tutor(paths)
    except NewerDatabaseError as error:
        return _refuse(f"{paths.learner_db}: {error}. Nothing was changed.")
    except sqlite3.DatabaseError as error:
        message = f"The learner data file {paths.learner_db} cannot be opened: {error}"
        print(message, file=sys.stderr)
        QMessageBox.critical(None, APP_NAME, message + "\n\nNothing was changed.")
        return 2
    except OSError as error:  # the data or cache folder is a file, read-only or full
        message = f"MedCode Tutor cannot use {error.filename or 'its data folder'}: {error.strerror or error}"
        print(message, file=sys.stderr)
        QMessageBox.critical(None, APP_NAME, message + "\n\nChoose another folder with --data-dir.")
        return 2
    except RuntimeError as error:  # app.ui.build_dialog.CodeSetBuildError: the dialog has said why
        print(f"The code sets could not be prepared: {error}", file=sys.stderr)
        return 2
    if tutor.profile is None and not tutor.choose_profile():
        return 0
    if quit_after_first_paint:
        app.installEventFilter(_QuitAfterFirstPaint(app))
    tutor.window.show()
    if not tutor.store.setting("tour_seen") and not quit_after_first_paint:
        tutor.ops.run("save your settings", lambda: tutor.store.set_settings({"tour_seen": "1"}))
        tutor.help.show("tour")
    from app.ui.exam_script import schedule

    schedule(tutor)  # only when the crash test sets MEDCODE_EXAM_SCRIPT
    status = app.exec()
    lock.unlock()
    return status
