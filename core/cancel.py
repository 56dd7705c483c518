"""How the person asks a running upgrade to stop, from any thread."""

from __future__ import annotations

import threading


class CancelToken:
    """Ask a running upgrade to stop: before the next migration, or right now.

    ``cancel()`` stops before the next migration; ``cancel(interrupt=True)``
    also aborts the running one through SQLite's progress handler, which rolls
    it back. Safe to call from any thread.
    """

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._interrupt = threading.Event()

    def cancel(self, interrupt: bool = False) -> None:
        self._stop.set()
        if interrupt:
            self._interrupt.set()

    @property
    def requested(self) -> bool:
        return self._stop.is_set()

    @property
    def interrupt_requested(self) -> bool:
        return self._interrupt.is_set()
