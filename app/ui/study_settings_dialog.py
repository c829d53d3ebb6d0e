"""Study settings: desired retention, new items and reviews per day, the exam date.

`StudySettingsDialog.ask()` returns a `StudySettings` or None (convention 12). Above a
retention of 0.97 the dialog warns, because the daily load grows steeply for little gain.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from app.core.scheduling import RETENTION_RANGE, StudySettings


class StudySettingsDialog(QDialog):
    def __init__(self, settings: StudySettings, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Study settings")
        self.retention = QDoubleSpinBox()
        self.retention.setRange(*RETENTION_RANGE)
        self.retention.setSingleStep(0.01)
        self.retention.setValue(settings.desired_retention)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setObjectName("warningLabel")
        self.new_per_day = QSpinBox()
        self.new_per_day.setRange(0, 1000)
        self.new_per_day.setValue(settings.new_per_day)
        self.max_reviews = QSpinBox()
        self.max_reviews.setRange(1, 5000)
        self.max_reviews.setValue(settings.max_reviews)
        self.has_exam = QCheckBox("I have an exam date")
        self.exam = QDateEdit()
        self.exam.setCalendarPopup(True)
        self.exam.setDisplayFormat("yyyy-MM-dd")
        chosen = settings.exam_date or today
        self.exam.setDate(QDate(chosen.year, chosen.month, chosen.day))
        self.has_exam.setChecked(settings.exam_date is not None)
        self.exam.setEnabled(settings.exam_date is not None)
        self.has_exam.toggled.connect(self.exam.setEnabled)
        self.retention.valueChanged.connect(lambda _v: self._warn())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Desired retention:", self.retention)
        form.addRow("", self.warning)
        form.addRow("New items per day:", self.new_per_day)
        form.addRow("Maximum reviews per day:", self.max_reviews)
        form.addRow(self.has_exam, self.exam)
        form.addRow(QLabel("No review is scheduled after the exam date, and in the last four weeks "
                           "new items lean towards your weakest topics."))
        form.addRow(buttons)
        self._warn()

    def _warn(self) -> None:
        self.warning.setText(self.settings().warning())
        self.warning.setVisible(bool(self.warning.text()))

    def settings(self) -> StudySettings:
        exam = self.exam.date().toPython() if self.has_exam.isChecked() else None
        return StudySettings(round(self.retention.value(), 2), self.new_per_day.value(),
                             self.max_reviews.value(), exam)

    @classmethod
    def ask(cls, settings: StudySettings, today: date, parent: QWidget | None = None) -> StudySettings | None:
        dialog = cls(settings, today, parent)
        return dialog.settings() if dialog.exec() == QDialog.DialogCode.Accepted else None
