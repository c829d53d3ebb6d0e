"""The first-start build of the code-set database, with a progress dialog.

The build takes a few seconds; it runs in a worker thread so the dialog keeps painting,
and the caller waits in a local event loop. The dialog cannot be cancelled: without the
database the app has no code sets, and the build is short (a half-built file is never
left behind, because the engine builds into a temporary file and renames it).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

TITLE = "Preparing the code sets"
INTRO = "Building the offline code sets (first start only; a few seconds)."


class CodeSetBuildError(RuntimeError):
    """The code-set database could not be built; the message says why, for the user."""


class _Worker(QObject):
    progress = Signal(int, int, str)
    failed = Signal(str)
    done = Signal()

    def __init__(self, path: Path):
        super().__init__()
        self.path = path

    @Slot()
    def run(self) -> None:
        from app.codesets.build import build_database

        try:
            build_database(self.path, lambda step, total, text: self.progress.emit(step, total, text))
        except Exception as error:  # noqa: BLE001 - reported to the user; a thread cannot raise to the caller
            self.failed.emit(f"{type(error).__name__}: {error}")
        else:
            self.done.emit()


class _BuildProgress(QProgressDialog):
    """A progress dialog that Escape and the close button cannot dismiss.

    Its slots live in the GUI thread, so the worker's signals reach them queued.
    """

    errors: list[str]

    def reject(self) -> None:  # noqa: D102 - deliberately not cancelable
        pass

    @Slot(int, int, str)
    def show_step(self, step: int, total: int, text: str) -> None:
        self.setLabelText(f"{INTRO}\n{text}…" if step < total else f"{INTRO}\n{text}")
        self.setValue(round(100 * step / max(total, 1)))

    @Slot(str)
    def record_error(self, message: str) -> None:
        self.errors.append(message)


def build_with_progress(path: Path, parent: QWidget | None = None) -> None:
    """Build the code-set database at `path`, showing progress; raise CodeSetBuildError on failure."""
    dialog = _BuildProgress(f"{INTRO}\nStarting…", "", 0, 100, parent)
    dialog.setCancelButton(None)
    dialog.setWindowTitle(TITLE)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(420)
    dialog.setValue(0)
    worker, thread, loop = _Worker(Path(path)), QThread(), QEventLoop()
    worker.moveToThread(thread)
    dialog.errors = errors = []
    worker.progress.connect(dialog.show_step)
    worker.failed.connect(dialog.record_error)
    worker.failed.connect(loop.quit)
    worker.done.connect(loop.quit)
    thread.started.connect(worker.run)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    if errors:
        message = f"The code-set database could not be built at {path}.\n\n{errors[0]}"
        QMessageBox.critical(parent, TITLE, message)
        raise CodeSetBuildError(message)
