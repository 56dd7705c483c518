"""The main window: open a society database, see its migrations, upgrade it safely.

The window only shows and asks; the work is :mod:`core`'s. Looking at a file
(:func:`core.status.inspect_database`) is quick and read-only, so it runs
here, against the migrations :class:`~core.discovery.Catalog` loaded once
(importing and hashing every migration file is not quick) and loaded again
only by "Check again"; the upgrade and the test on a copy run that same
catalog, so they run what the window showed. An upgrade, a restore and a
test on a copy each run on a worker (:mod:`gui.worker`) in its own
``QThread``, started and followed by the
:class:`~gui.job_controller.JobController`; the window says what they did.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.discovery import Catalog, load_catalog
from core.errors import MigrationError
from core.rehearse import Rehearsal
from core.restore import BackupInfo, RestoreResult
from core.runner import UpgradeResult
from core.status import DatabaseStatus, State, inspect_database
from gui.dialogs import (
    FILE_FILTERS,
    ask,
    close_question,
    new_database_text,
    plan_text,
    restore_text,
    tell,
)
from gui.job_controller import JobController, JobOutcome
from gui.log_panel import LogPanel
from gui.migrations_model import DESCRIPTION, MigrationsModel
from gui.rehearsal_report import log_rehearsal, show_rehearsal
from gui.restore_dialog import RestoreDialog
from gui.settings import Settings
from gui.status_panel import StatusPanel, interrupted_text, summary_without_note
from gui.worker import JobWorker, RehearseWorker, RestoreWorker, UpgradeWorker, details_of

APP_TITLE = "Society DB Migrator"
CAN_UPGRADE = frozenset({State.NEW, State.UNVERSIONED, State.PENDING})
UNREADABLE_STATUS = (
    "The file could not be checked because of an unexpected problem inside this tool. "
    "Nothing was changed. The technical details help whoever maintains the tool."
)

# confirm(title, question, yes_label) -> True to go ahead. Tests replace it.
Confirm = Callable[[str, str, str], bool]


class MainWindow(QMainWindow):
    """One database at a time: its status, its migrations, its jobs and the log.

    Signals:
        database_opened(object): the ``DatabaseStatus`` just read for the open file.
        upgrade_finished(bool): an upgrade's thread has ended; True if it ran to the end,
            False if it failed or was cancelled (even between migrations).
        job_finished(object): any job (upgrade, restore, test on a copy) has ended and
            the window shows its result: the ``JobOutcome``.
    """

    database_opened = Signal(object)
    upgrade_finished = Signal(bool)
    job_finished = Signal(object)

    def __init__(self, migrations_dir: Path | str | None = None) -> None:
        super().__init__()
        self.migrations_dir = migrations_dir
        self.confirm: Confirm = self._ask
        self._settings = Settings()
        self._path: Path | None = None
        self._status: DatabaseStatus | None = None
        self._catalog: Catalog | None = None  # loaded when first needed; F5 loads it again
        self._sample = False
        self._close_when_done = False

        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.model = MigrationsModel(self)
        self._make_actions()
        self.setCentralWidget(self._make_body())
        self.jobs = JobController(
            self.model, self.view, self.progress, self.progress_label, self.log, self
        )
        self.jobs.ended.connect(self._on_jobs_ended)
        self.jobs.reset_progress(0)
        self._make_menus()
        self._update_actions()
        self.resize(960, 680)
        geometry = self._settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)

    # --- building the window ---------------------------------------------------

    def _action(self, text: str, tip: str, shortcut: QKeySequence | str, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        shortcut_text = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({shortcut_text})" if shortcut_text else tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        self.open_action = self._action(
            "&Open…",
            "Open a society database file",
            QKeySequence.StandardKey.Open,
            self._on_open_action_triggered,
        )
        self.reload_action = self._action(
            "Check &again",
            "Read the file's status again, e.g. after closing the program that locked it",
            QKeySequence.StandardKey.Refresh,
            self._on_reload_action_triggered,
        )
        self.upgrade_action = self._action(
            "&Upgrade",
            "Apply the pending migrations; a safety copy of the file is made first",
            "Ctrl+U",
            self._on_upgrade_action_triggered,
        )
        self.rehearse_action = self._action(
            "&Test on a copy",
            "Run the pending migrations on a temporary copy and report what would happen; "
            "the real file is not touched",
            "Ctrl+T",
            self._on_rehearse_action_triggered,
        )
        self.restore_action = self._action(
            "&Restore…",
            "Put a backup back in place of this database; the current file is kept aside first",
            "Ctrl+Shift+R",
            self._on_restore_action_triggered,
        )
        self.cancel_action = self._action(
            "&Cancel",
            "Stop the upgrade (or the test on a copy) after the migration that is running; "
            "press again to stop that one too (it is undone)",
            "Esc",
            self._on_cancel_action_triggered,
        )
        self.quit_action = self._action(
            "&Quit", "Close the window", QKeySequence.StandardKey.Quit, self.close
        )
        self.recent_menu = QMenu("Open &Recent", self, objectName="recentMenu")

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self.reload_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        database_menu = self.menuBar().addMenu("&Database")
        database_menu.addAction(self.upgrade_action)
        database_menu.addAction(self.rehearse_action)
        database_menu.addAction(self.cancel_action)
        database_menu.addSeparator()
        database_menu.addAction(self.restore_action)
        self._fill_recent_menu()

    def add_action_button(self, action: QAction, name: str) -> QToolButton:
        """A button for ``action`` in the action row (more actions slot in here)."""
        button = QToolButton(objectName=name)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.action_row.insertWidget(self.action_row.count() - 1, button)
        return button

    def _make_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        self.action_row = QHBoxLayout()
        self.action_row.addStretch(1)
        layout.addLayout(self.action_row)
        open_button = self.add_action_button(self.open_action, "openButton")
        open_button.setMenu(self.recent_menu)
        open_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.add_action_button(self.reload_action, "reloadButton")
        self.add_action_button(self.upgrade_action, "upgradeButton")
        self.add_action_button(self.rehearse_action, "rehearseButton")
        self.add_action_button(self.cancel_action, "cancelButton")
        self.add_action_button(self.restore_action, "restoreButton")

        self.status_panel = StatusPanel()
        self.status_panel.banner.retry_requested.connect(self._on_upgrade_action_triggered)
        self.status_panel.banner.restore_requested.connect(self._on_banner_restore_requested)
        layout.addWidget(self.status_panel)

        self.progress_label = QLabel(objectName="progressLabel", wordWrap=True)
        self.progress = QProgressBar(objectName="progressBar")
        self.progress.setToolTip("How far the safety copy, or the migrations, have got")
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)

        self.view = QTableView(objectName="migrationsView")
        self.view.setModel(self.model)
        self.view.setToolTip("Every migration this tool knows, and whether this file has it")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)

        self.log = LogPanel()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.log)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([220, 320])
        layout.addWidget(splitter, 1)
        return body

    # --- opening files -----------------------------------------------------------

    @property
    def is_busy(self) -> bool:
        """A job (upgrade, restore, test on a copy) is running: the file can't change now."""
        return self.jobs.busy

    @property
    def path(self) -> Path | None:
        return self._path

    def open_database(self, path: Path | str, *, sample: bool = False) -> DatabaseStatus | None:
        """Show where ``path`` stands; never raises, whatever the file is."""
        if self.is_busy:
            self.log.add(f"Another file can't be opened while the {self.jobs.kind} is running.")
            return None
        file = Path(path).expanduser().absolute()
        self._path, self._sample = file, sample
        self.model.set_rows(())
        self.jobs.reset_progress(0)
        status = self._read_status()
        if status is not None:
            self.log.add(f"Opened {file.name}: {summary_without_note(status)}")
            if status.interrupted is not None:
                text = interrupted_text(status.interrupted, status.current_version)
                self.log.add(text, failure=True)
            if status.state is State.MISSING:
                self._settings.forget_file(str(file))
            elif not sample:
                self._settings.remember_file(file)
            self._fill_recent_menu()
        return status

    def _load_catalog(self) -> Catalog | None:
        """Import the migrations folder (slow: every file); a broken one is shown as text."""
        self._catalog = None
        try:
            self._catalog = load_catalog(self.migrations_dir)
        except MigrationError as exc:  # the migrations folder itself is broken: its own words
            self._show_problem(str(exc), "")
        except Exception as exc:
            self._show_problem(UNREADABLE_STATUS, details_of(exc))
        return self._catalog

    def _read_status(
        self, *, keep_marks: bool = False, reload_catalog: bool = False
    ) -> DatabaseStatus | None:
        """Read the open file's status into the window (read-only, quick)."""
        if self._path is None:
            return None
        catalog = self._catalog
        if catalog is None or reload_catalog:
            catalog = self._load_catalog()
            if catalog is None:
                return None
        try:
            status = inspect_database(self._path, catalog)
        except Exception as exc:
            self._show_problem(UNREADABLE_STATUS, details_of(exc))
            return None
        self.model.set_rows(status.migrations, keep_marks=keep_marks)
        self.status_panel.show_status(status, sample=self._sample)
        self.setWindowTitle(f"{self._path.name} - {APP_TITLE}")
        if not keep_marks:
            self.jobs.reset_progress(len(status.pending))
        self._status = status
        self._update_actions()
        self.database_opened.emit(status)
        return status

    def _show_problem(self, text: str, details: str) -> None:
        """Not about the file (the migrations folder, a bug): the path stays for Check again."""
        self._status = None
        self.model.set_rows(())
        self.status_panel.show_problem(text)
        self.log.add(text, failure=True)
        if details:
            self.log.add_details(text, details)
        self.setWindowTitle(APP_TITLE)
        self._update_actions()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for recent in self._settings.recent_files:
            action = self.recent_menu.addAction(recent)
            action.setData(recent)
            action.triggered.connect(self._on_recent_action_triggered)
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty() and not self.is_busy)

    @Slot()
    def _on_open_action_triggered(self) -> None:
        start = str(self._path.parent) if self._path else self._settings.last_folder
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Open a society database", start, FILE_FILTERS
        )
        if chosen:
            self.open_database(chosen)

    @Slot()
    def _on_recent_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.open_database(str(action.data()))

    @Slot()
    def _on_reload_action_triggered(self) -> None:
        if self._path is not None and not self.is_busy:
            status = self._read_status(reload_catalog=True)  # the migrations may have changed
            if status is not None:
                self.log.add(f"Checked {self._path.name} again: {status.summary}")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.is_busy and _dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        dropped = _dropped_file(event)
        if self.is_busy or dropped is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_database(dropped)

    # --- upgrading, restoring, testing on a copy ----------------------------------

    @Slot()
    def _on_upgrade_action_triggered(self) -> None:
        if self.is_busy or self._path is None:
            return
        status = self._read_status()  # the file may have changed since it was opened
        if status is None or status.state not in CAN_UPGRADE or not status.writable:
            return
        if status.state is State.NEW:
            asked = self.confirm("Set up a new database?", new_database_text(status), "Set it up")
            declined = "Not set up; the file was not changed (it is still empty)."
        else:
            asked = self.confirm("Upgrade the database?", plan_text(status), "Upgrade")
            declined = "Upgrade not started; the file was not changed."
        if not asked:
            self.log.add(declined)
            return
        self._start(
            UpgradeWorker(self._path, catalog=self._catalog), f"Upgrading {status.path.name}…"
        )

    @Slot()
    def _on_rehearse_action_triggered(self) -> None:
        if self.is_busy or self._path is None:
            return
        status = self._read_status()
        if status is None or status.state not in CAN_UPGRADE:
            return
        self._start(
            RehearseWorker(self._path, catalog=self._catalog),
            f"Testing the upgrade on a temporary copy of {status.path.name}; "
            "the real file is not touched…",
        )

    @Slot()
    def _on_restore_action_triggered(self) -> None:
        self.open_restore_dialog()

    @Slot()
    def _on_banner_restore_requested(self) -> None:
        note = self._status.interrupted if self._status is not None else None
        self.open_restore_dialog(Path(note.backup) if note and note.backup else None)

    def open_restore_dialog(self, preselect: Path | None = None) -> RestoreDialog | None:
        """Show the open file's backups (``preselect`` chosen); None while busy or no file."""
        if self.is_busy or self._path is None or self._catalog is None:
            return None
        dialog = RestoreDialog(self._path, self._catalog, preselect=preselect, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.backup_chosen.connect(self._on_restore_dialog_backup_chosen)
        dialog.open()
        return dialog

    @Slot(object)
    def _on_restore_dialog_backup_chosen(self, backup: BackupInfo) -> None:
        if self.is_busy or self._path is None:
            return
        if not self.confirm("Restore this backup?", restore_text(backup, self._path), "Restore"):
            self.log.add("Restore not started; the file was not changed.")
            return
        self._start(
            RestoreWorker(backup.path, self._path, self.migrations_dir),
            f"Restoring {self._path.name} from {backup.path}…",
        )

    def _start(self, worker: JobWorker, intro: str) -> None:
        self.cancel_action.setText("&Cancel")
        self.jobs.start(worker, intro)
        self._update_actions()

    @Slot()
    def _on_cancel_action_triggered(self) -> None:
        self.jobs.cancel()
        if self.jobs.cancel_requested:
            self.cancel_action.setText("Stop &now")
        self._update_actions()

    @Slot(object)
    def _on_jobs_ended(self, outcome: JobOutcome) -> None:
        self._read_status(keep_marks=outcome.kind != RestoreWorker.kind)
        self._fill_recent_menu()
        self._update_actions()
        match outcome.result:
            case UpgradeResult(backup=Path() as backup):
                self.log.add(f"The safety copy from before the upgrade is kept at {backup}")
            case RestoreResult(restored_version=version, replaced_kept_at=kept):
                kept_text = f" The file it replaced is kept at {kept}" if kept else ""
                self.log.add(f"Restore finished: the database is at version {version}.{kept_text}")
            case Rehearsal() as rehearsal:
                self.progress_label.setText(rehearsal.text)
                log_rehearsal(self.log, rehearsal)
                if not self._close_when_done:
                    show_rehearsal(self, rehearsal)
        if outcome.error is not None and not self._close_when_done:
            tell(self, f"The {outcome.kind} did not finish", outcome.error)
        if outcome.kind == UpgradeWorker.kind:
            self.upgrade_finished.emit(outcome.ok)
        self.job_finished.emit(outcome)
        if self._close_when_done:
            self.close()

    def _update_actions(self) -> None:
        busy = self.is_busy
        status = self._status if self._path is not None else None
        can_restore = self._path is not None and self._catalog is not None
        can_rehearse = status is not None and status.state in CAN_UPGRADE and bool(status.pending)
        can_upgrade = can_rehearse and status is not None and status.writable
        self.open_action.setEnabled(not busy)
        self.reload_action.setEnabled(not busy and self._path is not None)
        self.upgrade_action.setEnabled(not busy and can_upgrade)
        self.rehearse_action.setEnabled(not busy and can_rehearse)
        self.restore_action.setEnabled(not busy and can_restore)
        self.cancel_action.setEnabled(self.jobs.can_cancel and not self._close_when_done)
        self.recent_menu.setEnabled(not busy and not self.recent_menu.isEmpty())
        banner = self.status_panel.banner
        banner.retry_button.setEnabled(not busy and can_upgrade)
        banner.restore_button.setEnabled(not busy and can_restore)

    def _ask(self, title: str, question: str, yes: str) -> bool:
        return ask(self, title, question, yes)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_busy:
            event.ignore()
            kind = self.jobs.kind or "job"
            if self._close_when_done or not self.confirm(*close_question(kind)):
                return
            self._close_when_done = True
            self.jobs.stop()
            self.log.add(f"Stopping the {kind}; the window closes when the database is safe.")
            self._update_actions()
            return
        self._settings.save_geometry(self.saveGeometry())
        super().closeEvent(event)


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
    urls = event.mimeData().urls() if event.mimeData() else []
    if len(urls) == 1 and urls[0].isLocalFile():
        return urls[0].toLocalFile()
    return None
