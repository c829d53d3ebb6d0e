"""The drill controller: turns the practice page's "Drills" choice into a practice session.

It generates the items (app.core.drills) from the code set and the glossary, then hands them
to the tutor like any other items, so attempts are graded by the same scorer and recorded with
their stable drill ids. Built and wired only by the composition root.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from app.core.codeset import CodeSystem, DrillCodes
from app.core.drills import BANK_ID, DrillError, generate, is_drill, kind_labels, rebuild
from app.core.drills.icd import plain_section
from app.core.glossary import GlossaryEntry
from app.core.models import Item
from app.core.problems import Problem
from app.ui.drill_bar import DrillBar

GlossaryLoader = Callable[[], tuple[Sequence[GlossaryEntry], list[Problem]]]


class DrillController:
    def __init__(self, bar: DrillBar, tutor, codes: DrillCodes, glossary: GlossaryLoader):  # type: ignore[no-untyped-def]
        self.bar, self.tutor, self.codes = bar, tutor, codes
        self._load_glossary = glossary
        self._glossary: Sequence[GlossaryEntry] | None = None
        self.last_seed: int | None = None
        bar.set_kinds(kind_labels())
        bar.set_ranges(self.chapters())
        bar.start_requested.connect(self.start)
        self._rebuilt: dict[str, Item | None] = {}
        tutor.item_sources.append(self.item_for)

    def item_for(self, bank_id: str, item_id: str) -> Item | None:
        """A drill answered earlier, rebuilt from its stable id (for exports, statistics, review)."""
        if bank_id != BANK_ID or not is_drill(item_id):
            return None
        if item_id not in self._rebuilt:
            self._rebuilt[item_id] = rebuild(item_id, self.codes, self.glossary())
        return self._rebuilt[item_id]

    def chapters(self) -> list[tuple[str, str]]:
        """ICD-10-CM chapters as (range, "Chapter 4: Endocrine, nutritional...") for the range list."""
        return [(f"{s.low}-{s.high}", f"Ch. {s.key}: {plain_section(s.title)}")
                for s in self.codes.sections(CodeSystem.ICD10CM) if s.kind == "chapter"]

    def glossary(self) -> Sequence[GlossaryEntry]:
        """The glossary, read on the first drill; its problems join the content problems."""
        if self._glossary is None:
            entries, problems = self._load_glossary()
            self._glossary = tuple(entries)
            if problems:
                self.tutor.content.problems.extend(problems)
                self.tutor.window.show_problem_count(sum(1 for p in self.tutor.content.problems if p.severity == "error"))
        return self._glossary

    def start(self, kind: str, code_range: str, count: int, seed: int | None = None) -> bool:
        """Generate and start a drill; a new seed each time unless one is given (for replay)."""
        page = self.tutor.pages.practice
        if self.tutor.profile is None:
            page.show_welcome("Choose a learner first (Profile ▸ Switch learner).")
            return False
        seed = seed if seed is not None else int(self.tutor.now().timestamp() * 1000) % 1_000_000_007
        try:
            items = generate(self.codes, kind, seed, count, code_range, self.glossary())
        except DrillError as error:
            page.show_welcome(f"<h3>No drill</h3><p>{escape(str(error))}.</p>")
            return False
        self.last_seed = seed
        self.tutor.start_with(items)
        where = f" in {code_range}" if code_range else ""
        self.tutor.window.statusBar().showMessage(f"Drill: {len(items)} items ({kind}{where}), seed {seed}", 15000)
        return True
