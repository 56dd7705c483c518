"""The Restore dialog: pick one of the open file's backups (or another file) to put back.

It only chooses; the window asks for confirmation and runs
:func:`core.api.restore` on a worker thread. Listing the backups reads each
one's version, a status-sized look that is fine on the GUI thread for a few
files; so only the :data:`MAX_LISTED` newest are read, and the dialog says
when there are more.
"""

from __future__ import annotations

from collections.abc import Callable
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

from core.backup import default_backup_dir
from core.discovery import Catalog
from core.restore import BackupInfo
from core.status import State, inspect_database
from gui.dialogs import FILE_FILTERS, reason_of, tell
from gui.worker import details_of

NO_BACKUPS = "No backups of this file yet: none in the “backups” folder beside it."
MAX_LISTED = 50  # each listed backup is opened to read its version, on the GUI thread
UNREADABLE_STATES = (State.MISSING, State.UNREADABLE, State.NOT_SQLITE, State.CORRUPT)

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
    version = None if found.state in UNREADABLE_STATES else found.current_version
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
        (path.stat().st_mtime, path)
        for path in folder.glob(f"{db.stem}_*{db.suffix or '.db'}")
        if path.is_file()
    ]
    timed.sort(reverse=True)
    return [backup_info(path, catalog) for _, path in timed[:limit]], len(timed)


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
    """

    backup_chosen = Signal(object)

    def __init__(
        self,
        db: Path,
        catalog: Catalog,
        *,
        preselect: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, objectName="restoreDialog")
        self.db = db
        self.catalog = catalog
        self.choose_file: ChooseFile = _native_choose_file
        self.setWindowTitle(f"Restore {db.name} from a backup")
        intro = QLabel(
            f"Backups of <b>{db.name}</b>, newest first. Pick the one to put back:",
            objectName="restoreIntro",
        )
        self.list = QListWidget(objectName="backupList")
        self.list.setToolTip("Each backup with the date it was taken and its version")
        self.list.itemSelectionChanged.connect(self._on_list_item_selection_changed)
        self.list.itemDoubleClicked.connect(self._on_list_item_double_clicked)
        self.more = QLabel(objectName="olderBackupsNote", wordWrap=True)
        self.more.setTextFormat(Qt.TextFormat.PlainText)
        self.more.hide()
        note = QLabel(
            "The chosen backup replaces the database. The current file will be kept aside in "
            "backups/ first, so nothing is lost.",
            objectName="restoreNote",
            wordWrap=True,
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.other_button = QPushButton("Choose another file…", objectName="chooseBackupButton")
        self.other_button.setToolTip("Restore a backup kept somewhere else (a USB stick, e-mail…)")
        self.other_button.clicked.connect(self._on_other_button_clicked)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button = QPushButton("Restore…", objectName="restoreChosenButton")
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
        self._fill(preselect)

    def _fill(self, preselect: Path | None) -> None:
        try:
            backups, total = newest_backups(self.db, self.catalog)
            empty_text = NO_BACKUPS
        except Exception as exc:  # a folder that vanishes or can't be read: say so, go on
            backups, total = [], 0
            empty_text = f"The backups folder beside this file can't be read: {reason_of(exc)}."
        for info in backups:
            self._add_item(info)
        if total > len(backups):
            self.more.setText(more_text(len(backups), total, default_backup_dir(self.db)))
            self.more.show()
        if not backups:
            placeholder = QListWidgetItem(empty_text)
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)
        if preselect is not None and not self.select(preselect) and preselect.is_file():
            self.add_file(preselect)
        elif preselect is None and backups:
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

    def add_file(self, path: Path) -> bool:
        """List a backup from elsewhere at the top and select it; False (and say why) if not."""
        if self.select(path):
            return True
        try:
            info = backup_info(path, self.catalog)
        except Exception as exc:  # the file vanished, or the system refused the path
            box = tell(
                self,
                "That file can't be used",
                f"{path} can't be read, so it can't be restored: {reason_of(exc)}. "
                "The database was not changed.",
            )
            if not isinstance(exc, OSError):  # not the file's fault: keep what a maintainer needs
                box.setDetailedText(details_of(exc))
            return False
        self.list.setCurrentItem(self._add_item(info, 0))
        return True

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
