"""The main window: open a society database, see its migrations, run its jobs safely.

The window only shows and asks; the work is :mod:`core`'s, and none of it runs
on the window thread. Looking at a file (its state, and the migrations
:class:`~core.discovery.Catalog` the first time and on "Check again") runs on
the window's :class:`~gui.background.Background` while the status says
"Checking…"; the jobs in :data:`gui.jobs.JOBS` (upgrade, test on a copy,
restore) each run on a worker in its own ``QThread``, started and followed by
the :class:`~gui.job_controller.JobController`, whose signals the progress
view, the log and the rows subscribe to. The upgrade and the test on a copy
run the catalog the window showed.

This module is the wiring: the parts are built in :mod:`gui.window_layout`,
files are picked and read by :mod:`gui.file_opening`, and each job, with what
it asks first and says at the end, is one module of :mod:`gui.jobs`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QToolButton, QWidget

from core import wording
from core.discovery import Catalog
from core.status import DatabaseStatus
from gui.accessibility import name_widgets
from gui.background import Background, Problem
from gui.dialogs import ask, tell
from gui.file_opening import (
    UNREADABLE_STATUS,
    Reading,
    RecentFilesMenu,
    choose_database,
    dropped_file,
    read_file_state,
)
from gui.help_menu import HelpMenu
from gui.icon import app_icon
from gui.job_controller import JobController
from gui.jobs import JOBS, rehearse, restore, upgrade
from gui.jobs.spec import Confirm, FileView, JobOutcome, JobSpec, Run
from gui.migrations_model import MigrationsModel
from gui.restore_dialog import RestoreDialog
from gui.settings import Settings
from gui.window_layout import WindowBody, fill_menu_bar, make_action

APP_TITLE = "Society DB Migrator"

# What to do once a look at the file is shown: given its state, or None if there is none.
Then = Callable[[DatabaseStatus | None], None]


class MainWindow(QMainWindow):
    """One database at a time: its status, its migrations, its jobs and the log.

    Signals:
        database_opened(object): the ``DatabaseStatus`` just read for the open file.
        checked(): a look at the open file has ended and is shown (its state, or why
            it could not be read); the window is no longer "Checking…".
        upgrade_finished(bool): an upgrade's thread has ended; True if it ran to the end,
            False if it failed or was cancelled (even between migrations).
        job_finished(object): any job has ended and the window shows its result, the
            file read again: the ``JobOutcome``.
    """

    database_opened = Signal(object)
    checked = Signal()
    upgrade_finished = Signal(bool)
    job_finished = Signal(object)

    def __init__(
        self, migrations_dir: Path | str | None = None, jobs: Sequence[JobSpec] = JOBS
    ) -> None:
        super().__init__()
        self.migrations_dir = migrations_dir
        self.job_specs = tuple(jobs)  # the window's jobs, in the order of their buttons
        self.confirm: Confirm = self._ask
        self.background = Background(self)
        self._settings = Settings()
        self._path: Path | None = None
        self._status: DatabaseStatus | None = None
        self._catalog: Catalog | None = None  # read once; "Check again" reads it anew
        self._looks = 0  # the number of the latest look at the file; older ones are dropped
        self._checking = False
        self._sample = False
        self._close_when_done = False

        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.model = MigrationsModel(self)
        self.open_action = make_action(self, "open", self._on_open_action_triggered)
        self.reload_action = make_action(self, "reload", self._on_reload_action_triggered)
        self.job_actions: dict[str, QAction] = {
            job.key: make_action(self, job.action, partial(self._on_job_action_triggered, job))
            for job in self.job_specs
        }
        self.cancel_action = make_action(self, "cancel", self._on_cancel_action_triggered)
        self.quit_action = make_action(self, "quit", self.close)
        self.recent_menu = RecentFilesMenu(self._settings, self)
        self.recent_menu.file_chosen.connect(self._on_recent_menu_file_chosen)

        self._body = body = WindowBody(self.model, self)
        self.action_row, self.status_panel = body.action_row, body.status_panel
        self.progress_view, self.view, self.log = body.progress, body.view, body.log
        self.progress_label, self.progress = self.progress_view.label, self.progress_view.bar
        self.status_panel.banner.retry_requested.connect(self._on_banner_retry_requested)
        self.status_panel.banner.restore_requested.connect(self._on_banner_restore_requested)
        self.setCentralWidget(body)
        self.jobs = JobController(self)
        self.jobs.progress.connect(self.progress_view.show_progress)
        self.jobs.log_line.connect(self.log.add_line)
        self.jobs.details.connect(self.log.add_details)
        self.jobs.row_mark.connect(self.model.apply_mark)
        self.jobs.row_mark.connect(body.follow_row)
        self.jobs.started.connect(self._on_jobs_started)
        self.jobs.ended.connect(self._on_jobs_ended)
        fill_menu_bar(self.menuBar(), self)
        self.help = HelpMenu(self, self)
        self.help.install(self.menuBar())
        name_widgets(self)
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
    def upgrade_action(self) -> QAction:
        return self.job_actions[upgrade.JOB.key]

    @property
    def rehearse_action(self) -> QAction:
        return self.job_actions[rehearse.JOB.key]

    @property
    def restore_action(self) -> QAction:
        return self.job_actions[restore.JOB.key]

    @property
    def is_busy(self) -> bool:
        """A job (upgrade, restore, test on a copy) is running: the file can't change now."""
        return self.jobs.busy

    @property
    def is_checking(self) -> bool:
        """The open file is being looked at on the worker; its jobs wait for the answer."""
        return self._checking

    @property
    def path(self) -> Path | None:
        return self._path

    def file_view(self) -> FileView:
        """What the jobs see of the open file."""
        status = self._status if self._path is not None else None
        return FileView(self._path, status, self._catalog, self.migrations_dir)

    # --- the open file -------------------------------------------------------------

    def open_database(self, path: Path | str, *, sample: bool = False) -> None:
        """Show where ``path`` stands once it is read (``checked``); never raises."""
        if self.is_busy:
            job = self.jobs.job
            name = job.name if job is not None else "job"
            self.log.add(f"Another file can't be opened while the {name} is running.")
            return
        self._path, self._sample = Path(path).expanduser().absolute(), sample
        self._status = None
        self.model.set_rows(())
        self.progress_view.ready(0)
        self._look(opened=True)

    def _look(
        self,
        *,
        opened: bool = False,
        reload_catalog: bool = False,
        keep_marks: bool = False,
        then: Then | None = None,
    ) -> None:
        """Read the open file's state on the worker; ``then`` runs once it is shown."""
        path = self._path
        if path is None:
            return
        if reload_catalog:
            self._catalog = None
        self._looks += 1
        look, catalog, folder = self._looks, self._catalog, self.migrations_dir
        self._checking = True
        self.status_panel.show_checking(path)
        self._update_actions()

        def shown(result: object) -> None:
            if look != self._looks:  # another look has started since: it has the say
                if then is not None:
                    then(None)
                return
            if isinstance(result, Problem):
                result = Reading(path, result, None)
            assert isinstance(result, Reading)
            status = self._show_reading(result, opened=opened, keep_marks=keep_marks)
            if reload_catalog and status is not None:
                self.log.add(f"Checked {path.name} again: {status.summary}")
            if then is not None:
                then(status)

        self.background.run(
            lambda: read_file_state(path, catalog, folder), shown, UNREADABLE_STATUS
        )

    def _show_reading(
        self, reading: Reading, *, opened: bool, keep_marks: bool
    ) -> DatabaseStatus | None:
        """Show what a look found: the state and rows, or why it could not be read."""
        self._checking = False
        if reading.catalog is not None:
            self._catalog = reading.catalog
        found = reading.found
        if isinstance(found, Problem):
            self._show_problem(found)
            self.checked.emit()
            return None
        self.model.set_rows(found.migrations, keep_marks=keep_marks)
        self.status_panel.show_status(found, sample=self._sample)
        self.setWindowTitle(f"{reading.path.name} - {APP_TITLE}")
        if not keep_marks:
            self.progress_view.ready(len(found.pending))
        self._status = found
        if opened:
            self.log.add(f"Opened {reading.path.name}: {found.state_text}")
            if found.interrupted is not None:
                self.log.add(wording.interrupted(found.interrupted), failure=True)
            self.recent_menu.note_opened(
                reading.path, found, sample=self._sample, busy=self.is_busy
            )
        self._update_actions()
        self.database_opened.emit(found)
        self.checked.emit()
        return found

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
            self._look(reload_catalog=True)  # the migrations may have changed

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

    # --- the jobs -------------------------------------------------------------------

    def _on_job_action_triggered(self, job: JobSpec) -> None:
        if self.is_busy or self._path is None:
            return
        if not job.reads_first:
            job.ask(self, self.file_view())
            return

        def ask_now(status: DatabaseStatus | None) -> None:
            if status is not None and not self.is_busy:  # the file may have changed meanwhile
                job.ask(self, self.file_view())

        self._look(then=ask_now)

    @Slot()
    def _on_banner_retry_requested(self) -> None:
        self._on_job_action_triggered(upgrade.JOB)

    @Slot()
    def _on_banner_restore_requested(self) -> None:
        self.open_restore_dialog(restore.crash_backup(self._status))

    def open_restore_dialog(self, preselect: Path | None = None) -> RestoreDialog | None:
        """Show the open file's backups (``preselect`` chosen); None while busy or no file."""
        if self.is_busy or self._checking or not restore.can_restore(self.file_view()):
            return None
        return restore.open_dialog(self, self.file_view(), preselect)

    # JobHost: what the jobs use of the window.

    @property
    def widget(self) -> QWidget:
        return self

    def say(self, text: str, *, failure: bool = False) -> None:
        self.log.add(text, failure=failure)

    def say_details(self, title: str, details: str) -> None:
        self.log.add_details(title, details)

    def say_in_progress(self, text: str) -> None:
        self.progress_view.say(text)

    def start_job(self, run: Run) -> None:
        if not self.is_busy:
            self.jobs.start(run)

    @Slot(object)
    def _on_jobs_started(self, job: JobSpec) -> None:
        self.cancel_action.setText("&Cancel")
        self._update_actions()

    @Slot()
    def _on_cancel_action_triggered(self) -> None:
        self.jobs.cancel()
        if self.jobs.cancel_requested:
            self.cancel_action.setText("Stop &now")
        self._update_actions()

    @Slot(object)
    def _on_jobs_ended(self, outcome: JobOutcome) -> None:
        self.recent_menu.refresh(busy=self.is_busy)
        self._update_actions()
        job, closing = outcome.job, self._close_when_done
        job.report(self, outcome, closing)
        if outcome.error is not None and not closing:
            tell(self, f"The {job.name} did not finish", outcome.error)
        if closing:
            self._tell_ended(outcome)
            self.close()
            return
        self._look(keep_marks=outcome.job.keeps_marks, then=lambda _: self._tell_ended(outcome))

    def _tell_ended(self, outcome: JobOutcome) -> None:
        if outcome.job is upgrade.JOB:
            self.upgrade_finished.emit(outcome.ok)
        self.job_finished.emit(outcome)

    def _update_actions(self) -> None:
        busy = self.is_busy
        file = self.file_view()
        for job in self.job_specs:
            on = not busy and not self._checking and job.enabled(file)
            self.job_actions[job.key].setEnabled(on)
        self.open_action.setEnabled(not busy)
        self.reload_action.setEnabled(not busy and self._path is not None)
        self.cancel_action.setEnabled(self.jobs.can_cancel and not self._close_when_done)
        self.recent_menu.set_busy(busy)
        banner = self.status_panel.banner
        banner.retry_button.setEnabled(self.upgrade_action.isEnabled())
        banner.restore_button.setEnabled(self.restore_action.isEnabled())

    def _ask(self, title: str, question: str, yes: str) -> bool:
        return ask(self, title, question, yes)

    def closeEvent(self, event: QCloseEvent) -> None:
        job = self.jobs.job
        if job is not None:
            event.ignore()
            rule = job.closing
            if self._close_when_done or not self.confirm(rule.title, rule.question, rule.yes):
                return
            self._close_when_done = True
            if rule.interrupt:
                self.jobs.stop()
            self.log.add(rule.then)
            self._update_actions()
            return
        self._settings.save_geometry(self.saveGeometry())
        super().closeEvent(event)
