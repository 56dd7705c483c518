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

This module is the wiring: the parts are built in :mod:`gui.window_layout`,
files are picked and read by :mod:`gui.file_opening`, and what each job asks
first and says at the end is in :mod:`gui.job_flows`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QToolButton

from core.restore import BackupInfo
from core.status import DatabaseStatus
from gui import job_flows
from gui.dialogs import ask, close_question
from gui.file_opening import Problem, RecentFilesMenu, StatusReader, choose_database, dropped_file
from gui.job_controller import JobController, JobOutcome
from gui.migrations_model import MigrationsModel
from gui.restore_dialog import RestoreDialog
from gui.settings import Settings
from gui.status_panel import interrupted_text, summary_without_note
from gui.window_layout import WindowBody, fill_menu_bar, make_action
from gui.worker import RestoreWorker, UpgradeWorker

APP_TITLE = "Society DB Migrator"


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
        self.confirm: job_flows.Confirm = self._ask
        self._settings = Settings()
        self._path: Path | None = None
        self._status: DatabaseStatus | None = None
        self._reader = StatusReader()  # keeps the migrations catalog it read the file with
        self._sample = False
        self._close_when_done = False

        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.model = MigrationsModel(self)
        self.open_action = make_action(self, "open", self._on_open_action_triggered)
        self.reload_action = make_action(self, "reload", self._on_reload_action_triggered)
        self.upgrade_action = make_action(self, "upgrade", self._on_upgrade_action_triggered)
        self.rehearse_action = make_action(self, "rehearse", self._on_rehearse_action_triggered)
        self.restore_action = make_action(self, "restore", self._on_restore_action_triggered)
        self.cancel_action = make_action(self, "cancel", self._on_cancel_action_triggered)
        self.quit_action = make_action(self, "quit", self.close)
        self.recent_menu = RecentFilesMenu(self._settings, self)
        self.recent_menu.file_chosen.connect(self._on_recent_menu_file_chosen)

        self._body = body = WindowBody(self.model, self)
        self.action_row, self.status_panel = body.action_row, body.status_panel
        self.progress_label, self.progress = body.progress_label, body.progress
        self.view, self.log = body.view, body.log
        self.status_panel.banner.retry_requested.connect(self._on_upgrade_action_triggered)
        self.status_panel.banner.restore_requested.connect(self._on_banner_restore_requested)
        self.setCentralWidget(body)
        self.jobs = JobController(
            self.model, self.view, self.progress, self.progress_label, self.log, self
        )
        self.jobs.ended.connect(self._on_jobs_ended)
        self.jobs.reset_progress(0)
        fill_menu_bar(self.menuBar(), self)
        self.recent_menu.refresh(busy=self.is_busy)
        self._update_actions()
        self.resize(960, 680)
        geometry = self._settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)

    def add_action_button(self, action: QAction, name: str) -> QToolButton:
        """A button for ``action`` in the action row (more actions slot in here)."""
        return self._body.add_action_button(action, name)

    @property
    def is_busy(self) -> bool:
        """A job (upgrade, restore, test on a copy) is running: the file can't change now."""
        return self.jobs.busy

    @property
    def path(self) -> Path | None:
        return self._path

    # --- the open file -------------------------------------------------------------

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
            self.recent_menu.note_opened(file, status, sample=sample, busy=self.is_busy)
        return status

    def _read_status(
        self, *, keep_marks: bool = False, reload_catalog: bool = False
    ) -> DatabaseStatus | None:
        """Read the open file's status into the window (read-only, quick)."""
        if self._path is None:
            return None
        status = self._reader.read(self._path, self.migrations_dir, reload_catalog=reload_catalog)
        if isinstance(status, Problem):
            self._show_problem(status)
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

    def _show_problem(self, problem: Problem) -> None:
        """Not about the file (the migrations folder, a bug): the path stays for Check again."""
        self._status = None
        self.model.set_rows(())
        self.status_panel.show_problem(problem.text)
        self.log.add(problem.text, failure=True)
        if problem.details:
            self.log.add_details(problem.text, problem.details)
        self.setWindowTitle(APP_TITLE)
        self._update_actions()

    @Slot()
    def _on_open_action_triggered(self) -> None:
        start = str(self._path.parent) if self._path else self._settings.last_folder
        chosen = choose_database(self, start)
        if chosen:
            self.open_database(chosen)

    @Slot(str)
    def _on_recent_menu_file_chosen(self, path: str) -> None:
        self.open_database(path)

    @Slot()
    def _on_reload_action_triggered(self) -> None:
        if self._path is not None and not self.is_busy:
            status = self._read_status(reload_catalog=True)  # the migrations may have changed
            if status is not None:
                self.log.add(f"Checked {self._path.name} again: {status.summary}")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.is_busy and dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        dropped = dropped_file(event)
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
        if status is not None:
            self._start(
                job_flows.ask_upgrade(
                    self._path, status, self._reader.catalog, self.confirm, self.log
                )
            )

    @Slot()
    def _on_rehearse_action_triggered(self) -> None:
        if self.is_busy or self._path is None:
            return
        status = self._read_status()
        if status is not None:
            self._start(job_flows.rehearsal_request(self._path, status, self._reader.catalog))

    @Slot()
    def _on_restore_action_triggered(self) -> None:
        self.open_restore_dialog()

    @Slot()
    def _on_banner_restore_requested(self) -> None:
        self.open_restore_dialog(job_flows.crash_backup(self._status))

    def open_restore_dialog(self, preselect: Path | None = None) -> RestoreDialog | None:
        """Show the open file's backups (``preselect`` chosen); None while busy or no file."""
        if self.is_busy or self._path is None or self._reader.catalog is None:
            return None
        dialog = RestoreDialog(self._path, self._reader.catalog, preselect=preselect, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.backup_chosen.connect(self._on_restore_dialog_backup_chosen)
        dialog.open()
        return dialog

    @Slot(object)
    def _on_restore_dialog_backup_chosen(self, backup: BackupInfo) -> None:
        if self.is_busy or self._path is None:
            return
        self._start(
            job_flows.ask_restore(backup, self._path, self.migrations_dir, self.confirm, self.log)
        )

    def _start(self, request: job_flows.JobRequest | None) -> None:
        if request is None:
            return
        self.cancel_action.setText("&Cancel")
        self.jobs.start(request.worker, request.intro)
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
        self.recent_menu.refresh(busy=self.is_busy)
        self._update_actions()
        job_flows.report_outcome(
            self, outcome, self.log, self.progress_label, closing=self._close_when_done
        )
        if outcome.kind == UpgradeWorker.kind:
            self.upgrade_finished.emit(outcome.ok)
        self.job_finished.emit(outcome)
        if self._close_when_done:
            self.close()

    def _update_actions(self) -> None:
        busy = self.is_busy
        status = self._status if self._path is not None else None
        can_restore = self._path is not None and self._reader.catalog is not None
        self.open_action.setEnabled(not busy)
        self.reload_action.setEnabled(not busy and self._path is not None)
        self.upgrade_action.setEnabled(not busy and job_flows.can_upgrade(status))
        self.rehearse_action.setEnabled(not busy and job_flows.can_rehearse(status))
        self.restore_action.setEnabled(not busy and can_restore)
        self.cancel_action.setEnabled(self.jobs.can_cancel and not self._close_when_done)
        self.recent_menu.set_busy(busy)
        banner = self.status_panel.banner
        banner.retry_button.setEnabled(not busy and job_flows.can_upgrade(status))
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
