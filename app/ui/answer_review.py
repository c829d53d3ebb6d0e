"""One earlier answer, opened again from the progress page: the question, the learner's
answer and the feedback, as the practice page showed them.

The stored response is graded again by the same pure grader; nothing is written.
"""

from __future__ import annotations

import json
from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.content.render import LESSON_CSS, markdown_to_html
from app.core.learner import Attempt
from app.core.models import GradeResult, Item
from app.core.session import display_title
from app.ui.practice_page import result_html


def _response_text(response: object) -> str:
    if isinstance(response, list):
        return "; ".join(str(part) for part in response if part) or "(nothing)"
    if isinstance(response, dict):
        return json.dumps(response, ensure_ascii=False)
    return str(response)


def review_html(item: Item, attempt: Attempt, result: GradeResult) -> str:
    when = attempt.answered_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return (f"<h2>{escape(display_title(item))}</h2><p class='meta'>Answered {when} · "
            f"{attempt.score:g} of {attempt.max_score:g} points</p>"
            f"{markdown_to_html(item.stem)}<p><b>Your answer:</b> {escape(_response_text(attempt.response))}</p>"
            f"{result_html(item, result)}")


class AnswerDialog(QDialog):
    """Read-only: the answer and its feedback."""

    def __init__(self, html: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Your answer")
        self.resize(640, 520)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.document().setDefaultStyleSheet(LESSON_CSS)
        self.text.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
