"""The exam controller: connects the exam page to the exam state machine, the store and the clock.

Built by the composition root. It draws exams (`app.core.exam_forms.draw`), runs the
`ExamSession` (app/core/exam.py) with a journal that writes every change to the learner
database at once, ticks the countdown every second and writes the clock every
`HEARTBEAT_SECONDS`, offers to resume an exam left running (after a crash or a kill), and at
submission stores the scores and records each answer as an ordinary attempt through the
practice loop's recorder, so the review queue and the mistake log see exam answers too.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtCore import QObject, QTimer

from app.core.exam import ExamError, ExamSession, ExamStatus, resume_used
from app.core.exam_forms import DrawnItem, ExamForm, Navigation, draw, fill_report
from app.core.learner import AttemptDraft, Profile
from app.core.models import GradeResult, Item
from app.store.exams import ExamStore, StoredExam
from app.ui.exam_page import ExamPage, SubmitDialog
from app.ui.exam_results import MARKS, ReviewRow, clock_text, form_html, review_html, summary_html, verdict_of
from app.ui.operations import DataOps

HEARTBEAT_SECONDS = 2.0
log = logging.getLogger(__name__)


class StoreJournal:
    """`ExamJournal` over the exam store; failures reach the learner through DataOps."""

    def __init__(self, store: ExamStore, exam_id: int, ops: DataOps):
        self.store, self.exam_id, self.ops = store, exam_id, ops
        self.clock_failed = False

    def save_item(self, position: int, response: object, flagged: bool, struck: tuple[int, ...],
                  seconds: float) -> None:
        self.ops.run("save your exam answer",
                     lambda: self.store.save_item(self.exam_id, position, response, flagged, struck, seconds))

    def save_clock(self, used: float, position: int, part_index: int, now: datetime,
                   seconds: dict[int, float]) -> None:
        if self.clock_failed:  # said once; the answers are still written
            return
        done = self.ops.run("save the exam clock", lambda: self.store.save_clock(
            self.exam_id, used, position, part_index, now, seconds) or True)
        self.clock_failed = done is None


class ExamController(QObject):
    def __init__(self, page: ExamPage, store: ExamStore, forms: list[ExamForm], *,
                 items: Callable[[], list[Item]], all_items: Callable[[], list[Item]],
                 grade: Callable[[Item, object], GradeResult], record: Callable[[AttemptDraft], None],
                 now: Callable[[], datetime], ops: DataOps, profile: Callable[[], Profile | None],
                 lock_navigation: Callable[[bool], None], open_book: Callable[[], None]):
        super().__init__()
        self.page, self.store, self.forms = page, store, {f.id: f for f in forms}
        self._items, self._all_items, self._grade, self._record = items, all_items, grade, record
        self.now, self.ops, self._profile = now, ops, profile
        self._lock, self._open_book = lock_navigation, open_book
        self.session: ExamSession | None = None
        self.exam_id = 0
        self.profile_id = 0
        self.shown_exam = 0
        self._last_beat: datetime | None = None
        self._lookup: dict[str, Item] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self._connect()

    def _connect(self) -> None:
        p = self.page
        p.form_selected.connect(self.select_form)
        p.start_requested.connect(self.start)
        p.resume_requested.connect(self.resume)
        p.abandon_requested.connect(self.abandon)
        p.history_opened.connect(self.show_results)
        p.answer_changed.connect(self.answer)
        p.jump_requested.connect(self.jump)
        p.step_requested.connect(self.step)
        p.flag_requested.connect(self.toggle_flag)
        p.strike_requested.connect(self.toggle_strike)
        p.finish_part_requested.connect(self.finish_part)
        p.submit_requested.connect(self.submit)
        p.open_book_requested.connect(self.open_book)
        p.results.retake_requested.connect(self.retake)
        p.results.back_requested.connect(self.refresh)

    # -- the start screen -------------------------------------------------------------------
    def refresh(self) -> None:
        profile = self._profile()
        if profile is None or self.session is not None:
            return
        for exam_id in self.store.unrecorded_exams(profile.id):  # a crash between submit and record
            self._record_answers(exam_id)
        self.page.show_forms([(f.id, f.title) for f in self.forms.values()], self.page.selected_form())
        running = self.store.running_exam(profile.id)
        self.page.show_running(self._running_text(running) if running else "")
        history = self.store.history(profile.id)
        rows = [(h.id, h.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M"), h.form_title, h.percent, h.passed,
                 clock_text(h.used_seconds)) for h in history]
        marks = [self.forms[h.form_id].pass_mark for h in history if h.form_id in self.forms]
        self.page.show_history(rows, marks[-1] if marks else 70.0)

    def _running_text(self, exam: StoredExam) -> str:
        answered = sum(1 for i in exam.items if i.response not in (None, "", [], {}))
        left = exam.form.minutes * 60 - resume_used(exam.form.pause, exam.started_at, exam.used_seconds, self.now())
        return (f"<b>Unfinished exam:</b> {escape(exam.form.title)}, started "
                f"{exam.started_at.astimezone().strftime('%Y-%m-%d %H:%M')}; {answered} of {len(exam.items)} answered, "
                f"{clock_text(max(0.0, left))} left. Press <b>Resume exam</b> to carry on where you stopped.")

    def select_form(self, form_id: str) -> None:
        form = self.forms.get(form_id)
        if form is None:
            return
        rows = fill_report(form, self._items())
        short = [(s, found) for s, found in rows if found < s.count]
        self.page.show_form(form_html(form, rows), not short and self.session is None)

    # -- starting and resuming -------------------------------------------------------------
    def start(self, form_id: str) -> bool:
        profile, form = self._profile(), self.forms.get(form_id)
        if profile is None or form is None or self.session is not None:
            return False
        if self.store.running_exam(profile.id) is not None:
            self.ops.failed.emit("Resume or abandon the unfinished exam first.")
            return False
        recent = self.store.recent_item_keys(profile.id)
        drawn = draw(form, self._items(), secrets.randbelow(2**31), recent)
        if not drawn.complete:  # the start button is off then; never fill silently
            self.select_form(form_id)
            return False
        now = self.now()
        exam_id = self.ops.run("start the exam", lambda: self.store.create_exam(profile.id, form, drawn.seed,
                                                                              drawn.items, now, recent), "exams")
        if exam_id is None:
            return False
        self._open(profile.id, exam_id, form, drawn.items, now, 0.0, 0, 0)
        return True

    def resume(self) -> bool:
        profile = self._profile()
        exam = self.store.running_exam(profile.id) if profile else None
        if exam is None or self.session is not None:
            return False
        lookup = self._item_lookup()
        missing = [i.drawn.key for i in exam.items if i.drawn.key not in lookup]
        if missing:
            self.ops.failed.emit(f"The exam cannot be resumed: {len(missing)} of its items are no longer in the "
                                 f"installed banks (first: {missing[0]}). Abandon it to start another.")
            return False
        now = self.now()
        used = resume_used(exam.form.pause, exam.started_at, exam.used_seconds, now)
        self._open(exam.profile_id, exam.id, exam.form, tuple(i.drawn for i in exam.items), now, used,
                   exam.position, exam.part_index, exam)
        return True

    def _open(self, profile_id: int, exam_id: int, form: ExamForm, drawn: tuple[DrawnItem, ...], now: datetime,
              used: float, position: int, part_index: int, stored: StoredExam | None = None) -> None:
        self._lookup = self._item_lookup()
        self.profile_id, self.exam_id = profile_id, exam_id
        self.session = ExamSession(form, drawn, StoreJournal(self.store, exam_id, self.ops), now, used,
                                   position, part_index)
        for item in stored.items if stored else ():
            self.session.restore(item.position, item.response, item.flagged, item.struck, item.seconds)
        self._last_beat = now
        self._lock(True)
        self.page.begin(form.title, len(drawn), form.code_browser)
        self._show_all()
        self.tick()
        if self.session is not None and self.session.status is ExamStatus.RUNNING:
            self.timer.start()

    def _item_lookup(self) -> dict[str, Item]:
        return {f"{i.meta.bank}/{i.meta.id}": i for i in self._all_items()}

    def abandon(self) -> None:
        from app.ui.dialogs import ConfirmDialog

        profile = self._profile()
        exam = self.store.running_exam(profile.id) if profile else None
        if exam is None or not ConfirmDialog.ask(self.page, "Abandon exam",
                                                 f"Abandon “{exam.form.title}”? It will not be scored.", "Abandon"):
            return
        self.ops.run("abandon the exam", lambda: self.store.abandon_exam(exam.id), "exams")
        self.refresh()

    # -- the clock ------------------------------------------------------------------------------
    def tick(self) -> None:
        session = self.session
        if session is None:
            return
        current = self._profile()
        if current is None or current.id != self.profile_id:  # another learner now: keep the exam for later
            self.suspend()
            self.refresh()
            return
        now = self.now()
        event = session.tick(now)
        left = session.remaining(now)
        self.page.show_clock(left, left <= session.form.warning_minutes * 60)
        if event == "warning":
            self.page.show_notice(f"{session.form.warning_minutes} minutes left")
        if event == "time_up":
            self.page.show_notice("Time is up: the exam was submitted")
            self._finish(now)
            return
        if self._last_beat is None or (now - self._last_beat).total_seconds() >= HEARTBEAT_SECONDS:
            session.heartbeat(now)
            self._last_beat = now

    def suspend(self) -> None:
        """The window closes (or the learner changes): write the clock and stop; resume later."""
        if self.session is not None and self.session.status is ExamStatus.RUNNING:
            self.session.heartbeat(self.now())
        self.timer.stop()
        self.session = None
        self._lock(False)

    # -- the learner's actions ------------------------------------------------------------------
    def _act(self, action: Callable[[ExamSession], object]) -> object:
        if self.session is None:
            return None
        try:
            return action(self.session)
        except ExamError as error:
            self.page.show_notice(str(error))
            return None

    def answer(self, response: object) -> None:
        if self._act(lambda s: s.answer(s.position, response)) is None and self.session is not None:
            self._show_cell(self.session.position)

    def jump(self, position: int) -> None:
        before = self.session.position if self.session else 0
        self._act(lambda s: s.go(position, self.now()))
        self._moved(before)

    def step(self, delta: int) -> None:
        before = self.session.position if self.session else 0
        self._act(lambda s: s.step(delta, self.now()))
        self._moved(before)

    def toggle_flag(self) -> None:
        self._act(lambda s: s.flag(s.position, not s.slots[s.position].flagged))
        if self.session is not None:
            self.page.show_flag(self.session.slots[self.session.position].flagged)
            self._show_cell(self.session.position)

    def toggle_strike(self, option: int) -> None:
        self._act(lambda s: s.strike(s.position, option, option not in s.slots[s.position].struck))
        if self.session is not None:
            self.page.show_struck(self.session.slots[self.session.position].struck)

    def open_book(self) -> None:
        if self.session is not None and self.session.form.code_browser:
            self._open_book()

    def finish_part(self) -> None:
        session = self.session
        if session is None or session.last_part:
            return
        part = session.part_positions()
        if not SubmitDialog.ask(self.page, session.blank(part), session.flagged(part), final=False):
            return
        self._act(lambda s: s.finish_part(self.now()))
        self._show_all()

    def submit(self) -> None:
        session = self.session
        if session is None:
            return
        if not session.last_part:
            self.finish_part()
            return
        if SubmitDialog.ask(self.page, session.blank(), session.flagged(), final=True):
            self._finish(self.now())

    # -- showing --------------------------------------------------------------------------------
    def _moved(self, before: int) -> None:
        if self.session is not None and self.session.position != before:
            self._show_cell(before)
            self._show_current()

    def _show_all(self) -> None:
        if self.session is None:
            return
        for position in range(len(self.session.slots)):
            self._show_cell(position)
        self._show_current()
        parts = self.session.parts
        label = f"Part {self.session.part_index + 1} of {len(parts)}" if self.session.form.navigation is Navigation.LOCKED_PARTS else ""
        self.page.show_part(label, self.session.last_part)

    def _show_cell(self, position: int) -> None:
        s = self.session
        if s is not None:
            slot = s.slots[position]
            self.page.show_cell(position, slot.answered, slot.flagged, s.allowed(position), position == s.position)

    def _show_current(self) -> None:
        s = self.session
        if s is None:
            return
        slot = s.slots[s.position]
        section = s.form.section(slot.drawn.section)
        self.page.show_item(self._lookup[slot.drawn.key], s.position, len(s.slots),
                            section.title if section else slot.drawn.section, slot.drawn.option_order,
                            slot.response, slot.flagged, slot.struck)
        self._show_cell(s.position)

    # -- the end ----------------------------------------------------------------------------------
    def _finish(self, now: datetime) -> None:
        session, exam_id = self.session, self.exam_id
        if session is None:
            return
        self.timer.stop()
        score, results = session.submit(now, lambda n, response: self._grade(self._lookup[session.slots[n].drawn.key], response))
        sections = [{"id": s.section_id, "title": s.title, "items": s.items, "answered": s.answered,
                     "percent": round(s.percent, 2), "seconds": s.seconds} for s in score.sections]
        grades = {n: (r.score, r.max_score, r.correct, tuple((f.verdict, f.code, f.message) for f in r.findings))
                  for n, r in results.items()}
        saved = self.ops.run("save the exam results", lambda: self.store.finish_exam(
            exam_id, now, session.used(now), round(score.percent, 2), score.passed, sections, grades) or True, "exams")
        self.session = None
        self._lock(False)
        if saved is None:  # DataOps has said why; the answers are stored and the exam can be resumed
            self.refresh()
            return
        self._record_answers(exam_id)
        self.show_results(exam_id)

    def _record_answers(self, exam_id: int) -> None:
        """Each graded answer becomes an ordinary attempt, once (the store remembers which)."""
        exam = self.store.exam(exam_id)
        lookup = self._lookup or self._item_lookup()
        for stored in exam.items if exam else ():
            item = lookup.get(stored.drawn.key)
            if stored.recorded or stored.score is None or item is None:
                continue
            draft = AttemptDraft(item.meta.id, item.meta.bank, item.type.value, item.meta.topic, stored.response,
                                 stored.score, stored.max_score or 0.0, bool(stored.correct), stored.seconds,
                                 exam.submitted_at or self.now(), stored.findings)  # type: ignore[union-attr]
            try:
                self._record(draft)
            except Exception as error:  # noqa: BLE001 - the recorder has told the learner; retried next start
                log.warning("exam answer %s not recorded yet: %s", stored.drawn.key, error)
                return
            self.store.mark_recorded(exam_id, stored.position)

    def show_results(self, exam_id: int) -> None:
        exam = self.store.exam(exam_id)
        if exam is None or exam.status != "submitted":
            return
        self.shown_exam = exam_id
        lookup = self._lookup or self._item_lookup()
        view = self.page.show_results()
        view.show_summary(summary_html(exam))
        view.show_sections([(s["title"], s["items"], s["answered"], s["percent"], clock_text(s["seconds"]))  # type: ignore[misc]
                            for s in exam.sections])
        titles = {s.id: s.title for s in exam.form.sections}
        rows = []
        for stored in exam.items:
            item = lookup.get(stored.drawn.key)
            section = titles.get(stored.drawn.section, stored.drawn.section)
            verdict = verdict_of(stored.score, stored.max_score, stored.response not in (None, "", [], {}))
            flag = " ⚑" if stored.flagged else ""
            if item is None:
                rows.append(ReviewRow(stored.position, f"{stored.position + 1} {MARKS[verdict]} (item no longer installed)",
                                      "<p>This item is no longer in the installed banks.</p>", verdict))
                continue
            rows.append(ReviewRow(stored.position, f"{stored.position + 1} {MARKS[verdict]}{flag} {item.meta.title}",
                                  review_html(item, stored.position, section, stored.response, stored.drawn.option_order,
                                              stored.score, stored.max_score, stored.findings), verdict))
        view.show_review(rows)

    def retake(self) -> None:
        exam = self.store.exam(self.shown_exam) if self.shown_exam else None
        if exam is not None and exam.form.id in self.forms:
            if not self.start(exam.form.id):
                self.refresh()
                self.select_form(exam.form.id)

