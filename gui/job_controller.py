"""Run one window job at a time on its own thread, and say as it goes what it does.

The window hands over a :class:`~gui.jobs.spec.Run`; the controller starts
its ``QThread`` (the Qt for Python Worker/Controller shape), turns the
engine's events into signals that the views subscribe to (progress, log
lines, row marks), passes Cancel on, and reports one
:class:`~gui.jobs.spec.JobOutcome` once the thread has ended, so the window
re-reads the file only when nothing touches it any more. It writes into no
widget itself.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal, Slot

from core import wording
from core.errors import MigrationFailed
from core.events import (
    BackupDone,
    BackupProgress,
    BackupStarted,
    MigrationApplied,
    MigrationRolledBack,
    MigrationStarted,
    PlanReady,
    RowsCopied,
)
from core.rehearse import Rehearsal
from core.runner import UpgradeResult
from gui.jobs.spec import JobOutcome, JobSpec, Run
from gui.migrations_model import Mark, RowMark
from gui.progress_view import (
    BACKUP_DONE,
    BACKUP_STARTED,
    Progress,
    backup_bar,
    ready_line,
    rows_bar,
    steps_bar,
)
from gui.worker import Failure, JobWorker

__all__ = ["JobController", "JobOutcome"]


class JobController(QObject):
    """One job at a time: its thread, what it reports as it goes, and Cancel.

    Signals:
        started(object): this ``JobSpec``'s job has started on its thread.
        ended(object): the job's :class:`JobOutcome`, after its thread has finished.
        progress(object): a :class:`~gui.progress_view.Progress` for the progress view.
        log_line(str, bool): a line for the log; True marks a failure.
        details(str, str): a title and a traceback for the details view.
        row_mark(object): a :class:`~gui.migrations_model.RowMark` for the open file's rows.
    """

    started = Signal(object)
    ended = Signal(object)
    progress = Signal(object)
    log_line = Signal(str, bool)
    details = Signal(str, str)
    row_mark = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: JobWorker | None = None
        self._job: JobSpec | None = None
        self._outcome: JobOutcome | None = None
        self._rolled_back: set[int] = set()  # versions whose failure the log has told
        self._running: MigrationStarted | None = None  # the step whose rows are being copied
        self._bar_value = 0  # how far the rows copied so far have moved the bar

    @property
    def busy(self) -> bool:
        """A job is running: the file can't be changed now."""
        return self._thread is not None

    @property
    def job(self) -> JobSpec | None:
        """The running job's spec, if one runs."""
        return self._job

    @property
    def can_cancel(self) -> bool:
        worker, job = self._worker, self._job
        return (
            worker is not None
            and job is not None
            and job.cancellable
            and not worker.interrupt_requested
        )

    @property
    def cancel_requested(self) -> bool:
        return self._worker is not None and self._worker.cancel_requested

    # --- starting and stopping ----------------------------------------------------

    def start(self, run: Run) -> None:
        """Run ``run.work`` on a new thread; ``run.intro`` is the log line that says so."""
        if self.busy:
            raise RuntimeError("a job is already running")
        self._job = run.job
        self._worker = worker = JobWorker(run.work, run.job.unexpected)
        self._outcome = JobOutcome(run.job)
        self._rolled_back = set()
        self._running = None
        self._thread = QThread(self)
        worker.moveToThread(self._thread)
        self._thread.started.connect(worker.run)
        worker.reported.connect(self._on_worker_event)
        worker.completed.connect(self._on_worker_completed)
        worker.cancelled.connect(self._on_worker_cancelled)
        worker.failed.connect(self._on_worker_failed)
        worker.finished.connect(self._thread.quit)
        self._thread.finished.connect(self._on_thread_finished)
        self.log_line.emit(run.intro, False)
        self._thread.start()
        self.started.emit(run.job)

    def cancel(self) -> None:
        """Cancel pressed: first stop after the running migration, then interrupt it."""
        worker, job = self._worker, self._job
        if worker is None or job is None or not self.can_cancel:
            return
        if not worker.cancel_requested:
            worker.cancel()
            self.log_line.emit(
                f"Cancelling: the {job.name} stops after the migration that is running now. "
                "Press Cancel again to stop that one too; its changes will be undone.",
                False,
            )
        else:
            worker.cancel(interrupt=True)
            self.log_line.emit("Stopping now: the running migration is being rolled back.", False)

    def stop(self) -> None:
        """Interrupt at once (closing the window): the running migration is rolled back."""
        if self._worker is not None:
            self._worker.cancel(interrupt=True)

    # --- following the worker -----------------------------------------------------

    @Slot(object)
    def _on_worker_event(self, event: object) -> None:
        job = self._job
        if job is None:
            return
        text = job.log_prefix + str(getattr(event, "text", event))
        rows = job.marks_rows
        match event:
            case PlanReady(steps=steps):
                self.progress.emit(Progress(steps_bar(0, len(steps)), ready_line(len(steps))))
            case BackupStarted():
                self.progress.emit(Progress(BACKUP_STARTED, text))
            case BackupProgress(pages_done=done, pages_total=total):
                self.progress.emit(Progress(backup_bar(done, total), text))
                return  # page counts are for the bar, not the log
            case BackupDone():
                self.progress.emit(Progress(BACKUP_DONE, text))
            case MigrationStarted(step=step):
                self._running, self._bar_value = event, 0
                if rows:
                    self.row_mark.emit(RowMark(step.version, Mark.RUNNING))
                self.progress.emit(Progress(line=text))
            case RowsCopied(done=done, total=total) if self._running is not None:
                step_now = self._running
                line = job.log_prefix + wording.copying_rows(step_now.step.version, event)
                bar = rows_bar(step_now.index, step_now.total, done, total)
                moves = bar.value > self._bar_value  # a second table's copy doesn't move it back
                self._bar_value = max(bar.value, self._bar_value)
                self.progress.emit(Progress(bar if moves else None, line))
                return  # row counts are for the bar, not the log
            case MigrationApplied(step=step, index=index, total=total, seconds=seconds):
                if rows:
                    self.row_mark.emit(RowMark(step.version, Mark.APPLIED, seconds=seconds))
                self.progress.emit(Progress(steps_bar(index, total)))
            case MigrationRolledBack(step=step, reason=reason, cancelled=cancelled):
                if rows:
                    mark = Mark.ROLLED_BACK if cancelled else Mark.FAILED
                    self.row_mark.emit(RowMark(step.version, mark, reason=reason))
                if not cancelled:
                    self._rolled_back.add(step.version)
                self.progress.emit(Progress(line=text))
            case _:
                self.progress.emit(Progress(line=text))
        failure = isinstance(event, MigrationRolledBack) and not event.cancelled
        self.log_line.emit(text, failure)

    @Slot(object)
    def _on_worker_completed(self, result: object) -> None:
        assert self._outcome is not None
        stopped = isinstance(result, UpgradeResult | Rehearsal) and result.cancelled
        self._outcome = JobOutcome(self._outcome.job, result=result, cancelled=stopped)

    @Slot(str)
    def _on_worker_cancelled(self, message: str) -> None:
        assert self._outcome is not None
        self._outcome = JobOutcome(self._outcome.job, cancelled=True)
        self.progress.emit(Progress(line=message))
        self.log_line.emit(message, False)

    @Slot(object)
    def _on_worker_failed(self, failure: Failure) -> None:
        assert self._outcome is not None
        self._outcome = JobOutcome(self._outcome.job, failure=failure)
        error = failure.error
        told = isinstance(error, MigrationFailed) and error.version in self._rolled_back
        if not told:  # a migration's rollback has already said it, in its own line
            self.log_line.emit(failure.message, True)
        self.progress.emit(Progress(line=failure.message))
        if failure.details:
            self.details.emit(failure.message, failure.details)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is not None:
            self._thread.deleteLater()
        outcome = self._outcome
        self._thread = self._worker = self._job = self._outcome = None
        if outcome is not None:
            self.ended.emit(outcome)
