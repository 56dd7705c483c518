"""Run one upgrade on a worker thread and report it back as Qt signals.

The worker is a plain ``QObject`` moved to a ``QThread``. It is given the
database *path* (never a connection: ``sqlite3`` connections belong to the
thread that opened them) and calls :func:`core.api.upgrade`, whose progress
events it re-emits one by one. No exception ever escapes :meth:`run`: the
engine's own errors become their staff-ready text, anything else a generic
sentence with the traceback kept for the details view.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from core import api
from core.errors import MigrationError, UpgradeCancelled
from core.events import Event
from core.runner import CancelToken

UNEXPECTED = (
    "The upgrade stopped because of an unexpected problem inside this tool. "
    "Each migration runs all-or-nothing, so the database is at the last version "
    "the log shows as applied. The technical details below help whoever maintains the tool."
)


class UpgradeWorker(QObject):
    """Upgrades one database file when :meth:`run` is called in its thread.

    Signals:
        event(object): a ``core.events`` dataclass, as the engine reports it.
        completed(object): the ``core.runner.UpgradeResult`` of a run that ended
            normally, including a stop between migrations as asked.
        cancelled(str): the running migration was interrupted and rolled back, as asked.
        failed(str, str): the message for staff, and technical details (a
            traceback, or empty for the engine's own expected errors).
        finished(): emitted last, whatever happened.
    """

    event = Signal(object)
    completed = Signal(object)
    cancelled = Signal(str)
    failed = Signal(str, str)
    finished = Signal()

    def __init__(
        self,
        path: Path | str,
        migrations_dir: Path | str | None = None,
        *,
        target: int | None = None,
        backup: bool = True,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.migrations_dir = migrations_dir
        self.target = target
        self.backup = backup
        self._cancel = CancelToken()

    def cancel(self, interrupt: bool = False) -> None:
        """Ask to stop; called from the GUI thread while :meth:`run` is busy."""
        self._cancel.cancel(interrupt=interrupt)

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.requested

    @Slot()
    def run(self) -> None:
        try:
            result = api.upgrade(
                self.path,
                migrations_dir=self.migrations_dir,
                target=self.target,
                backup=self.backup,
                on_event=self._emit_event,
                cancel=self._cancel,
            )
        except UpgradeCancelled as exc:
            self.cancelled.emit(str(exc))
        except MigrationError as exc:
            self.failed.emit(str(exc), details_of(exc) if exc.__cause__ else "")
        except Exception as exc:  # the last resort: never a frozen progress bar
            self.failed.emit(UNEXPECTED, details_of(exc))
        else:
            self.completed.emit(result)
        finally:
            self.finished.emit()

    def _emit_event(self, event: Event) -> None:
        """The engine's ``on_event``: runs in the worker thread, queued to the GUI."""
        self.event.emit(event)


def details_of(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))
