"""The study controller: Today page, mistake log, dashboard and reports.

Built by the composition root next to the tutor. It owns no session: "Start" and every
"Practise" button resolve card keys to items and hand them to `Tutor.start_with`, so
answers are recorded by the one attempt path that also updates the cards. Pages refresh
when shown and after every change (`DataOps.changed`) while they are visible.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.core.codeset import CodeSystem
from app.core.models import CodingCase, Item
from app.core.study_plan import mix, plan_reviews
from app.store.reviews import ReviewStore
from app.store.study_stats import StudyStats
from app.study_figures import Facilities, dashboard_data, today_data
from app.ui.dialogs import SaveFileDialog
from app.ui.main_window import LazyPage
from app.ui.study_settings_dialog import StudySettingsDialog
from app.ui.today_page import TodayPage

if TYPE_CHECKING:
    from app.ui.dashboard_page import DashboardPage
    from app.ui.mistakes_page import MistakesPage

log = logging.getLogger(__name__)
SESSION_LIMIT = 20  # items in a "Practise" session from a topic or the mistake log


class StudyController:
    """Today (built at start: the home page), and the mistake log and dashboard, which are
    `LazyPage`s built the first time they are opened (the dashboard imports pyqtgraph)."""

    def __init__(self, tutor, today: TodayPage, mistakes: LazyPage, dashboard: LazyPage,  # type: ignore[no-untyped-def]
                 facilities: Facilities):
        self.tutor, self.today = tutor, today
        self._pages = {"today": today, "mistakes": mistakes, "dashboard": dashboard}
        self.facilities = facilities
        self.reviews, self.stats = ReviewStore(tutor.store.db), StudyStats(tutor.store.db)
        self.skipped: list[str] = []  # card keys that could not be turned back into items
        self._dirty = set(self._pages)
        today.start_requested.connect(self.start)
        today.topic_requested.connect(self.practise_topic)
        today.settings_requested.connect(self.edit_settings)
        today.leech_lesson_requested.connect(self.open_leech_lesson)
        today.leech_code_requested.connect(self.open_leech_code)
        mistakes.when_built(self._connect_mistakes)
        dashboard.when_built(self._connect_dashboard)
        tutor.ops.changed.connect(lambda _what: self.refresh())
        tutor.window.pages.currentChanged.connect(lambda _i: self._refresh_visible())

    def _connect_mistakes(self, page: MistakesPage) -> None:
        page.filter_changed.connect(lambda: self._refresh_page("mistakes"))
        page.practise_requested.connect(self.practise_mistakes)

    def _connect_dashboard(self, page: DashboardPage) -> None:
        page.pdf_requested.connect(self.save_pdf)
        page.csv_requested.connect(self.save_csv)

    @property
    def mistakes(self) -> MistakesPage:
        """The mistake-log page (built now if it was not yet)."""
        return self._pages["mistakes"].widget()  # type: ignore[union-attr, no-any-return]

    @property
    def dashboard(self) -> DashboardPage:
        """The dashboard page (built now if it was not yet)."""
        return self._pages["dashboard"].widget()  # type: ignore[union-attr, no-any-return]

    @property
    def now(self) -> datetime:
        return self.tutor.now()

    @property
    def pid(self) -> int | None:
        return self.tutor.profile.id if self.tutor.profile else None

    # -- refreshing -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Data changed: redraw the visible page now, the others when they are next shown."""
        self._dirty = set(self._pages)
        self._refresh_visible()

    def _visible(self) -> str | None:
        """Which of the study pages is on screen (a page never built cannot be)."""
        current = self.tutor.window.pages.currentWidget()
        for name, page in self._pages.items():
            if (page is current) if isinstance(page, QWidget) else (page.built and page.widget() is current):
                return name
        return None

    def _refresh_visible(self) -> None:
        name = self._visible()
        if name in self._dirty:
            self._refresh_page(name)

    def _refresh_page(self, name: str) -> None:
        if self.pid is None:
            return
        self._dirty.discard(name)
        items = self._all_items()
        if name == "today":
            self.today.show_today(today_data(self.tutor.store.db, self.pid, self._enabled_items(), self.now))
            self.today.show_leeches(self._leech_rows())
        elif name == "mistakes":
            mistakes = self.mistakes
            topics = sorted({t.topic for t in self.stats.topics(self.pid)})
            mistakes.set_choices(self.stats.mistake_verdicts(self.pid), topics)
            mistakes.show_mistakes(self.stats.mistakes(self.pid, mistakes.current_filter(self.now.date())))
        elif name == "dashboard":
            self.dashboard.show_dashboard(dashboard_data(self.tutor.store.db, self.pid, items, self.now, self.facilities))

    # -- items from card keys -------------------------------------------------------------------
    def _all_items(self) -> list[Item]:
        return [item for bank in self.tutor.content.banks for item in bank.items]

    def _enabled_items(self) -> list[Item]:
        return [item for bank in self.tutor.enabled_banks() for item in bank.items]

    def items_for(self, keys: Sequence[str]) -> list[Item]:
        """The items behind card keys, in order; keys whose item is gone are noted and skipped."""
        by_key = {f"{i.meta.bank}/{i.meta.id}": i for i in self._all_items()}
        found, self.skipped = [], []
        for key in dict.fromkeys(keys):
            item = by_key.get(key) or self._from_sources(key)
            if item is None:
                self.skipped.append(key)
            else:
                found.append(item)
        if self.skipped:
            log.info("not in any loaded bank, skipped: %s", ", ".join(self.skipped))
        return found

    def _from_sources(self, key: str) -> Item | None:
        """Items that live in no bank (drills) come back through the tutor's item sources.

        The drills work registers a source that rebuilds `drill:<kind>:<code>` items from their
        stable ids; without one, such cards are skipped and counted in `skipped`.
        """
        bank_id, _, item_id = key.partition("/")
        for source in getattr(self.tutor, "item_sources", ()):
            item = source(bank_id, item_id)
            if item is not None:
                return item
        return None

    def _begin(self, items: list[Item], what: str) -> None:
        self.tutor.start_with(items)
        if self.skipped:
            self.tutor.window.statusBar().showMessage(
                f"{what}: {len(self.skipped)} item(s) skipped because their bank is not loaded.", 8000)

    # -- actions ----------------------------------------------------------------------------------
    def start(self) -> None:
        """Today's session: the capped reviews (lowest recall first) mixed with the new items."""
        if self.pid is None:
            return
        now = self.now
        figures = today_data(self.tutor.store.db, self.pid, self._enabled_items(), now)
        plan = plan_reviews(self.reviews.backlog(self.pid, now), now.date(), figures.settings.max_reviews)
        review_keys = [c.key for c in self.reviews.cards(plan.today_cards)]
        self._begin(self.items_for(mix(review_keys, figures.new_keys)), "Today")

    def practise_topic(self, topic: str) -> None:
        items = [i for i in self._enabled_items() if i.meta.topic == topic][:SESSION_LIMIT]
        self._begin(items, "Practice")

    def practise_mistakes(self) -> None:
        if self.pid is None:
            return
        chosen = self.stats.mistakes(self.pid, self.mistakes.current_filter(self.now.date()))
        self._begin(self.items_for([m.key for m in chosen])[:SESSION_LIMIT], "Mistakes")

    def edit_settings(self) -> None:
        if self.pid is None:
            return
        pid, now = self.pid, self.now
        chosen = StudySettingsDialog.ask(self.reviews.settings(pid), now.date(), self.tutor.window)
        if chosen is not None:
            self.tutor.ops.run("save your study settings", lambda: self.reviews.save_settings(pid, chosen, now),
                               "settings")

    # -- leeches ----------------------------------------------------------------------------------
    def _leech_rows(self) -> list[tuple[str, str, int, bool, bool]]:
        rows = []
        for card in self.reviews.leeches(self.pid) if self.pid else []:
            items = self.items_for([card.key])
            item = items[0] if items else None
            title = (item.meta.title or card.item_id) if item else card.item_id
            rows.append((card.key, title, card.lapses, bool(item and item.meta.lesson),
                         bool(item and _code_of(item)[0])))
        return rows

    def open_leech_lesson(self, key: str) -> None:
        items = self.items_for([key])
        if items and items[0].meta.lesson:
            self.tutor.window.show_page(self.tutor.pages.lessons)
            self.tutor.pages.lessons.select_lesson(items[0].meta.lesson)

    def open_leech_code(self, key: str) -> None:
        items = self.items_for([key])
        code, system = _code_of(items[0]) if items else ("", None)
        browser = getattr(self.tutor, "browser", None)  # a LazyPage, built on first use
        if code and browser is not None:
            self.tutor.window.show_page(browser)
            browser.widget().open_code(code, system)

    # -- reports ----------------------------------------------------------------------------------
    def save_pdf(self) -> None:
        from app.ui.report import write_pdf

        profile = self.tutor.profile
        if profile is None:
            return
        path = SaveFileDialog.ask(self.tutor.window, "Save progress report as PDF",
                                  f"{_slug(profile.name)}-progress.pdf", "PDF files (*.pdf)")
        if path is None:
            return
        data = dashboard_data(self.tutor.store.db, profile.id, self._all_items(), self.now, self.facilities)
        if self.tutor.ops.run("save the report", lambda: write_pdf(path, profile.name, data, self.now.date())) is None:
            return
        self.tutor.window.statusBar().showMessage(f"Report saved to {path}", 8000)

    def save_csv(self) -> None:
        profile = self.tutor.profile
        if profile is None:
            return
        path = SaveFileDialog.ask(self.tutor.window, "Save attempts as CSV",
                                  f"{_slug(profile.name)}-attempts.csv", "CSV files (*.csv)")
        if path is not None and self.tutor.ops.run("save the attempts", lambda: write_csv(self.stats, profile.id, path)) is not None:
            self.tutor.window.statusBar().showMessage(f"Attempts saved to {path}", 8000)


def write_csv(stats: StudyStats, profile_id: int, path: Path) -> int:
    """Write the attempts CSV beside the target, then rename: never a half-written file."""
    partial = path.with_name(path.name + ".part")
    with partial.open("w", encoding="utf-8", newline="") as out:
        count = stats.write_attempts_csv(profile_id, out)
    partial.replace(path)
    return count


def _slug(name: str) -> str:
    return "-".join(name.lower().split()) or "learner"


def _code_of(item: Item) -> tuple[str, CodeSystem | None]:
    """The code a leech is about: the first code of a coding case's key, or a drill's code."""
    if isinstance(item, CodingCase):
        for section in item.key.sections:
            for line in section.lines:
                if line.codes:
                    return line.codes[0], section.code_set
    if item.meta.id.startswith("drill:"):
        return item.meta.id.rsplit(":", 1)[-1], None
    return "", None

