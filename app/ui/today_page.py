"""Today, the home page: what is due, the streak, weak topics, leeches and the Start button.

Passive: `show_today` and `show_leeches` draw what the study controller computed; clicks
become signals (`start_requested`, `topic_requested`, `leech_lesson_requested`,
`leech_code_requested`, `settings_requested`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.dashboard import TodayFigures


def _clear(layout: QGridLayout | QVBoxLayout) -> None:
    while layout.count():
        child = layout.takeAt(0)
        if child.widget() is not None:
            child.widget().deleteLater()


class TodayPage(QWidget):
    start_requested = Signal()
    topic_requested = Signal(str)  # topic id
    leech_lesson_requested = Signal(str)  # card key bank/item
    leech_code_requested = Signal(str)
    settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.exam_label = QLabel()
        self.exam_label.setObjectName("examLabel")
        self.streak_label = QLabel()
        self.reviews_label, self.new_label, self.minutes_label = QLabel(), QLabel(), QLabel()
        figures = QGridLayout()
        for column, (caption, label) in enumerate(
            (("Reviews due", self.reviews_label), ("New items", self.new_label),
             ("Estimated time", self.minutes_label), ("Streak", self.streak_label))):
            label.setObjectName("bigFigure")
            label.setAccessibleName(caption)
            figures.addWidget(QLabel(caption), 0, column)
            figures.addWidget(label, 1, column)
        self.catch_up_label = QLabel()
        self.catch_up_label.setWordWrap(True)
        self.start = QPushButton("Start")
        self.start.setObjectName("primaryButton")
        self.start.setToolTip("A session that mixes today's reviews and new items")
        self.start.clicked.connect(self.start_requested.emit)
        self.settings_button = settings = QPushButton("Study settings…")
        settings.clicked.connect(self.settings_requested.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start)
        buttons.addStretch(1)
        buttons.addWidget(settings)
        self.weak_box = QGroupBox("Your weakest topics")
        self.weak_rows = QGridLayout(self.weak_box)
        self.weak_rows.setColumnStretch(0, 1)
        self.leech_box = QGroupBox("Leeches: items you keep forgetting")
        self.leech_rows = QGridLayout(self.leech_box)
        self.leech_rows.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.exam_label)
        layout.addLayout(figures)
        layout.addWidget(self.catch_up_label)
        layout.addLayout(buttons)
        layout.addWidget(self.weak_box)
        layout.addWidget(self.leech_box)
        layout.addStretch(1)
        self.weak_buttons = []

    def show_today(self, figures: TodayFigures) -> None:
        self.exam_label.setText(figures.exam_line())
        self.reviews_label.setText(str(figures.reviews))
        self.new_label.setText(str(len(figures.new_keys)))
        self.minutes_label.setText(f"{figures.minutes} min")
        self.streak_label.setText(f"{figures.streak} day{'s' if figures.streak != 1 else ''}")
        self.catch_up_label.setText(figures.plan.message())
        self.start.setEnabled(bool(figures.reviews or figures.new_keys))
        _clear(self.weak_rows)
        self.weak_buttons: list[QPushButton] = []
        if not figures.weakest:
            hint = QLabel("Answer a few items in each topic to see where you are weakest.")
            hint.setWordWrap(True)  # at the largest text size it would be wider than the window
            self.weak_rows.addWidget(hint, 0, 0)
        for row, weak in enumerate(figures.weakest):
            label = QLabel(f"{weak.label}: {weak.mastery:.0%} on {weak.items} item{'s' if weak.items != 1 else ''}")
            label.setWordWrap(True)
            button = QPushButton("Practise")
            button.setAccessibleName(f"Practise {weak.label}")
            button.clicked.connect(lambda _checked=False, t=weak.topic: self.topic_requested.emit(t))
            self.weak_buttons.append(button)
            self.weak_rows.addWidget(label, row, 0)
            self.weak_rows.addWidget(button, row, 1, Qt.AlignmentFlag.AlignRight)

    def show_leeches(self, leeches: list[tuple[str, str, int, bool, bool]]) -> None:
        """(card key, title, lapses, has a lesson, has a code) for each leech."""
        _clear(self.leech_rows)
        self.leech_box.setVisible(bool(leeches))
        for row, (key, title, lapses, has_lesson, has_code) in enumerate(leeches):
            self.leech_rows.addWidget(QLabel(f"{title} — forgotten {lapses} times"), row, 0)
            lesson = QPushButton("Read its lesson")
            lesson.setEnabled(has_lesson)
            lesson.clicked.connect(lambda _checked=False, k=key: self.leech_lesson_requested.emit(k))
            code = QPushButton("Look up its code")
            code.setEnabled(has_code)
            code.clicked.connect(lambda _checked=False, k=key: self.leech_code_requested.emit(k))
            self.leech_rows.addWidget(lesson, row, 1)
            self.leech_rows.addWidget(code, row, 2)
