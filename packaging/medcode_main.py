"""Entry point of the one-folder desktop build (PyInstaller runs this file, not a package)."""

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
