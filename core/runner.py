"""Execute pending migrations: one transaction per migration, version bump inside.

For each step: take the write lock (``BEGIN IMMEDIATE``), re-read the version
(another process may have moved it), run ``upgrade(conn)`` under the guard,
check the foreign keys it can have broken, set ``user_version``, write the
history row, commit. Any failure rolls that step back and stops; the file is
then exactly as it was after the previous step.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core import fkcheck
from core.connection import begin_immediate
from core.discovery import Catalog, Migration
from core.errors import (
    DatabaseTooNew,
    ForbiddenInMigration,
    MigrationError,
    MigrationFailed,
    UpgradeCancelled,
)
from core.events import (
    EventHandler,
    MigrationApplied,
    MigrationRolledBack,
    MigrationStarted,
    Notice,
    PlanReady,
    StepInfo,
    UpgradeFinished,
)
from core.guard import LOST_TRANSACTION, EngineConnection, WriteLog
from core.version import read_version, record, write_version

PROGRESS_OPS = 20_000  # SQLite VM steps between cancel checks


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


@dataclass(frozen=True)
class UpgradeResult:
    from_version: int
    to_version: int
    applied: tuple[StepInfo, ...]
    cancelled: bool = False
    backup: Path | None = None


def step_info(m: Migration) -> StepInfo:
    return StepInfo(m.version, m.name, m.description)


def run_upgrade(
    conn: EngineConnection,
    path: Path,
    catalog: Catalog,
    target: int,
    on_event: EventHandler,
    cancel: CancelToken,
    lock_timeout: float,
) -> UpgradeResult:
    """Apply migrations ``current+1 .. target`` one transaction each."""
    start = read_version(conn)
    if start > catalog.latest:
        raise DatabaseTooNew(path, start, catalog.latest)
    on_event(
        PlanReady(start, max(start, target), tuple(map(step_info, catalog.between(start, target))))
    )
    total = max(0, target - start)
    applied: list[StepInfo] = []

    def say_waiting() -> None:
        on_event(Notice("Another program is writing to this database; waiting for it to finish."))

    version = start
    with foreign_keys_off(conn):
        while not cancel.requested:
            begin_immediate(conn, path, lock_timeout, say_waiting)
            info: StepInfo | None = None
            try:
                version = read_version(conn)  # inside the lock: the truth now
                if version > catalog.latest:
                    raise DatabaseTooNew(path, version, catalog.latest)
                if version >= target:
                    conn.execute("ROLLBACK")
                    break
                migration = catalog.get(version + 1)
                info = step_info(migration)
                index = min(total, version + 1 - start) if total else 1
                on_event(MigrationStarted(info, index, total))
                began = time.perf_counter()
                _apply(conn, migration, cancel, on_event)
                if cancel.interrupt_requested:  # "stop now" means this step too
                    raise StepInterrupted
                seconds = time.perf_counter() - began
                write_version(conn, migration.version)
                record(
                    conn,
                    version=migration.version,
                    name=migration.name,
                    description=migration.description,
                    checksum=migration.checksum,
                    duration_ms=seconds * 1000,
                )
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if info is None or not isinstance(exc, Exception):
                    raise
                raise _failure(exc, info, read_version(conn), cancel, on_event) from exc
            version = migration.version
            applied.append(info)
            on_event(MigrationApplied(info, index, total, seconds))
    cancelled = cancel.requested and version < target
    on_event(UpgradeFinished(start, version, len(applied), cancelled))
    return UpgradeResult(start, version, tuple(applied), cancelled)


@contextmanager
def foreign_keys_off(conn: sqlite3.Connection) -> Iterator[None]:
    """Enforcement can't change inside a transaction: switch it off around the steps.

    Integrity is kept by the engine's own ``foreign_key_check`` instead.
    """
    was_on = bool(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if was_on:
            conn.execute("PRAGMA foreign_keys = ON")


def _failure(
    exc: Exception, info: StepInfo, current: int, cancel: CancelToken, on_event: EventHandler
) -> MigrationError:
    """Report a rolled-back step and turn its exception into the engine's error."""
    if cancel.interrupt_requested:  # whatever the step raised on its way out
        on_event(MigrationRolledBack(info, "cancelled", current, cancelled=True))
        return UpgradeCancelled(current)
    reason = _reason(exc)
    on_event(MigrationRolledBack(info, reason, current))
    return MigrationFailed(info.version, info.description, reason, current)


def _apply(
    conn: EngineConnection, migration: Migration, cancel: CancelToken, on_event: EventHandler
) -> None:
    """Run ``upgrade(conn)``; fail only on foreign-key violations it introduced."""
    fks_before = fkcheck.foreign_keys(conn)
    conn.execute("SAVEPOINT migration_step")
    log = _run_guarded(conn, migration, cancel)
    suspects = fkcheck.tables_to_check(fks_before, fkcheck.foreign_keys(conn), log)
    after = fkcheck.count_violations(conn, suspects)
    if not after:
        conn.execute("RELEASE migration_step")
        return
    # Some violations: were they there already? Look at the state before the
    # step (same transaction, lock held), then run the step again.
    conn.execute("ROLLBACK TO migration_step")
    before = fkcheck.count_violations(conn, suspects)
    _run_guarded(conn, migration, cancel)
    conn.execute("RELEASE migration_step")
    new = fkcheck.introduced(before, fkcheck.count_violations(conn, suspects))
    if new:
        raise ForeignKeyViolation(fkcheck.describe(new))
    on_event(
        Notice(
            f"Found links to missing rows that were already in the file: "
            f"{fkcheck.describe(before)}. They were left as they are."
        )
    )


class StepInterrupted(Exception):
    """The person asked to stop while this step ran, even if it swallowed the interrupt."""


class ForeignKeyViolation(Exception):
    """A migration left rows pointing at rows that don't exist."""

    def __str__(self) -> str:
        return f"it would leave broken links between tables ({self.args[0]})"


def _run_guarded(conn: EngineConnection, migration: Migration, cancel: CancelToken) -> WriteLog:
    log = WriteLog()
    conn.set_progress_handler(lambda: 1 if cancel.interrupt_requested else 0, PROGRESS_OPS)
    try:
        with conn.guarded(log):
            try:
                migration.upgrade(conn)
            except sqlite3.DatabaseError as exc:
                if log.denied:
                    raise _refusal(log) from exc
                raise
    finally:
        conn.set_progress_handler(None, 0)
    if log.denied or not conn.in_transaction:  # it swallowed a refusal or a fatal error
        raise _refusal(log)
    return log


def _refusal(log: WriteLog) -> ForbiddenInMigration:
    if not log.denied or LOST_TRANSACTION in log.denied:
        return ForbiddenInMigration(
            "SQLite had already rolled it back after an error (such as a full disk) "
            "that the migration caught and went on from"
        )
    return ForbiddenInMigration(f"it tried {log.denied[-1]}, which only the engine may do")


def _reason(exc: BaseException) -> str:
    """One sentence for staff; the traceback stays with the exception chain."""
    text = str(exc).strip().rstrip(".") or type(exc).__name__
    if isinstance(exc, ForbiddenInMigration | ForeignKeyViolation):
        return text
    return f"{type(exc).__name__}: {text}"
