"""How the person asks a running upgrade to stop, from any thread.

"Stop now" must reach a migration wherever it is busy. Inside SQLite, the
engine's progress handler aborts the statement. In the migration's own Python
code (a loop, a sleep) nothing in SQLite runs, so while that code runs the
token can break in: called from a signal handler in the same thread (Ctrl+C,
SIGTERM on the command line) it raises :class:`StopNow` there and then, which
also cuts a ``time.sleep`` short; called from another thread (the window
closing) it schedules :class:`StopNow` in the migration's thread with
CPython's ``PyThreadState_SetAsyncExc``, raised at its next bytecode. Either
way it happens only while the migration's code runs, before the engine's
COMMIT, so the step is rolled back. (A migration blocked inside one long C
call in the window's worker, such as a single ``time.sleep(600)``, stops when
that call returns.)
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class StopNow(BaseException):
    """Raised in a migration's code when the person asks to stop now.

    A ``BaseException``, like ``KeyboardInterrupt``: a migration's
    ``except Exception`` does not swallow it.
    """


def _schedule(thread_id: int, exc: type[BaseException] | None) -> None:
    """Raise ``exc`` in thread ``thread_id`` at its next bytecode (None: take it back)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


class CancelToken:
    """Ask a running upgrade to stop: before the next migration, or right now.

    ``cancel()`` stops before the next migration; ``cancel(interrupt=True)``
    also aborts the running one: its SQL through SQLite's progress handler,
    its Python code through :class:`StopNow`. Either way it is rolled back.
    Safe to call from any thread and from a signal handler.
    """

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._interrupt = threading.Event()
        self._lock = threading.RLock()  # re-entered by a signal handler in the same thread
        self._running: int | None = None  # the thread running a migration's code
        self._scheduled = False

    def cancel(self, interrupt: bool = False) -> None:
        self._stop.set()
        if interrupt:
            self._interrupt.set()
            self._break_in()

    @property
    def requested(self) -> bool:
        return self._stop.is_set()

    @property
    def interrupt_requested(self) -> bool:
        return self._interrupt.is_set()

    @contextmanager
    def migration_code(self) -> Iterator[None]:
        """The span in which a migration's own code runs and "stop now" raises in it."""
        with self._lock:
            self._running = threading.get_ident()
        try:
            if self._interrupt.is_set():
                raise StopNow
            yield
        finally:
            self._running = None  # first: no signal from here on raises in the engine
            with self._lock:
                if self._scheduled:  # take back one not raised yet
                    _schedule(threading.get_ident(), None)
                    self._scheduled = False

    def _break_in(self) -> None:
        with self._lock:
            thread = self._running
            if thread is None:
                return
            if thread == threading.get_ident():  # a signal handler, in the migration's thread
                self._running = None  # once only
                raise StopNow
            _schedule(thread, StopNow)
            self._scheduled = True
