"""The glossary controller: loads the glossary file once and answers the page's searches."""

from __future__ import annotations

from app.core.glossary import GlossaryEntry
from app.core.glossary_search import search_glossary
from app.ui.glossary_page import GlossaryPage


class GlossaryController:
    def __init__(self, page: GlossaryPage, entries: list[GlossaryEntry]):
        self.page, self.entries = page, entries
        page.search_changed.connect(self.search)
        self.search("")

    def search(self, text: str) -> None:
        self.page.show_entries(search_glossary(self.entries, text), len(self.entries))


def build_glossary_page() -> GlossaryPage:
    """The page and its controller, built when the page is first opened."""
    from app.content.glossary import load_glossary

    entries, problems = load_glossary()
    page = GlossaryPage()
    page.controller = GlossaryController(page, entries)  # type: ignore[attr-defined]
    if problems:
        page.count.setToolTip("\n".join(str(problem) for problem in problems))
    return page
