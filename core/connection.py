"""Opening database files: read-only for looking, read-write for upgrading.

Connections use explicit transaction control (``isolation_level=None``):
Python's default mode does not wrap DDL, and the engine must own every
``BEGIN`` and ``COMMIT``. Paths go through a ``file:`` URI with ``mode=`` so
that opening never creates a file that wasn't there.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from core.errors import DatabaseLocked, DatabaseReadOnly, Refusal
from core.guard import EngineConnection

POLL_MS = 50  # busy wait of one attempt at the write lock


def _uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def open_readonly(path: Path) -> sqlite3.Connection:
    """Open for reading only; used by status, which must never write."""
    return sqlite3.connect(_uri(path, "ro"), uri=True, isolation_level=None, timeout=0.5)


def recover_hot_journal(path: Path) -> None:
    """Let SQLite roll back a crashed transaction's journal (needs a read-write open)."""
    conn = sqlite3.connect(_uri(path, "rw"), uri=True, isolation_level=None, timeout=2.0)
    try:
        conn.execute("PRAGMA user_version").fetchone()
    finally:
        conn.close()


def open_readwrite(path: Path, timeout: float = 10.0) -> EngineConnection:
    """Open for upgrading; ``timeout`` is how long a statement waits for a lock.

    :func:`begin_immediate` polls for the write lock itself, so that it can
    say at once that it is waiting.
    """
    conn = sqlite3.connect(
        _uri(path, "rw"), uri=True, isolation_level=None, timeout=timeout, factory=EngineConnection
    )
    assert isinstance(conn, EngineConnection)
    return conn


def is_locked_error(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in (
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
    ) or "locked" in str(exc)


def is_readonly_error(exc: sqlite3.Error) -> bool:
    return (
        "readonly" in str(exc) or getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_READONLY
    )


def readonly_error(path: Path) -> DatabaseReadOnly:
    return DatabaseReadOnly(path, Refusal.READ_ONLY)


def begin_immediate(
    conn: sqlite3.Connection,
    path: Path,
    timeout: float,
    on_wait: Callable[[], None],
) -> None:
    """Take the write lock, retrying until ``timeout``; say once that we wait.

    Taking the lock polls with a short busy wait so the person hears at once
    why nothing moves. Once held, the same connection waits up to ``timeout``
    for what the transaction still needs: COMMIT (and a cache spill) must wait
    for the Society app's open readers to finish, not fail after a moment.
    """
    deadline = time.monotonic() + timeout
    said = False
    while True:
        try:
            conn.execute(f"PRAGMA busy_timeout = {POLL_MS}")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            return
        except sqlite3.OperationalError as exc:
            if is_readonly_error(exc):
                raise readonly_error(path) from exc
            if not is_locked_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseLocked(path, Refusal.IN_USE, waited=timeout) from exc
            if not said:
                on_wait()
                said = True
            time.sleep(0.05)
