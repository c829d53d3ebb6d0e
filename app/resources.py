"""Where the app's own content lives: inside the package, so a wheel or a desktop build carries it.

Lessons, question banks, the stylesheet and the icons are package data (pyproject.toml lists
the file types). Everything that reads shipped content asks here, so the app finds it next to
its own code wherever it is installed (site-packages, a PyInstaller folder, a checkout), never
beside a source tree. Authors add files under these folders (docs/install.md).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
LESSONS_DIR = PACKAGE_DIR / "lessons"  # one folder per module, Markdown lessons
BANKS_DIR = PACKAGE_DIR / "question_bank"  # YAML banks shipped with the app
ASSETS_DIR = PACKAGE_DIR / "assets"
STYLESHEET = ASSETS_DIR / "style.qss"
ICONS = tuple(ASSETS_DIR / "icons" / f"medcode-{size}.png" for size in (32, 64, 256))
