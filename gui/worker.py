"""Run one engine call on a worker thread and report it back as Qt signals.

A worker is a plain ``QObject`` moved to a ``QThread``. It is given a
:data:`Work` function that holds file *paths* (never a connection: ``sqlite3``
connections belong to the thread that opened them) and calls one engine verb,
whose progress events it re-emits one by one (``reported``). No exception ever escapes
:meth:`JobWorker.run`: the engine's own errors become a :class:`Failure`
carrying the error itself, anything else a generic sentence with the
traceback kept for the details view.

What runs is each job's own business (:mod:`gui.jobs`); this module only
holds the thread-side shape once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from core.errors import MigrationError, UpgradeCancelled
from core.runner import CancelToken
from gui.background import details_of

# The engine call of a job: runs in the worker thread, reports events, honours cancel.
Reporter = Callable[[object], None]  # the engine's events, or a job's own (any object)
Work = Callable[[Reporter, CancelToken], object]

__all__ = ["Failure", "JobWorker", "Work", "details_of"]


@dataclass(frozen=True)
class Failure:
    """Why a job did not finish: the words for staff, and the facts behind them."""

    message: str
    details: str = ""  # a traceback, or empty for the engine's own expected errors
    error: MigrationError | None = None  # the engine's error, when it raised one on purpose


class JobWorker(QObject):
    """Runs ``work`` once when :meth:`run` is called in its thread.

    Signals:
        reported(object): a ``core.events`` dataclass, as the engine reports it.
        completed(object): what the engine returned (a frozen dataclass of ``core``).
        cancelled(str): the running migration was interrupted and rolled back, as asked.
        failed(object): a :class:`Failure`.
        finished(): emitted last, whatever happened.
    """

    reported = Signal(object)
    completed = Signal(object)
    cancelled = Signal(str)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, work: Work, unexpected: str) -> None:
        super().__init__()
        self._work = work
        self._unexpected = unexpected  # what to say when something unforeseen broke
        self._cancel = CancelToken()

    def cancel(self, interrupt: bool = False) -> None:
        """Ask to stop; called from the GUI thread while :meth:`run` is busy."""
        self._cancel.cancel(interrupt=interrupt)

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.requested

    @property
    def interrupt_requested(self) -> bool:
        return self._cancel.interrupt_requested

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self._emit_event, self._cancel)
        except UpgradeCancelled as exc:
            self.cancelled.emit(str(exc))
        except MigrationError as exc:
            self.failed.emit(Failure(str(exc), details_of(exc) if exc.__cause__ else "", exc))
        except Exception as exc:  # the last resort: never a frozen progress bar
            self.failed.emit(Failure(self._unexpected, details_of(exc)))
        else:
            self.completed.emit(result)
        finally:
            self._go_home()
            self.finished.emit()

    def _go_home(self) -> None:
        """Hand this object back to the window's thread, which owns and frees it.

        Qt's ``deleteLater`` would free it in the ending worker thread while Python
        still holds it, which corrupts memory; a push back is allowed from here.
        """
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())

    def _emit_event(self, event: object) -> None:
        """The engine's ``on_event``: runs in the worker thread, queued to the GUI."""
        self.reported.emit(event)
