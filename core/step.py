"""One migration inside its own transaction: begin, apply, check, record.

The pipeline (:mod:`core.upgrade`) calls these in order and commits. Each
function does one thing; together they keep the promise that a migration, its
``user_version`` and its history row commit or roll back together.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core import fkcheck, wording
from core.cancel import CancelToken, StopNow
from core.connection import begin_immediate
from core.discovery import Migration
from core.errors import (
    DatabaseTooNew,
    DatabaseUnusable,
    ForbiddenInMigration,
    MigrationError,
    MigrationFailed,
    Refusal,
    UpgradeCancelled,
)
from core.events import EventHandler, MigrationRolledBack, Notice, StepInfo
from core.fkbaseline import Baseline
from core.guard import LOST_TRANSACTION, EngineConnection, WriteLog, run_migration
from core.version import read_version, write_version
from core.version import record as record_history

PROGRESS_OPS = 20_000  # SQLite VM steps between cancel checks


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


def begin(
    conn: sqlite3.Connection,
    path: Path,
    migration: Migration,
    latest: int,
    lock_timeout: float,
    on_event: EventHandler,
) -> bool:
    """Take the write lock and read the version again: another program may have moved it.

    False (lock released) when another upgrade applied this step meanwhile.
    """

    def say_waiting() -> None:
        on_event(Notice(wording.waiting_for_lock()))

    begin_immediate(conn, path, lock_timeout, say_waiting)
    try:
        version = read_version(conn)  # inside the lock: the truth now
        if version > latest:
            raise DatabaseTooNew(path, version, latest)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    if version >= migration.version:
        conn.execute("ROLLBACK")
        return False
    if version < migration.version - 1:  # set back (restored?) while we waited
        conn.execute("ROLLBACK")
        raise DatabaseUnusable(path, Refusal.VERSION_MOVED, detail=str(version))
    return True


@dataclass(frozen=True)
class Applied:
    """What a migration's run left for the check: its writes and the links before it."""

    log: WriteLog
    links_before: fkcheck.ForeignKeys
    seconds: float


def apply(
    conn: EngineConnection,
    migration: Migration,
    cancel: CancelToken,
    baseline: Baseline,
    on_event: EventHandler,
) -> Applied:
    """Run ``upgrade(conn)`` once, under the guard; helpers' progress goes to ``on_event``."""
    baseline.step_starting(conn)
    links_before = fkcheck.foreign_keys(conn)
    began = time.perf_counter()
    conn.on_step_event = on_event
    try:
        log = _run_guarded(conn, migration, cancel)
    finally:
        conn.on_step_event = None
    return Applied(log, links_before, time.perf_counter() - began)


def check(
    conn: EngineConnection,
    applied: Applied,
    cancel: CancelToken,
    on_event: EventHandler,
    baseline: Baseline,
) -> None:
    """Fail on foreign-key violations the step introduced, or on "stop now"."""
    suspects = fkcheck.tables_to_check(
        applied.links_before, fkcheck.foreign_keys(conn), applied.log
    )
    after = fkcheck.count_violations(conn, suspects)
    if after:  # were they there already? The baseline knows, without a second run
        before = baseline.before(suspects) + applied.log.existing_violations
        new = fkcheck.introduced(before, after)
        if new:
            raise ForeignKeyViolation(fkcheck.describe(new))
        on_event(Notice(wording.old_orphans(fkcheck.describe(after))))
    if cancel.interrupt_requested:  # "stop now" means this step too
        raise StepInterrupted
    baseline.step_committed(suspects, after)


def record(conn: sqlite3.Connection, migration: Migration, seconds: float) -> None:
    """The version and the history row, in the step's own transaction."""
    write_version(conn, migration.version)
    record_history(
        conn,
        version=migration.version,
        name=migration.name,
        description=migration.description,
        checksum=migration.checksum,
        duration_ms=seconds * 1000,
    )


def roll_back(
    conn: sqlite3.Connection,
    exc: Exception,
    info: StepInfo,
    cancel: CancelToken,
    on_event: EventHandler,
) -> MigrationError:
    """Undo the step, report it, and name the failure in the engine's own terms."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    current = read_version(conn)
    if cancel.interrupt_requested:  # whatever the step raised on its way out
        on_event(MigrationRolledBack(info, "cancelled", current, cancelled=True))
        return UpgradeCancelled(current)
    reason = _reason(exc)
    on_event(MigrationRolledBack(info, reason, current))
    return MigrationFailed(info.version, info.description, reason, current)


class StepInterrupted(Exception):
    """The person asked to stop while this step ran, even if it swallowed the interrupt."""


class ForeignKeyViolation(Exception):
    """A migration left rows pointing at rows that don't exist."""

    def __str__(self) -> str:
        return wording.broken_links(self.args[0])


def _run_guarded(conn: EngineConnection, migration: Migration, cancel: CancelToken) -> WriteLog:
    log = WriteLog()
    conn.set_progress_handler(lambda: 1 if cancel.interrupt_requested else 0, PROGRESS_OPS)
    try:
        with conn.guarded(log):
            try:
                with cancel.migration_code():  # "stop now" breaks into its Python code too
                    run_migration(conn, migration.upgrade)
            except sqlite3.DatabaseError as exc:
                if log.denied:
                    raise _refusal(log) from exc
                raise
    except StopNow as exc:
        raise StepInterrupted from exc
    finally:
        conn.set_progress_handler(None, 0)
    if log.denied or not conn.in_transaction:  # it swallowed a refusal or a fatal error
        raise _refusal(log)
    return log


def _refusal(log: WriteLog) -> ForbiddenInMigration:
    if not log.denied or LOST_TRANSACTION in log.denied:
        return ForbiddenInMigration(LOST_TRANSACTION, lost_transaction=True)
    return ForbiddenInMigration(log.denied[-1])


def _reason(exc: BaseException) -> str:
    """One sentence for staff; the traceback stays with the exception chain."""
    text = str(exc).strip().rstrip(".") or type(exc).__name__
    if isinstance(exc, ForbiddenInMigration | ForeignKeyViolation):
        return text
    return f"{type(exc).__name__}: {text}"
