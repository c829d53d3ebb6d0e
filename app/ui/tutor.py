"""The tutor controller: connects the passive views to the session, the stores and content.

It is built only by the composition root (app/main.py) and receives everything it uses:
the learner store, the code set, the loaded content, the grader and the clock. It holds
the current profile and practice session; views never see the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtWidgets import QMessageBox

from app.core.codeset import CodeSet
from app.core.learner import AttemptDraft, Profile
from app.core.models import Bank, GradeResult, Item, Module
from app.core.problems import Problem
from app.core.progress import summary_from_totals
from app.core.session import PracticeSession, State, display_title
from app.store.learners import LearnerStore, ProfileNameError
from app.store.progress import ProgressStore
from app.ui.dialogs import BankChoice, BanksDialog, ConfirmDialog, NameDialog, ProfileDialog, SaveFileDialog
from app.ui.lessons_page import LessonsPage
from app.ui.main_window import MainWindow
from app.ui.operations import DataOps
from app.ui.practice_page import PracticePage
from app.ui.progress_page import ProgressPage

Grade = Callable[[Item, object, CodeSet, object], GradeResult]


class SaveFailed(RuntimeError):
    """The attempt could not be stored; the session must not move on."""


@dataclass
class Content:
    modules: list[Module]
    banks: list[Bank]
    problems: list[Problem] = field(default_factory=list)

    def lesson(self, lesson_id: str):  # type: ignore[no-untyped-def]
        return next((l for m in self.modules for l in m.lessons if l.id == lesson_id), None)

    def lesson_ids(self) -> set[str]:
        return {lesson.id for module in self.modules for lesson in module.lessons}


@dataclass
class Pages:
    lessons: LessonsPage
    practice: PracticePage
    progress: ProgressPage


class Tutor:
    def __init__(self, window: MainWindow, pages: Pages, store: LearnerStore, codes: CodeSet,
                 content: Content, grade: Grade, now: Callable[[], datetime], ops: DataOps):
        self.window, self.pages, self.store, self.codes = window, pages, store, codes
        self.content, self._grade, self.now, self.ops = content, grade, now, ops
        self.progress_store = ProgressStore(store.db)
        self._progress_stale = True  # drawn when the Progress page is on screen, not before
        self._items_shown_for: tuple[int, object] | None = None  # whose first attempts the table shows
        self.profile: Profile | None = None
        # Items that live outside the banks (generated drills), found again by (bank id, item id).
        self.item_sources: list[Callable[[str, str], Item | None]] = []
        self.session: PracticeSession | None = None
        self.profile_listeners: list[Callable[[], None]] = []  # e.g. the study controller
        # Set by the composition root: makes a backup before an irreversible step (or None).
        self.backup_before: Callable[[str], object] | None = None
        self._connect()

    # -- wiring ------------------------------------------------------------------------
    def _connect(self) -> None:
        w, p = self.window, self.pages
        w.profile_switch_requested.connect(self.choose_profile)
        w.profile_create_requested.connect(self.create_profile)
        w.profile_rename_requested.connect(self.rename_profile)
        w.profile_delete_requested.connect(self.delete_profile)
        w.text_size_changed.connect(lambda size: self._save({"text_size": str(size)}))
        w.closing.connect(lambda geometry: self._save({"geometry": bytes(geometry.toBase64()).decode()}))
        w.problems_requested.connect(self.show_problems)
        p.lessons.lesson_selected.connect(self.open_lesson)
        p.lessons.practise_requested.connect(lambda lesson_id: self.start_practice(f"lesson:{lesson_id}"))
        p.lessons.lesson_read.connect(self.mark_lesson_read)
        p.practice.start_requested.connect(self.start_practice)
        p.practice.submitted.connect(self.submit)
        p.practice.next_requested.connect(self.next_item)
        p.practice.banks_requested.connect(self.choose_banks)
        p.progress.export_requested.connect(self.export_results)
        p.progress.answer_opened.connect(self.open_attempt)
        p.progress.set_titles({i.meta.id: display_title(i) for b in self.content.banks for i in b.items})
        self.ops.changed.connect(self.refresh)
        w.pages.currentChanged.connect(lambda _index: self._refresh_progress_if_shown())
        w.show_problem_count(sum(1 for pr in self.content.problems if pr.severity == "error"))

    def _save(self, values: dict[str, str]) -> None:
        self.ops.run("save your settings", lambda: self.store.set_settings(values))

    # -- profiles ----------------------------------------------------------------------
    def choose_profile(self) -> bool:
        current = self.profile.id if self.profile else None
        choice = ProfileDialog.ask(self.store.profiles(), current, self.window)
        if choice is None:
            return self.profile is not None
        if choice.profile_id is not None:
            chosen = self.store.profile(choice.profile_id)
        else:
            chosen = self.ops.run("create the profile", lambda: self.store.create_profile(choice.new_name), "profiles")
        if chosen is None:
            return self.profile is not None
        self.set_profile(chosen)
        return True

    def set_profile(self, profile: Profile) -> None:
        self.profile = profile
        self.session = None
        self._save({"last_profile": str(profile.id)})
        self.window.show_profile(profile.name)
        self.pages.practice.show_welcome("Choose what to practise and press <b>Start practice</b>.")
        self.refresh("profiles")
        self._resume_lesson()
        for listener in self.profile_listeners:
            listener()

    def _resume_lesson(self) -> None:
        """Open the lesson this learner read last, where they left off (not counted as a read)."""
        reads = self.store.lesson_reads(self.profile.id) if self.profile else []
        last = max(reads, key=lambda read: read.last_read_at, default=None)
        lesson = self.content.lesson(last.lesson_id) if last else None
        if lesson is not None:
            self.pages.lessons.show_lesson(lesson)
            self.pages.lessons.select_lesson(lesson.id)  # already current: no second read recorded

    def create_profile(self) -> None:
        name = NameDialog.ask(self.window, "New learner", "Name:")
        if name:
            created = self.ops.run("create the profile", lambda: self.store.create_profile(name), "profiles")
            if created is not None:
                self.set_profile(created)

    def rename_profile(self) -> None:
        if self.profile is None:
            return
        name = NameDialog.ask(self.window, "Rename learner", "New name:", self.profile.name)
        if name:
            renamed = self.ops.run("rename the profile", lambda: self.store.rename_profile(self.profile.id, name), "profiles")
            if renamed is not None:
                self.profile = renamed
                self.window.show_profile(renamed.name)

    def delete_profile(self) -> None:
        if self.profile is None:
            return
        others = [p for p in self.store.profiles() if p.id != self.profile.id]
        text = (f"Delete the learner “{self.profile.name}” and all of their answers and progress? "
                "A backup of all learners' data is made first (Profile ▸ Restore… brings it back).")
        if not ConfirmDialog.ask(self.window, "Delete learner", text, "Delete"):
            return
        if self.backup_before is not None and self.backup_before("before-delete") is None:
            return  # no backup, no delete: DataOps has said why
        doomed, name = self.profile.id, self.profile.name
        if not self.ops.run("delete the profile", lambda: self.store.delete_profile(doomed), "profiles"):
            return  # DataOps has said why; the profile is still there and still chosen
        self.profile = None
        if others:
            self.set_profile(others[0])
        else:
            self.choose_profile()
        self.window.statusBar().showMessage(
            f"Deleted “{name}”. A backup from just before is in Profile ▸ Restore….", 15000)

    def reload_profile(self) -> None:
        """After a restore or an import: the current learner again, as the data now has them."""
        fresh = self.store.profile(self.profile.id) if self.profile else None
        if fresh is not None:
            self.set_profile(fresh)
        else:
            self.profile, self.session = None, None
            self.choose_profile()

    # -- lessons -----------------------------------------------------------------------
    def open_lesson(self, lesson_id: str) -> None:
        lesson = self.content.lesson(lesson_id)
        if lesson is None or self.profile is None:
            return
        self.pages.lessons.show_lesson(lesson)  # it says when the lesson has been read

    def mark_lesson_read(self, lesson_id: str) -> None:
        if self.profile is None:
            return
        pid = self.profile.id
        self.ops.run("remember the lesson", lambda: self.store.mark_lesson_read(pid, lesson_id, self.now()), "lessons")

    # -- practice ------------------------------------------------------------------------
    def enabled_banks(self) -> list[Bank]:
        disabled = self.store.disabled_banks(self.profile.id) if self.profile else set()
        return [bank for bank in self.content.banks if bank.manifest.id not in disabled]

    def scopes(self) -> list[tuple[str, str]]:
        banks = self.enabled_banks()
        count = sum(len(b.items) for b in banks)
        scopes = [("all", f"All enabled banks ({count} items)")]
        scopes += [(f"bank:{b.manifest.id}", f"Bank: {b.manifest.title} ({len(b.items)})") for b in banks]
        for module in self.content.modules:
            for lesson in module.lessons:
                n = sum(1 for b in banks for i in b.items if i.meta.lesson == lesson.id)
                if n:
                    scopes.append((f"lesson:{lesson.id}", f"Lesson: {lesson.title} ({n})"))
        return scopes

    def items_for(self, scope: str) -> list[Item]:
        items = [item for bank in self.enabled_banks() for item in bank.items]
        kind, _, key = scope.partition(":")
        if kind == "bank":
            return [i for i in items if i.meta.bank == key]
        if kind == "lesson":
            return [i for i in items if i.meta.lesson == key]
        return items

    def choose_banks(self) -> None:
        """Let the learner switch banks on and off for practice (remembered per profile)."""
        if self.profile is None:
            return
        disabled = self.store.disabled_banks(self.profile.id)
        choices = [BankChoice(b.manifest.id, b.manifest.title, len(b.items), b.manifest.id not in disabled)
                   for b in self.content.banks]
        enabled = BanksDialog.ask(choices, self.window)
        if enabled is None:
            return
        pid = self.profile.id

        def save() -> None:
            for choice in choices:
                self.store.set_bank_enabled(pid, choice.bank_id, choice.bank_id in enabled)

        self.ops.run("save your bank choices", save, "banks")

    def results_document(self) -> dict[str, object]:
        """This learner's result export (docs/results-export.md)."""
        from app import __version__
        from app.core.results import export_document

        assert self.profile is not None
        items = [item for bank in self.content.banks for item in bank.items]
        known = {(item.meta.bank, item.meta.id) for item in items}
        attempts = self.store.attempts(self.profile.id)
        for key in dict.fromkeys((a.bank_id, a.item_id) for a in attempts if (a.bank_id, a.item_id) not in known):
            items += [found for source in self.item_sources if (found := source(*key)) is not None]
        known = {(item.meta.bank, item.meta.id) for item in items}
        # An attempt whose item is gone (a removed bank, a drill the code data no longer supports)
        # cannot be described, so it is left out rather than making the whole export unreadable.
        attempts = [a for a in attempts if (a.bank_id, a.item_id) in known]
        return export_document(self.profile.name, attempts, items, self.now(), __version__)

    def export_results(self) -> None:
        """Write the learner's results to a JSON file the instructor can feed to `stats items`."""
        from app.content.results_file import write_json_atomic

        if self.profile is None:
            return
        suggested = f"{self.profile.name.replace(' ', '-').lower()}-results.json"
        path = SaveFileDialog.ask(self.window, "Export my results", suggested, "Result exports (*.json)")
        if path is None:
            return
        document = self.results_document()
        if self.ops.run("export your results", lambda: write_json_atomic(path, document)) is not None:
            self.window.statusBar().showMessage(f"Results exported to {path}", 8000)

    def start_practice(self, scope: str) -> None:
        """Practise a scope; the scope combo shows what is being practised (not "all 36")."""
        scope = scope or "all"
        if self.profile is not None:
            self.pages.practice.set_scopes(self.scopes(), scope)
        self.start_with(self.items_for(scope))

    def start_with(self, items: list[Item]) -> None:
        if self.profile is None or not items:
            self.pages.practice.show_welcome("There are no items to practise here yet.")
            return
        self.window.show_page(self.pages.practice)
        self.session = PracticeSession(items, self.pages.practice, self._grade_item, self._record)
        self.session.start(self.now())

    def _grade_item(self, item: Item, response: object) -> GradeResult:
        bank = next((b for b in self.content.banks if b.manifest.id == item.meta.bank), None)
        return self._grade(item, response, self.codes, bank.manifest.policy if bank else None)

    def _record(self, draft: AttemptDraft) -> None:
        pid = self.profile.id if self.profile else None
        if pid is None or self.ops.run("save your answer", lambda: self.store.record_attempt(pid, draft), "attempts") is None:
            raise SaveFailed(draft.item_id)

    def submit(self, response: object) -> None:
        if self.session is not None and self.session.state is State.ASKING:
            try:
                self.session.submit(response, self.now())
            except SaveFailed:
                pass  # DataOps has told the learner; the item stays open to submit again

    def next_item(self) -> None:
        if self.session is not None and self.session.state is State.ANSWERED:
            self.session.next(self.now())

    # -- refreshing views ------------------------------------------------------------------
    def refresh(self, what: str = "") -> None:
        """Redraw what `what` changed ("" = everything), from SQL aggregates (app/store/progress.py);
        a damaged page in this learner's rows is reported, never raised."""
        self.ops.run("show this learner's progress (Tools ▸ Check database can repair damaged data)",
                     lambda: self._refresh(what))

    def _refresh(self, what: str) -> None:
        if self.profile is None:
            return
        if what in ("", "profiles", "lessons", "banks"):
            pid = self.profile.id
            reads = self.store.lesson_reads(pid)
            practice_lessons = {i.meta.lesson for b in self.enabled_banks() for i in b.items}
            self.pages.lessons.show_modules(self.content.modules, {r.lesson_id for r in reads}, practice_lessons,
                                            self.lesson_scores(pid))
        if what in ("", "profiles", "banks"):
            self.pages.practice.set_scopes(self.scopes(), self.pages.practice.scope.currentData() or "all")
        self._progress_stale = True
        self._refresh_progress_if_shown()

    def _refresh_progress_if_shown(self) -> None:
        """Progress figures, from the aggregates the answer itself updated, when the page shows.

        The item table depends on each item's first attempt only; it is rebuilt when those
        changed (a first answer to an item), not after every answer.
        """
        if self.profile is None or not self._progress_stale or \
                self.window.pages.currentWidget() is not self.pages.progress:
            return
        self._progress_stale = False
        pid = self.profile.id
        item_ids = [i.meta.id for b in self.enabled_banks() for i in b.items]
        self.pages.progress.show_summary(summary_from_totals(
            self.progress_store.totals(pid), self.progress_store.recent(pid), self.store.lesson_reads(pid),
            self.content.lesson_ids(), item_ids))
        shown_for = (pid, self.progress_store.first_attempts_signature(pid))
        if shown_for != self._items_shown_for:
            self.pages.progress.show_items(self.item_statistics())
            self._items_shown_for = shown_for

    def lesson_scores(self, profile_id: int) -> dict[str, tuple[int, int]]:
        """Lesson id -> (items whose last answer was right, items answered), for the lessons list."""
        last = self.store.last_results(profile_id)
        scores: dict[str, tuple[int, int]] = {}
        for bank in self.enabled_banks():
            for item in bank.items:
                if item.meta.lesson and item.meta.id in last:
                    right, answered = scores.get(item.meta.lesson, (0, 0))
                    scores[item.meta.lesson] = (right + last[item.meta.id], answered + 1)
        return scores

    def open_attempt(self, attempt_id: int) -> None:
        """An earlier answer, with its feedback (graded again; nothing is written)."""
        from app.ui.answer_review import AnswerDialog, review_html

        attempt = next((a for a in self.store.attempts(self.profile.id) if a.id == attempt_id), None) if self.profile else None
        item = next((i for b in self.content.banks for i in b.items if attempt and i.meta.id == attempt.item_id
                     and i.meta.bank == attempt.bank_id), None)
        if attempt is None or item is None:
            self.window.statusBar().showMessage("That item is no longer in any loaded bank.", 8000)
            return
        self.answer_dialog = AnswerDialog(review_html(item, attempt, self._grade_item(item, attempt.response)), self.window)
        self.answer_dialog.open()

    def item_statistics(self) -> list:  # type: ignore[type-arg]
        """Per-item figures, the same as `stats items` prints for this learner's export, from
        each item's first attempt (the only one item statistics count)."""
        from app.core.item_stats import item_statistics
        from app.core.results import learner_results

        assert self.profile is not None
        items = [item for bank in self.content.banks for item in bank.items]
        first = self.progress_store.first_attempts(self.profile.id)
        return item_statistics([learner_results(self.profile.name, first, items)])

    def show_problems(self) -> None:
        problems = self.content.problems
        box = QMessageBox(self.window)
        box.setWindowTitle("Content problems")
        box.setText(f"{len(problems)} problem(s) were found while loading lessons and banks."
                    if problems else "All lessons and question banks loaded without problems.")
        if problems:
            box.setDetailedText("\n".join(str(p) for p in sorted(problems)))
        box.exec()


__all__ = ["Content", "Pages", "ProfileNameError", "SaveFailed", "Tutor"]
