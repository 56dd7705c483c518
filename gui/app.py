"""Start the window: ``python main.py [--migrations DIR] [DB]``.

With no file given, the window reopens the last real database the person
picked; until there is one, it opens a sample database with made-up data
(built once in the user's application-data folder), so a person can try the
tool without touching a real file.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication

from core.errors import MigrationError
from gui import smoke
from gui.dialogs import reason_of
from gui.icon import app_icon
from gui.main_window import APP_TITLE, MainWindow
from gui.settings import APPLICATION, ORGANIZATION, Settings
from gui.worker import details_of
from samples.legacy import Shape, build

SAMPLE_NAME = "sample-society.db"
SAMPLE_FAILED = "The sample database could not be made; open your own file with Open… (Ctrl+O)"


def parse_args(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="main.py", description=f"{APP_TITLE}: open the window on a society database."
    )
    parser.add_argument("--migrations", metavar="DIR", type=Path, help="migrations folder")
    parser.add_argument("database", nargs="?", type=Path, help="the database file to open")
    parser.add_argument(
        "--quit-after",
        metavar="MS",
        type=int,
        help="close the window after MS milliseconds, printing its title (smoke tests)",
    )
    parser.add_argument(
        "--smoke-upgrade-copies",
        metavar="FILE",
        nargs="+",
        type=Path,
        help="upgrade these copies from the window, answering yes, then close (smoke tests)",
    )
    return parser.parse_args(args)


def sample_folder() -> Path:
    """The user's application-data folder, or the temp folder if there is none."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else Path(tempfile.gettempdir()) / ORGANIZATION


def ensure_sample(folder: Path) -> Path:
    """The sample database in ``folder``, built (an unversioned legacy file) if missing.

    A build that fails leaves no half-made file behind, so the next start tries again.
    """
    path = folder / SAMPLE_NAME
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        try:
            build(path, Shape.MERGED_BY_HAND)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return path


def last_real_file(settings: Settings) -> Path | None:
    """The most recently opened database that still exists (the sample is never listed)."""
    return next((Path(p) for p in settings.recent_files if Path(p).is_file()), None)


def create_window(args: list[str], sample_dir: Path | None = None) -> MainWindow:
    """The window, with the file of ``args`` (or the sample) open. Needs a QApplication."""
    options = parse_args(args)
    window = MainWindow(migrations_dir=options.migrations)
    if options.database is not None:
        window.open_database(options.database)
        return window
    last = last_real_file(Settings())
    if last is not None:
        window.open_database(last)
        return window
    try:
        sample = ensure_sample(sample_dir or sample_folder())
    except (OSError, sqlite3.Error, MigrationError) as exc:  # the folder, the disk, SQLite
        window.log.add(f"{SAMPLE_FAILED} ({reason_of(exc)}).", failure=True)
    except Exception as exc:  # start-up must always end in a usable window
        window.log.add(f"{SAMPLE_FAILED}.", failure=True)
        window.log.add_details(SAMPLE_FAILED, details_of(exc))
    else:
        window.open_database(sample, sample=True)
    return window


def run(args: list[str]) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APP_TITLE)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("society-migrator")  # Wayland/X11 match it to the desktop entry
    window = create_window(args)
    window.show()
    options = parse_args(args)
    if options.quit_after is not None:
        smoke.quit_after(app, window, options.quit_after)
    if options.smoke_upgrade_copies:
        smoke.upgrade_copies(app, window, options.smoke_upgrade_copies)
    return app.exec()
