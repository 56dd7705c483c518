"""Choose several copies of the database to upgrade, and see where each one stands.

The office PC's file, the treasurer's laptop's, a USB stick's: each is added
(files, or every database file in a folder) and read on the window's
:class:`~gui.background.Background`, never on the window thread. Each row
says the copy's state in words; the Upgrade button counts those that can be
upgraded, and hands exactly those over with ``chosen``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import api, wording
from core.batch import FileOutcome, Result
from core.discovery import Catalog
from core.state import Action, State
from core.status import DatabaseStatus
from gui.background import Background, Problem
from gui.dialogs import FILE_FILTERS
from gui.named import named

DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
UNEXPECTED = "The copies could not be read because of an unexpected problem inside this tool."
FILE_PATH, VERSION, STATE = range(3)


def can_upgrade_copy(status: DatabaseStatus) -> bool:
    """Pending migrations on a writable society database (an empty file is set up alone)."""
    society = status.state.allows(Action.UPGRADE) and status.state is not State.NEW
    return society and bool(status.pending) and status.writable


def database_files(folder: Path) -> list[Path]:
    """The database files directly in ``folder`` (not its backups), by name."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DATABASE_SUFFIXES
    )


def read_states(paths: Sequence[Path], catalog: Catalog | None) -> list[DatabaseStatus]:
    """Runs on the worker: each copy's status (read-only, quick)."""
    migrations = catalog or api.load_catalog()
    return [api.status(p, catalog=migrations) for p in paths]


class CopiesDialog(QDialog):
    """The copies to upgrade, each with its version and state.

    Signals:
        chosen(list, list): when the person pressed Upgrade: the paths that can be upgraded,
            and a :class:`~core.batch.FileOutcome` for each of the others (left alone).
        states_read(): the rows show the state of every copy added so far.
    """

    chosen = Signal(list, list)
    states_read = Signal()

    def __init__(
        self, background: Background, catalog: Catalog | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("copiesDialog")
        self.setWindowTitle("Upgrade several copies")
        self.background, self.catalog = background, catalog
        self.statuses: dict[Path, DatabaseStatus | None] = {}  # None: being read
        # Replaceable in tests: the pickers return what the person chose.
        self.choose_files: Callable[[], list[str]] = self._pick_files
        self.choose_folder: Callable[[], str] = self._pick_folder

        intro = QLabel(
            "Add every copy of the society database to bring up to date: the office PC's, "
            "the treasurer's laptop's, USB sticks. Close the Society Management System first. "
            "Each copy gets its own safety copy before it changes."
        )
        intro.setWordWrap(True)
        self.add_files_button = self._button("&Add files…", "addFilesButton", self._add_files)
        self.add_folder_button = self._button("Add a &folder…", "addFolderButton", self._add_folder)
        self.remove_button = self._button("&Remove", "removeCopyButton", self._remove_selected)
        self.table = named(QTableWidget(0, 3), "copiesView")
        self.table.setHorizontalHeaderLabels(["File", "Version", "State"])
        self.table.setAccessibleName("Copies to upgrade")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            FILE_PATH, QHeaderView.ResizeMode.Stretch
        )
        self.note = named(QLabel(), "copiesNote")
        self.note.setWordWrap(True)
        self.upgrade_button = self._button("&Upgrade", "upgradeCopiesButton", self._upgrade)
        self.upgrade_button.setDefault(True)
        close = self._button("Close", "closeCopiesButton", self.reject)

        adding = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            adding.addWidget(button)
        adding.addStretch(1)
        ending = QHBoxLayout()
        ending.addWidget(self.note, 1)
        ending.addWidget(self.upgrade_button)
        ending.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(adding)
        layout.addWidget(self.table, 1)
        layout.addLayout(ending)
        self.resize(760, 420)
        self._show_rows()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = named(QPushButton(text), name)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    @property
    def upgradable(self) -> list[Path]:
        return [p for p, s in self.statuses.items() if s is not None and can_upgrade_copy(s)]

    def left_alone(self) -> list[FileOutcome]:
        """The copies that won't be upgraded, as the summary lists them, with why."""
        return [
            FileOutcome(
                path,
                status.current_version,
                status.current_version,
                Result.UP_TO_DATE if status.state is State.UP_TO_DATE else Result.NOT_UPGRADED,
                reason=status.summary,
            )
            for path, status in self.statuses.items()
            if status is not None and not can_upgrade_copy(status)
        ]

    @property
    def reading(self) -> bool:
        return any(s is None for s in self.statuses.values())

    def add_paths(self, paths: Sequence[Path | str]) -> None:
        """Add copies (a folder adds its database files) and read their states on the worker."""
        new: list[Path] = []
        for given in paths:
            path = Path(given).expanduser().absolute()
            for file in database_files(path) if path.is_dir() else [path]:
                if file not in self.statuses and file not in new:
                    new.append(file)
        if not new:
            self._show_rows()
            return
        for file in new:
            self.statuses[file] = None
        self._show_rows()
        self.background.run(lambda: read_states(new, self.catalog), self._on_states, UNEXPECTED)

    def _on_states(self, result: object) -> None:
        if isinstance(result, Problem):
            self.note.setText(result.text)
            return
        assert isinstance(result, list)
        for status in result:
            if status.path in self.statuses:
                self.statuses[status.path] = status
        self._show_rows()
        if not self.reading:
            self.states_read.emit()

    def _show_rows(self) -> None:
        self.table.setRowCount(len(self.statuses))
        for row, (path, status) in enumerate(self.statuses.items()):
            version = (
                "" if status is None or status.current_version is None else status.current_version
            )
            words = "Checking…" if status is None else wording.state_words(status)
            for column, text in ((FILE_PATH, str(path)), (VERSION, str(version)), (STATE, words)):
                item = QTableWidgetItem(text)
                if status is not None and column == STATE and status.summary:
                    item.setToolTip(status.summary)
                self.table.setItem(row, column, item)
        n = len(self.upgradable)
        self.upgrade_button.setText(f"&Upgrade {n} cop{'y' if n == 1 else 'ies'}")
        self.upgrade_button.setEnabled(n > 0 and not self.reading)
        self.remove_button.setEnabled(bool(self.statuses))
        if self.reading:
            self.note.setText("Checking the copies…")
        elif self.statuses:
            self.note.setText(f"{n} of {len(self.statuses)} can be upgraded.")
        else:
            self.note.setText("No copies added yet.")

    @Slot()
    def _add_files(self) -> None:
        self.add_paths(self.choose_files())

    @Slot()
    def _add_folder(self) -> None:
        folder = self.choose_folder()
        if folder:
            self.add_paths([folder])

    @Slot()
    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        paths = list(self.statuses)
        for row in rows or [len(paths) - 1]:
            self.statuses.pop(paths[row], None)
        self._show_rows()

    @Slot()
    def _upgrade(self) -> None:
        if self.upgradable and not self.reading:
            self.chosen.emit(self.upgradable, self.left_alone())
            self.accept()

    def _pick_files(self) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(self, "Add copies", "", FILE_FILTERS)
        return files

    def _pick_folder(self) -> str:
        return QFileDialog.getExistingDirectory(self, "Add every database in a folder")


def open_copies_dialog(
    parent: QWidget, background: Background, catalog: Catalog | None
) -> CopiesDialog:
    dialog = CopiesDialog(background, catalog, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
