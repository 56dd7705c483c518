"""Run one engine job at a time on its own thread, and show it as it goes.

The window hands over a :class:`~gui.worker.JobWorker`; the controller starts
its ``QThread`` (the Qt for Python Worker/Controller shape), turns the
engine's events into marked rows, the progress bar and log lines, passes
Cancel on, and reports one :class:`JobOutcome` once the thread has ended, so
the window re-reads the file only when nothing touches it any more.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QLabel, QProgressBar, QTableView

from core.events import (
    BackupDone,
    BackupProgress,
    BackupStarted,
    MigrationApplied,
    MigrationRolledBack,
    MigrationStarted,
    PlanReady,
)
from core.rehearse import Rehearsal
from core.runner import UpgradeResult
from gui.log_panel import LogPanel
from gui.migrations_model import MigrationsModel
from gui.worker import JobWorker


@dataclass(frozen=True)
class JobOutcome:
    """How a job ended: what the engine returned, or why it did not."""

    kind: str  # the worker's ``kind``: "upgrade", "restore", "test on a copy"
    result: object | None = None  # the engine's result, when it returned one
    error: str | None = None  # the failure in words for staff
    # Stopped as asked: between migrations, in the middle of one (rolled back),
    # or a test on a copy that did not get to the end. Neither success nor failure.
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        """Ran to the end: no failure, no cancel (not even between migrations)."""
        return self.error is None and not self.cancelled


class JobController(QObject):
    """One job at a time: its thread, its progress on screen, and Cancel.

    Signals:
        started(str): a job of this kind has started on its thread.
        ended(object): the job's :class:`JobOutcome`, after its thread has finished.
    """

    started = Signal(str)
    ended = Signal(object)

    def __init__(
        self,
        model: MigrationsModel,
        view: QTableView,
        progress: QProgressBar,
        label: QLabel,
        log: LogPanel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._model, self._view, self._log = model, view, log
        self._progress, self._label = progress, label
        self._thread: QThread | None = None
        self._worker: JobWorker | None = None
        self._outcome = JobOutcome("")
        self._last_failure_text = ""

    @property
    def busy(self) -> bool:
        """A job is running: the file can't be changed now."""
        return self._thread is not None

    @property
    def kind(self) -> str | None:
        return self._worker.kind if self._worker is not None else None

    @property
    def can_cancel(self) -> bool:
        worker = self._worker
        return worker is not None and worker.cancellable and not worker.interrupt_requested

    @property
    def cancel_requested(self) -> bool:
        return self._worker is not None and self._worker.cancel_requested

    # --- starting and stopping ----------------------------------------------------

    def start(self, worker: JobWorker, intro: str) -> None:
        """Run ``worker`` on a new thread; ``intro`` is the log line that says so."""
        if self.busy:
            raise RuntimeError("a job is already running")
        self._worker = worker
        self._outcome = JobOutcome(worker.kind)
        self._last_failure_text = ""
        self._thread = QThread(self)
        worker.moveToThread(self._thread)
        self._thread.started.connect(worker.run)
        worker.event.connect(self._on_worker_event)
        worker.completed.connect(self._on_worker_completed)
        worker.cancelled.connect(self._on_worker_cancelled)
        worker.failed.connect(self._on_worker_failed)
        worker.finished.connect(self._thread.quit)
        self._thread.finished.connect(worker.deleteLater)
        self._thread.finished.connect(self._on_thread_finished)
        self._log.add(intro)
        self._thread.start()
        self.started.emit(worker.kind)

    def cancel(self) -> None:
        """Cancel pressed: first stop after the running migration, then interrupt it."""
        worker = self._worker
        if worker is None or not self.can_cancel:
            return
        if not worker.cancel_requested:
            worker.cancel()
            self._log.add(
                f"Cancelling: the {worker.kind} stops after the migration that is running now. "
                "Press Cancel again to stop that one too; its changes will be undone."
            )
        else:
            worker.cancel(interrupt=True)
            self._log.add("Stopping now: the running migration is being rolled back.")

    def stop(self) -> None:
        """Interrupt at once (closing the window): the running migration is rolled back."""
        if self._worker is not None:
            self._worker.cancel(interrupt=True)

    def reset_progress(self, steps: int) -> None:
        plural = "s" if steps != 1 else ""
        self._progress.setFormat(f"%v of %m migration{plural} done" if steps else "Nothing to do")
        self._progress.setRange(0, max(steps, 1))
        self._progress.setValue(0)
        self._label.setText(f"Ready to apply {steps} migration{plural}." if steps else "")

    # --- following the worker -----------------------------------------------------

    @Slot(object)
    def _on_worker_event(self, event: object) -> None:
        worker = self._worker
        if worker is None:
            return
        rows = worker.marks_rows
        match event:
            case PlanReady(steps=steps):
                self.reset_progress(len(steps))
            case BackupStarted():
                self._progress.setFormat("Making a safety copy…")
                self._progress.setRange(0, 0)  # busy until the page count is known
            case BackupProgress(pages_done=done, pages_total=total):
                self._progress.setFormat("Safety copy: %p%")
                self._progress.setRange(0, max(total, 1))
                self._progress.setValue(done)
                self._label.setText(event.text)
                return  # page counts are for the bar, not the log
            case BackupDone():
                self._progress.setFormat("Safety copy made")
                self._progress.setRange(0, 1)
                self._progress.setValue(1)
            case MigrationStarted(step=step) if rows:
                self._model.mark_running(step.version)
                row = self._model.row_of(step.version)
                if row is not None:
                    self._view.scrollTo(self._model.index(row, 0))
            case MigrationApplied(index=index):
                if rows:
                    self._model.mark_applied(event.step.version, event.seconds)
                self._progress.setValue(index)
            case MigrationRolledBack(step=step, reason=reason, cancelled=cancelled):
                if rows and cancelled:
                    self._model.mark_rolled_back(step.version)
                elif rows:
                    self._model.mark_failed(step.version, reason)
                if not cancelled:
                    self._last_failure_text = event.text
        text = worker.log_prefix + str(getattr(event, "text", event))
        if not isinstance(event, PlanReady | MigrationApplied):
            self._label.setText(text)
        failure = isinstance(event, MigrationRolledBack) and not event.cancelled
        self._log.add(text, failure=failure)

    @Slot(object)
    def _on_worker_completed(self, result: object) -> None:
        stopped = isinstance(result, UpgradeResult | Rehearsal) and result.cancelled
        self._outcome = JobOutcome(self._outcome.kind, result=result, cancelled=stopped)

    @Slot(str)
    def _on_worker_cancelled(self, message: str) -> None:
        self._outcome = JobOutcome(self._outcome.kind, error=None, cancelled=True)
        self._label.setText(message)
        self._log.add(message)

    @Slot(str, str)
    def _on_worker_failed(self, message: str, details: str) -> None:
        self._outcome = JobOutcome(self._outcome.kind, error=message)
        if message != self._last_failure_text:  # a rollback has already been logged
            self._log.add(message, failure=True)
        self._label.setText(message)
        if details:
            self._log.add_details(message, details)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = None
        self._worker = None
        self.ended.emit(self._outcome)
