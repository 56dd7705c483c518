"""The main window: open a society database, see its migrations, upgrade it safely.

The window only shows and asks; the work is :mod:`core`'s. Looking at a file
(:func:`core.api.status`) is instant and read-only, so it runs here; an
upgrade runs on a :class:`~gui.worker.UpgradeWorker` in its own ``QThread``,
and the window follows it through the engine's events.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import api
from core.errors import MigrationError
from core.events import (
    BackupDone,
    BackupProgress,
    BackupStarted,
    MigrationApplied,
    MigrationRolledBack,
    MigrationStarted,
    Notice,
    PlanReady,
    UpgradeFinished,
)
from core.runner import UpgradeResult
from core.status import DatabaseStatus, State
from gui.log_panel import LogPanel
from gui.migrations_model import DESCRIPTION, MigrationsModel
from gui.settings import Settings
from gui.status_panel import StatusPanel
from gui.worker import UNEXPECTED, UpgradeWorker, details_of

APP_TITLE = "Society DB Migrator"
FILE_FILTERS = "SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"
CAN_UPGRADE = frozenset({State.NEW, State.UNVERSIONED, State.PENDING})

# confirm(title, question, yes_label) -> True to go ahead. Tests replace it.
Confirm = Callable[[str, str, str], bool]


class MainWindow(QMainWindow):
    """One database at a time: its status, its migrations, the upgrade and the log.

    Signals:
        database_opened(object): the ``DatabaseStatus`` just read for the open file.
        upgrade_finished(bool): an upgrade's thread has ended; True if it ran to the end
            (or stopped between migrations as asked), False if it failed or was cancelled.
    """

    database_opened = Signal(object)
    upgrade_finished = Signal(bool)

    def __init__(self, migrations_dir: Path | str | None = None) -> None:
        super().__init__()
        self.migrations_dir = migrations_dir
        self.confirm: Confirm = self._ask
        self._settings = Settings()
        self._path: Path | None = None
        self._status: DatabaseStatus | None = None
        self._sample = False
        self._thread: QThread | None = None
        self._worker: UpgradeWorker | None = None
        self._upgrade_ok = False
        self._close_when_done = False
        self._last_failure_text = ""

        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.model = MigrationsModel(self)
        self._make_actions()
        self.setCentralWidget(self._make_body())
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
        self.cancel_action = self._action(
            "&Cancel",
            "Stop the upgrade after the migration that is running; press again to stop "
            "that one too (it is undone)",
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
        database_menu.addAction(self.cancel_action)
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
        self.add_action_button(self.cancel_action, "cancelButton")

        self.status_panel = StatusPanel()
        layout.addWidget(self.status_panel)

        self.progress_label = QLabel(objectName="progressLabel", wordWrap=True)
        self.progress = QProgressBar(objectName="progressBar")
        self.progress.setToolTip("How many of this upgrade's migrations are done")
        self._reset_progress(0)
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
        """An upgrade is running: the file can't be changed now."""
        return self._thread is not None

    @property
    def path(self) -> Path | None:
        return self._path

    def open_database(self, path: Path | str, *, sample: bool = False) -> DatabaseStatus | None:
        """Show where ``path`` stands; never raises, whatever the file is."""
        if self.is_busy:
            self.log.add("Another file can't be opened while an upgrade is running.")
            return None
        file = Path(path).expanduser().absolute()
        self._path, self._sample = file, sample
        self.model.set_rows(())
        self._reset_progress(0)
        status = self._read_status()
        if status is not None:
            self.log.add(f"Opened {file.name}: {status.summary}")
            if status.state is State.MISSING:
                self._settings.forget_file(str(file))
            elif not sample:
                self._settings.remember_file(file)
            self._fill_recent_menu()
        return status

    def _read_status(self, *, keep_marks: bool = False) -> DatabaseStatus | None:
        """Read the open file's status into the window (read-only, instant)."""
        if self._path is None:
            return None
        try:
            status = api.status(self._path, self.migrations_dir)
        except MigrationError as exc:  # the migrations folder itself is broken
            self._show_problem(str(exc), "")
            return None
        except Exception as exc:
            self._show_problem(UNEXPECTED, details_of(exc))
            return None
        self.model.set_rows(status.migrations, keep_marks=keep_marks)
        self.status_panel.show_status(status, sample=self._sample)
        self.setWindowTitle(f"{self._path.name} - {APP_TITLE}")
        if not keep_marks:
            self._reset_progress(len(status.pending))
        self._status = status
        self._update_actions()
        self.database_opened.emit(status)
        return status

    def _show_problem(self, text: str, details: str) -> None:
        self._path = None
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
            status = self._read_status()
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

    # --- upgrading ---------------------------------------------------------------

    @Slot()
    def _on_upgrade_action_triggered(self) -> None:
        if self.is_busy or self._path is None:
            return
        status = self._read_status()  # the file may have changed since it was opened
        if status is None or status.state not in CAN_UPGRADE or not status.writable:
            return
        if not self.confirm("Upgrade the database?", _plan_text(status), "Upgrade"):
            self.log.add("Upgrade not started; the file was not changed.")
            return
        self._start_upgrade(self._path)

    def _start_upgrade(self, path: Path) -> None:
        self._upgrade_ok = False
        self._last_failure_text = ""
        self._worker = UpgradeWorker(path, self.migrations_dir)
        self._thread = QThread(self)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.event.connect(self._on_worker_event)
        self._worker.completed.connect(self._on_worker_completed)
        self._worker.cancelled.connect(self._on_worker_cancelled)
        self._worker.failed.connect(self._on_worker_failed)
        self._worker.finished.connect(self._thread.quit)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.finished.connect(self._on_thread_finished)
        self.cancel_action.setText("&Cancel")
        self.log.add(f"Upgrading {path.name}…")
        self._update_actions()
        self._thread.start()

    @Slot()
    def _on_cancel_action_triggered(self) -> None:
        if self._worker is None:
            return
        if not self._worker.cancel_requested:
            self._worker.cancel()
            self.log.add(
                "Cancelling: the upgrade stops after the migration that is running now. "
                "Press Cancel again to stop that one too; its changes will be undone."
            )
            self.cancel_action.setText("Stop &now")
        else:
            self._worker.cancel(interrupt=True)
            self.log.add("Stopping now: the running migration is being rolled back.")
            self.cancel_action.setEnabled(False)

    @Slot(object)
    def _on_worker_event(self, event: object) -> None:
        match event:
            case PlanReady(steps=steps):
                self._reset_progress(len(steps))
                self.log.add(event.text)
            case BackupStarted() | BackupDone() | Notice():
                self.progress_label.setText(event.text)
                self.log.add(event.text)
            case BackupProgress():
                self.progress_label.setText(event.text)
            case MigrationStarted(step=step):
                self.model.mark_running(step.version)
                row = self.model.row_of(step.version)
                if row is not None:
                    self.view.scrollTo(self.model.index(row, 0))
                self.progress_label.setText(event.text)
                self.log.add(event.text)
            case MigrationApplied(step=step, index=index, seconds=seconds):
                self.model.mark_applied(step.version, seconds)
                self.progress.setValue(index)
                self.log.add(event.text)
            case MigrationRolledBack(step=step, reason=reason, cancelled=cancelled):
                if cancelled:
                    self.model.mark_rolled_back(step.version)
                else:
                    self.model.mark_failed(step.version, reason)
                    self._last_failure_text = event.text
                self.progress_label.setText(event.text)
                self.log.add(event.text, failure=not cancelled)
            case UpgradeFinished():
                self.progress_label.setText(event.text)
                self.log.add(event.text)

    @Slot(object)
    def _on_worker_completed(self, result: UpgradeResult) -> None:
        self._upgrade_ok = not result.cancelled
        if result.backup is not None:
            self.log.add(f"The safety copy from before the upgrade is kept at {result.backup}")

    @Slot(str)
    def _on_worker_cancelled(self, message: str) -> None:
        self.progress_label.setText(message)
        self.log.add(message)

    @Slot(str, str)
    def _on_worker_failed(self, message: str, details: str) -> None:
        if message != self._last_failure_text:  # a rollback has already been logged
            self.log.add(message, failure=True)
        self.progress_label.setText(message)
        if details:
            self.log.add_details(message, details)
        self._show_error("The upgrade did not finish", message)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = None
        self._worker = None
        self._read_status(keep_marks=True)
        self._fill_recent_menu()
        self._update_actions()
        self.upgrade_finished.emit(self._upgrade_ok)
        if self._close_when_done:
            self.close()

    def _reset_progress(self, steps: int) -> None:
        self.progress.setRange(0, max(steps, 1))
        self.progress.setValue(0)
        self.progress.setFormat("%v of %m migrations done" if steps else "Nothing to do")
        self.progress_label.setText(
            f"Ready to apply {steps} migration{'s' if steps != 1 else ''}." if steps else ""
        )

    def _update_actions(self) -> None:
        busy = self.is_busy
        status = self._status if self._path is not None else None
        can_upgrade = (
            status is not None
            and status.state in CAN_UPGRADE
            and status.writable
            and bool(status.pending)
        )
        self.open_action.setEnabled(not busy)
        self.reload_action.setEnabled(not busy and self._path is not None)
        self.upgrade_action.setEnabled(not busy and can_upgrade)
        self.cancel_action.setEnabled(busy and not self._close_when_done)
        self.recent_menu.setEnabled(not busy and not self.recent_menu.isEmpty())

    # --- asking and telling --------------------------------------------------------

    def _ask(self, title: str, question: str, yes: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=self)
        go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(go)
        box.exec()
        return box.clickedButton() is go

    def _show_error(self, title: str, message: str) -> None:
        """Tell without blocking: the window stays usable behind the message."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setObjectName("errorDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_busy:
            event.ignore()
            if self._close_when_done or not self.confirm(
                "Stop the upgrade and close?",
                "An upgrade is running. If you close now, the migration that is running "
                "is rolled back and the ones already finished stay; the window closes as "
                "soon as the database is safe.",
                "Stop and close",
            ):
                return
            self._close_when_done = True
            assert self._worker is not None
            self._worker.cancel(interrupt=True)
            self.log.add("Stopping the upgrade; the window closes when the database is safe.")
            self._update_actions()
            return
        self._settings.save_geometry(self.saveGeometry())
        super().closeEvent(event)


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
    urls = event.mimeData().urls() if event.mimeData() else []
    if len(urls) == 1 and urls[0].isLocalFile():
        return urls[0].toLocalFile()
    return None


def _plan_text(status: DatabaseStatus) -> str:
    steps = "\n".join(f"  • {m.version:03d}  {m.description}" for m in status.pending)
    n = len(status.pending)
    return (
        f"Upgrade {status.path.name} from version {status.current_version} to version "
        f"{status.latest_version}?\n\n"
        f"{'This migration' if n == 1 else f'These {n} migrations'} will run, "
        f"each all-or-nothing:\n{steps}\n\n"
        "A safety copy of the file is made first, in the “backups” folder beside it. "
        "Close the Society Management System before you start."
    )
