"""Run one engine call on a worker thread and report it back as Qt signals.

A worker is a plain ``QObject`` moved to a ``QThread``. It is given file
*paths* (never a connection: ``sqlite3`` connections belong to the thread
that opened them) and calls one :mod:`core.api` verb, whose progress events it
re-emits one by one. No exception ever escapes :meth:`JobWorker.run`: the
engine's own errors become their staff-ready text, anything else a generic
sentence with the traceback kept for the details view.

:class:`JobWorker` holds that shape once; :class:`UpgradeWorker`,
:class:`RestoreWorker` and :class:`RehearseWorker` only say which verb runs
and how to speak of it.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from core import api
from core.discovery import Catalog, load_catalog
from core.errors import MigrationError, UpgradeCancelled
from core.events import Event, EventHandler
from core.rehearse import Rehearsal, rehearse_upgrade
from core.restore import RestoreResult
from core.runner import CancelToken, UpgradeResult

UNEXPECTED = (
    "The upgrade stopped because of an unexpected problem inside this tool. "
    "Each migration runs all-or-nothing, so the database is at the last version "
    "the log shows as applied. The technical details below help whoever maintains the tool."
)
UNEXPECTED_RESTORE = (
    "The restore stopped because of an unexpected problem inside this tool. "
    "Check the database's status again before using it; the file it was replacing was "
    "kept in the backups folder first if the log says so. The technical details below "
    "help whoever maintains the tool."
)
UNEXPECTED_REHEARSAL = (
    "The test on a copy stopped because of an unexpected problem inside this tool. "
    "The real file was not touched. The technical details below help whoever maintains the tool."
)


class JobWorker(QObject):
    """Runs :meth:`work` once when :meth:`run` is called in its thread.

    Signals:
        event(object): a ``core.events`` dataclass, as the engine reports it.
        completed(object): what the engine returned (a frozen dataclass of ``core``).
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

    kind = "job"  # how the log and the dialogs name it
    unexpected = UNEXPECTED
    marks_rows = False  # its events are the open file's own migrations running
    cancellable = True
    log_prefix = ""  # put before each event's text in the log

    def __init__(self) -> None:
        super().__init__()
        self._cancel = CancelToken()

    def work(self, on_event: EventHandler, cancel: CancelToken) -> object:
        """The engine call; runs in the worker thread."""
        raise NotImplementedError

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
            result = self.work(self._emit_event, self._cancel)
        except UpgradeCancelled as exc:
            self.cancelled.emit(str(exc))
        except MigrationError as exc:
            self.failed.emit(str(exc), details_of(exc) if exc.__cause__ else "")
        except Exception as exc:  # the last resort: never a frozen progress bar
            self.failed.emit(self.unexpected, details_of(exc))
        else:
            self.completed.emit(result)
        finally:
            self.finished.emit()

    def _emit_event(self, event: Event) -> None:
        """The engine's ``on_event``: runs in the worker thread, queued to the GUI."""
        self.event.emit(event)


class UpgradeWorker(JobWorker):
    """Upgrades one database file; ``completed`` carries a ``core.runner.UpgradeResult``.

    Given the window's ``catalog``, it runs exactly the migrations the window showed;
    otherwise it loads ``migrations_dir`` on its own thread.
    """

    kind = "upgrade"
    marks_rows = True

    def __init__(
        self,
        path: Path | str,
        migrations_dir: Path | str | None = None,
        *,
        catalog: Catalog | None = None,
        target: int | None = None,
        backup: bool = True,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.migrations_dir = migrations_dir
        self.catalog = catalog
        self.target = target
        self.backup = backup

    def work(self, on_event: EventHandler, cancel: CancelToken) -> UpgradeResult:
        return api.upgrade(
            self.path,
            migrations_dir=self.migrations_dir,
            catalog=self.catalog,
            target=self.target,
            backup=self.backup,
            on_event=on_event,
            cancel=cancel,
        )


class RestoreWorker(JobWorker):
    """Puts a backup back in place; ``completed`` carries a ``core.restore.RestoreResult``."""

    kind = "restore"
    unexpected = UNEXPECTED_RESTORE
    cancellable = False  # one SQLite copy, over in moments; stopping half way helps no one

    def __init__(
        self, backup: Path | str, path: Path | str, migrations_dir: Path | str | None = None
    ) -> None:
        super().__init__()
        self.backup = Path(backup)
        self.path = Path(path)
        self.migrations_dir = migrations_dir

    def work(self, on_event: EventHandler, cancel: CancelToken) -> RestoreResult:
        return api.restore(
            self.backup, self.path, migrations_dir=self.migrations_dir, on_event=on_event
        )


class RehearseWorker(JobWorker):
    """Runs the pending migrations on a temporary copy; ``completed`` carries a ``Rehearsal``.

    Like :class:`UpgradeWorker`, it tests the window's ``catalog`` when given one.
    """

    kind = "test on a copy"
    unexpected = UNEXPECTED_REHEARSAL
    log_prefix = "On the copy: "

    def __init__(
        self,
        path: Path | str,
        migrations_dir: Path | str | None = None,
        *,
        catalog: Catalog | None = None,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.migrations_dir = migrations_dir
        self.catalog = catalog

    def work(self, on_event: EventHandler, cancel: CancelToken) -> Rehearsal:
        catalog = self.catalog or load_catalog(self.migrations_dir)
        return rehearse_upgrade(self.path, catalog, on_event=on_event, cancel=cancel)


def details_of(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))
