"""The Restore dialog: pick one of the open file's backups (or another file) to put back.

It only chooses; the restore job (:mod:`gui.jobs.restore`) asks for
confirmation and runs :func:`core.api.restore` on a worker thread. Listing the
backups reads each one's version (a status-sized look, but SQLite may wait for
a program holding one of them), so the list is read by the window's
:class:`~gui.background.Background` while the dialog says "Reading…"; only the
:data:`MAX_LISTED` newest are read, and the dialog says when there are more.
A file chosen from elsewhere is looked at the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from core.backup import default_backup_dir, is_own_backup
from core.discovery import Catalog
from core.restore import BackupInfo
from core.status import inspect_database
from gui.background import Background, Problem, details_of
from gui.dialogs import FILE_FILTERS, reason_of, tell
from gui.named import named

NO_BACKUPS = "No backups of this file yet: none in the “backups” folder beside it."
READING = "Reading the backups…"
UNEXPECTED_LISTING = (
    "The backups could not be listed because of an unexpected problem inside this tool. "
    "Nothing was changed."
)
MAX_LISTED = 50  # each listed backup is opened to read its version

# choose_file(parent, start_folder) -> the chosen path, or "" when cancelled. Tests replace it.
ChooseFile = Callable[[QWidget, str], str]


def _native_choose_file(parent: QWidget, start: str) -> str:
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Choose a backup to restore", start, FILE_FILTERS
    )
    return chosen


def when_text(taken_at: datetime, today: date | None = None) -> str:
    """“Today 14:03”, “Yesterday 09:12”, or the date: how people look for a backup."""
    days = ((today or date.today()) - taken_at.date()).days
    day = {0: "Today", 1: "Yesterday"}.get(days, f"{taken_at:%Y-%m-%d}")
    return f"{day} {taken_at:%H:%M}"


def backup_info(path: Path, catalog: Catalog) -> BackupInfo:
    """What the list shows of one file: its version (None if unreadable) and its time."""
    found = inspect_database(path, catalog)
    version = found.current_version  # None for a file that can't be read
    return BackupInfo(path, version, datetime.fromtimestamp(path.stat().st_mtime))


def newest_backups(
    db: Path, catalog: Catalog, limit: int = MAX_LISTED
) -> tuple[list[BackupInfo], int]:
    """The ``limit`` newest backups of ``db`` (by file time), read; and how many there are.

    Only the file times of the others are looked at: none of them is opened.
    """
    folder = default_backup_dir(db)
    if not folder.is_dir():
        return [], 0
    timed = [
        (info.st_mtime, path)
        for path in folder.iterdir()
        if is_own_backup(db, path) and not path.is_symlink() and path.is_file()
        if (info := path.stat()).st_size > 0  # an empty name left by a killed backup
    ]
    timed.sort(reverse=True)
    return [backup_info(path, catalog) for _, path in timed[:limit]], len(timed)


@dataclass(frozen=True)
class Listing:
    """What the dialog shows: the newest backups, how many there are, and the one asked for."""

    backups: list[BackupInfo]
    total: int
    empty_text: str = NO_BACKUPS  # what an empty list says
    preselected: BackupInfo | None = None  # the preselected file, when it is not listed


@dataclass(frozen=True)
class Refused:
    """A file chosen from elsewhere that can't even be looked at."""

    path: Path
    reason: str
    details: str = ""  # a traceback when it is not the file's fault


def read_listing(db: Path, catalog: Catalog, preselect: Path | None) -> Listing:
    """The listing of ``db``'s backups (on the worker); an unreadable folder is said in words."""
    try:
        backups, total = newest_backups(db, catalog)
    except Exception as exc:  # a folder that vanishes or can't be read: say so, go on
        text = f"The backups folder beside this file can't be read: {reason_of(exc)}."
        return Listing([], 0, text)
    extra = None
    if preselect is not None and all(b.path != preselect for b in backups):
        looked = look_at(preselect, catalog)
        extra = looked if isinstance(looked, BackupInfo) else None
    return Listing(backups, total, preselected=extra)


def look_at(path: Path, catalog: Catalog) -> BackupInfo | Refused:
    """One file chosen from elsewhere, as the list shows it (on the worker)."""
    try:
        return backup_info(path, catalog)
    except OSError as exc:  # the file vanished, or the system refused the path
        return Refused(path, reason_of(exc))
    except Exception as exc:  # not the file's fault: keep what a maintainer needs
        return Refused(path, reason_of(exc), details_of(exc))


def more_text(listed: int, total: int, folder: Path) -> str:
    return (
        f"Only the {listed} newest of the {total} backups are listed. The older ones are in "
        f"{folder}; pick one of them with “Choose another file…”."
    )


def describe(info: BackupInfo, today: date | None = None) -> str:
    """One line a person can pick by: when, which version, which file."""
    version = "can't be read" if info.version is None else f"version {info.version}"
    return f"{when_text(info.taken_at, today):<16}   {version:<14}   {info.path.name}"


