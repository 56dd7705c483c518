"""Opening a file: picking it (dialog, recent files, a drop) and reading its status safely.

Picking only names a path; the window opens it. Reading the status
(:func:`read_file_state`) runs on the window's
:class:`~gui.background.Background`, never on the window thread, and never
raises: the migrations folder is imported there too (slow: every file, so the
window keeps the :class:`~core.discovery.Catalog` and loads it again only on
"Check again"), and any failure that is not about the file comes back as a
:class:`~gui.background.Problem` in words for staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from core import wording
from core.discovery import Catalog, load_catalog
from core.errors import CatalogError, MigrationError
from core.status import DatabaseStatus, State, inspect_database
from gui.background import Problem, details_of
from gui.dialogs import FILE_FILTERS
from gui.settings import Settings

UNREADABLE_STATUS = (
    "The file could not be checked because of an unexpected problem inside this tool. "
    "Nothing was changed. The technical details help whoever maintains the tool."
)


def choose_database(parent: QWidget, start: str) -> str:
    """The Open dialog, starting in ``start``; the chosen path, or "" when cancelled."""
    chosen, _ = QFileDialog.getOpenFileName(parent, "Open a society database", start, FILE_FILTERS)
    return chosen


def dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
    """The one local file being dragged or dropped, or None for anything else."""
    urls = event.mimeData().urls() if event.mimeData() else []
    if len(urls) == 1 and urls[0].isLocalFile():
        return urls[0].toLocalFile()
    return None


class RecentFilesMenu(QMenu):
    """“Open Recent” (``recentMenu``): the files kept in ``settings``, newest first.

    Signals:
        file_chosen(str): the person picked this remembered path.
    """

    file_chosen = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("Open &Recent", parent)
        self.setObjectName("recentMenu")
        self._settings = settings

    def note_opened(self, file: Path, status: DatabaseStatus, *, sample: bool, busy: bool) -> None:
        """Remember a real file just opened (forget one that is gone), and list them again."""
        if status.state is State.MISSING:
            self._settings.forget_file(str(file))
        elif not sample:
            self._settings.remember_file(file)
        self.refresh(busy=busy)

    def refresh(self, *, busy: bool) -> None:
        """List the remembered files again; the menu is off while busy or when empty."""
        self.clear()
        for recent in self._settings.recent_files:
            action = self.addAction(recent)
            action.setData(recent)
            action.triggered.connect(self._on_recent_action_triggered)
        self.set_busy(busy)

    def set_busy(self, busy: bool) -> None:
        self.setEnabled(not busy and not self.isEmpty())

    @Slot()
    def _on_recent_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.file_chosen.emit(str(action.data()))


def load_catalog_safely(migrations_dir: Path | str | None) -> Catalog | Problem:
    """Import the migrations folder; a broken one is told in its own words."""
    try:
        return load_catalog(migrations_dir)
    except CatalogError as exc:  # the migrations folder itself is broken: say what is wrong
        return Problem(wording.catalog_unusable(exc))
    except MigrationError as exc:
        return Problem(str(exc))
    except Exception as exc:
        return Problem(UNREADABLE_STATUS, details_of(exc))


@dataclass(frozen=True)
class Reading:
    """What one look at a file found, and the catalog it was read against."""

    path: Path
    found: DatabaseStatus | Problem
    catalog: Catalog | None  # None when the migrations folder could not be read


def read_file_state(
    path: Path, catalog: Catalog | None, migrations_dir: Path | str | None
) -> Reading:
    """Where ``path`` stands (on the worker); the catalog is imported first if there is none."""
    if catalog is None:
        loaded = load_catalog_safely(migrations_dir)
        if isinstance(loaded, Problem):
            return Reading(path, loaded, None)
        catalog = loaded
    return Reading(path, inspect_safely(path, catalog), catalog)


def inspect_safely(path: Path, catalog: Catalog) -> DatabaseStatus | Problem:
    """Where ``path`` stands (read-only, quick); whatever the file is, no exception."""
    try:
        return inspect_database(path, catalog)
    except Exception as exc:
        return Problem(UNREADABLE_STATUS, details_of(exc))
