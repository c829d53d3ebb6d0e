"""Lesson search and lesson links: a small controller beside the tutor (DESIGN.md, one
controller per feature). The lessons page stays passive; this asks core for the hits and
opens the code browser when a `code:` link is followed.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.lesson_search import query_terms, search_lessons
from app.core.models import Module
from app.ui.lessons_page import LessonsPage


class LessonLinks:
    def __init__(self, page: LessonsPage, modules: list[Module], open_code: Callable[[str], object]):
        self.page, self.modules, self.open_code = page, modules, open_code
        page.search_requested.connect(self.search)
        page.code_requested.connect(self.follow_code)

    def search(self, text: str) -> None:
        lessons = [lesson for module in self.modules for lesson in module.lessons]
        self.page.show_search_results(search_lessons(lessons, text), query_terms(text))

    def follow_code(self, code: str) -> None:
        self.open_code(code)