class RestoreDialog(QDialog):
    """The backups of ``db``, newest first, and “Choose another file…”.

    At most :data:`MAX_LISTED` are listed (``olderBackupsNote`` says how many more
    there are). ``catalog`` is the window's: it tells a society database from other files.

    Signals:
        backup_chosen(object): the ``BackupInfo`` the person chose to restore.
        read(): the list, or a file chosen from elsewhere, has been read and is shown.
    """

    backup_chosen = Signal(object)
    read = Signal()

    def __init__(
        self,
        db: Path,
        catalog: Catalog,
        background: Background,
        *,
        preselect: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.db = db
        self.catalog = catalog
        self.choose_file: ChooseFile = _native_choose_file
        self.setWindowTitle(f"Restore {db.name} from a backup")
        intro = named(
            QLabel(f"Backups of <b>{db.name}</b>, newest first. Pick the one to put back:"),
            "restoreIntro",
        )
        self.list = named(QListWidget(), "backupList")
        self.list.setToolTip("Each backup with the date it was taken and its version")
        self.list.itemSelectionChanged.connect(self._on_list_item_selection_changed)
        self.list.itemDoubleClicked.connect(self._on_list_item_double_clicked)
        self.more = named(QLabel(wordWrap=True), "olderBackupsNote")
        self.more.setTextFormat(Qt.TextFormat.PlainText)
        self.more.hide()
        note = named(
            QLabel(
                "The chosen backup replaces the database. The current file will be kept aside "
                "in backups/ first, so nothing is lost.",
                wordWrap=True,
            ),
            "restoreNote",
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.other_button = named(QPushButton("Choose another file…"), "chooseBackupButton")
        self.other_button.setToolTip("Restore a backup kept somewhere else (a USB stick, e-mail…)")
        self.other_button.clicked.connect(self._on_other_button_clicked)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button = named(QPushButton("Restore…"), "restoreChosenButton")
        self.restore_button.setToolTip("Put the selected backup back in place of the database")
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.more)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(640, 360)
        self._background = background
        self._preselect = preselect
        self._reads = 0  # looks at files still running on the worker
        self._placeholder(READING)
        self.restore_button.setEnabled(False)
        self._read(lambda: read_listing(db, catalog, preselect), self._on_listing_read)

    @property
    def busy(self) -> bool:
        """The list, or a file chosen from elsewhere, is still being read."""
        return self._reads > 0

    def _read(self, read: Callable[[], object], done: Callable[[object], None]) -> None:
        self._reads += 1

        def deliver(result: object) -> None:
            if isValid(self):  # the person may have closed the dialog meanwhile
                self._reads -= 1
                done(result)
                self.read.emit()

        self._background.run(read, deliver, UNEXPECTED_LISTING)

    def _placeholder(self, text: str) -> None:
        self.list.clear()
        placeholder = QListWidgetItem(text)
        placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
        self.list.addItem(placeholder)

    def _on_listing_read(self, listing: object) -> None:
        if isinstance(listing, Problem):
            listing = Listing([], 0, listing.text)
        assert isinstance(listing, Listing)
        self.list.clear()
        backups = listing.backups
        for info in backups:
            self._add_item(info)
        if listing.total > len(backups):
            self.more.setText(more_text(len(backups), listing.total, default_backup_dir(self.db)))
            self.more.show()
        if not backups:
            self._placeholder(listing.empty_text)
        if listing.preselected is not None:
            self.list.setCurrentItem(self._add_item(listing.preselected, 0))
        elif self._preselect is not None:
            self.select(self._preselect)
        elif backups:
            self.list.setCurrentRow(0)
        self._on_list_item_selection_changed()

    def _add_item(self, info: BackupInfo, row: int | None = None) -> QListWidgetItem:
        item = QListWidgetItem(describe(info))
        item.setData(Qt.ItemDataRole.UserRole, info)
        item.setToolTip(str(info.path))
        if row is None:
            self.list.addItem(item)
        else:
            self.list.insertItem(row, item)
        return item

    def select(self, path: Path) -> bool:
        """Select the listed backup at ``path``; False if it is not listed."""
        for row in range(self.list.count()):
            info = self.list.item(row).data(Qt.ItemDataRole.UserRole)
            if isinstance(info, BackupInfo) and info.path == path:
                self.list.setCurrentRow(row)
                return True
        return False

    def add_file(self, path: Path) -> None:
        """List a backup from elsewhere at the top and select it (or say why it can't be)."""
        if not self.select(path):
            self._read(lambda: look_at(path, self.catalog), self._on_file_read)

    def _on_file_read(self, looked: object) -> None:
        if isinstance(looked, BackupInfo):
            if self.list.count() == 1 and self.list.item(0).data(Qt.ItemDataRole.UserRole) is None:
                self.list.clear()  # the "no backups" line goes
            self.list.setCurrentItem(self._add_item(looked, 0))
            return
        if isinstance(looked, Problem):
            looked = Refused(Path(), looked.text, looked.details)
        assert isinstance(looked, Refused)
        box = tell(
            self,
            "That file can't be used",
            f"{looked.path} can't be read, so it can't be restored: {looked.reason}. "
            "The database was not changed.",
        )
        if looked.details:
            box.setDetailedText(looked.details)

    def chosen(self) -> BackupInfo | None:
        item = self.list.currentItem()
        info = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return info if isinstance(info, BackupInfo) and item.isSelected() else None

    @Slot()
    def _on_list_item_selection_changed(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    @Slot(QListWidgetItem)
    def _on_list_item_double_clicked(self, item: QListWidgetItem) -> None:
        self._on_restore_button_clicked()

    @Slot()
    def _on_other_button_clicked(self) -> None:
        chosen = self.choose_file(self, str(self.db.parent))
        if chosen:
            self.add_file(Path(chosen))

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        info = self.chosen()
        if info is None:
            return
        self.accept()
        self.backup_chosen.emit(info)
