"""Start the window: ``python main.py [--migrations DIR] [DB]``.

With no file given, the window opens a sample database with made-up data
(built once in the user's application-data folder), so a person can try the
tool without touching a real file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication

from gui.main_window import APP_TITLE, MainWindow
from gui.settings import APPLICATION, ORGANIZATION
from samples.legacy import Shape, build

SAMPLE_NAME = "sample-society.db"


def parse_args(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="main.py", description=f"{APP_TITLE}: open the window on a society database."
    )
    parser.add_argument("--migrations", metavar="DIR", type=Path, help="migrations folder")
    parser.add_argument("database", nargs="?", type=Path, help="the database file to open")
    return parser.parse_args(args)


def sample_folder() -> Path:
    """The user's application-data folder, or the temp folder if there is none."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else Path(tempfile.gettempdir()) / ORGANIZATION


def ensure_sample(folder: Path) -> Path:
    """The sample database in ``folder``, built (an unversioned legacy file) if missing."""
    path = folder / SAMPLE_NAME
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        build(path, Shape.MERGED_BY_HAND)
    return path


def create_window(args: list[str], sample_dir: Path | None = None) -> MainWindow:
    """The window, with the file of ``args`` (or the sample) open. Needs a QApplication."""
    options = parse_args(args)
    window = MainWindow(migrations_dir=options.migrations)
    if options.database is not None:
        window.open_database(options.database)
        return window
    try:
        sample = ensure_sample(sample_dir or sample_folder())
    except OSError as exc:
        window.log.add(f"The sample database could not be made ({exc.strerror}).")
    else:
        window.open_database(sample, sample=True)
    return window


def run(args: list[str]) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APP_TITLE)
    window = create_window(args)
    window.show()
    return app.exec()
