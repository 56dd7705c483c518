"""Slow reads off the window thread: a file's state, the migrations catalog, the backups.

Looking at a file can take a while: SQLite waits up to half a second for a
program that holds the file's lock, a hot journal is rolled back by a
read-write open, the migrations folder is imported file by file, and the
restore list opens up to fifty backups. :class:`Background` runs each such
read on its own worker thread, one after the other, and hands the result to a
callback on the window thread. A read that raises anyway becomes a
:class:`Problem`, so the window never waits without end.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot


@dataclass(frozen=True)
class Problem:
    """Why something could not be read, when it is not the file's fault (the folder, a bug)."""

    text: str
    details: str = ""  # a traceback for the details view, or empty


def details_of(exc: BaseException) -> str:
    """The traceback of ``exc``, for whoever maintains the tool."""
    return "".join(traceback.format_exception(exc))


class Background(QObject):
    """Runs reads one at a time on a worker thread; each result comes back on this thread.

    Signals:
        idle(): the last pending read has been delivered.
    """

    idle = Signal()
    _delivered = Signal(int, object)  # emitted from the worker thread, queued to ours

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # in order: the catalog is read before it is used
        self._callbacks: dict[int, Callable[[Any], None]] = {}
        self._tickets = 0
        self._delivered.connect(self._on_delivered)

    @property
    def busy(self) -> bool:
        """A read is still running or its result has not been delivered yet."""
        return bool(self._callbacks)

    def run(self, read: Callable[[], Any], done: Callable[[Any], None], unexpected: str) -> None:
        """Run ``read`` on the worker; call ``done`` here with its result.

        If ``read`` raises, ``done`` gets a :class:`Problem` with ``unexpected`` as its text.
        """
        self._tickets += 1
        ticket = self._tickets
        self._callbacks[ticket] = done
        self._pool.start(lambda: self._read(ticket, read, unexpected))

    def wait(self, msecs: int) -> bool:
        """Wait for the worker to finish what it is reading (closing the window, tests)."""
        return self._pool.waitForDone(msecs)

    def _read(self, ticket: int, read: Callable[[], Any], unexpected: str) -> None:
        """Runs in the worker thread."""
        try:
            result = read()
        except Exception as exc:  # the last resort: never "Checking…" for ever
            result = Problem(unexpected, details_of(exc))
        with contextlib.suppress(RuntimeError):  # the window has gone meanwhile: no one to tell
            self._delivered.emit(ticket, result)

    @Slot(int, object)
    def _on_delivered(self, ticket: int, result: object) -> None:
        done = self._callbacks.pop(ticket, None)
        if done is not None:
            done(result)
        if not self._callbacks:
            self.idle.emit()
