"""The Restore dialog: pick one of the open file's backups (or another file) to put back.

It only chooses; the window asks for confirmation and runs
:func:`core.api.restore` on a worker thread. Listing the backups reads each
one's version, a status-sized look that is fine on the GUI thread.
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

from core import api
from core.restore import BackupInfo
from core.status import State
from gui.dialogs import FILE_FILTERS

NO_BACKUPS = "No backups of this file yet: none in the “backups” folder beside it."

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


def describe(info: BackupInfo, today: date | None = None) -> str:
    """One line a person can pick by: when, which version, which file."""
    version = "can't be read" if info.version is None else f"version {info.version}"
    return f"{when_text(info.taken_at, today):<16}   {version:<14}   {info.path.name}"


class RestoreDialog(QDialog):
    """The backups of ``db``, newest first, and “Choose another file…”.

    Signals:
        backup_chosen(object): the ``BackupInfo`` the person chose to restore.
    """

    backup_chosen = Signal(object)

    def __init__(
        self,
        db: Path,
        migrations_dir: Path | str | None = None,
        *,
        preselect: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, objectName="restoreDialog")
        self.db = db
        self.migrations_dir = migrations_dir
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
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(640, 360)
        self._fill(api.list_backups(db), preselect)

    def _fill(self, backups: list[BackupInfo], preselect: Path | None) -> None:
        for info in backups:
            self._add_item(info)
        if not backups:
            placeholder = QListWidgetItem(NO_BACKUPS)
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

    def add_file(self, path: Path) -> None:
        """List a backup from elsewhere at the top and select it."""
        if self.select(path):
            return
        found = api.status(path, self.migrations_dir)
        usable = found.state not in (State.MISSING, State.UNREADABLE, State.NOT_SQLITE)
        info = BackupInfo(
            path,
            found.current_version if usable else None,
            datetime.fromtimestamp(path.stat().st_mtime) if path.exists() else datetime.now(),
        )
        self.list.setCurrentItem(self._add_item(info, 0))

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
