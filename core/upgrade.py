"""The upgrade, stage by stage: inspect, plan, prepare, run each step, finish.

Read :func:`upgrade_file` top to bottom; every caller (the facade, the
rehearsal on a copy, the command line, the window) goes through it.

- **inspect**: what the file is, read-only (:mod:`core.status`);
- **plan**: the steps, from facts alone (:mod:`core.plan`);
- **prepare**: a verified backup, or an integrity check when there is no
  backup; never both passes over the whole file;
- **run each step**: begin, apply, check, record, commit (:mod:`core.step`),
  with the crash note written before each step;
- **finish**: close the file and clear the crash note, however it ended.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path

from core import marker, step, wording
from core.adopt import Adoption, take_over
from core.backup import make_backup
from core.cancel import CancelToken
from core.conformance import verify
from core.connection import is_locked_error, open_readwrite
from core.discovery import Catalog
from core.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseUnusable,
    MigrationError,
    MigrationFailed,
    Outcome,
    Refusal,
    UpgradeCancelled,
)
from core.events import (
    EventHandler,
    MigrationApplied,
    MigrationStarted,
    Notice,
    PlanReady,
    StepInfo,
    UpgradeFinished,
    ignore_event,
)
from core.fkbaseline import Baseline
from core.guard import EngineConnection
from core.plan import Plan, Safety, plan_upgrade, step_info
from core.schemadiff import Difference
from core.status import inspect_database

DEFAULT_LOCK_TIMEOUT = 10.0


@dataclass(frozen=True)
class UpgradeResult:
    from_version: int
    to_version: int
    applied: tuple[StepInfo, ...]
    cancelled: bool = False
    backup: Path | None = None
    # Checked at the end: what the file still lacks or has otherwise than to_version owns.
    differences: tuple[Difference, ...] = ()
    adopted: Adoption | None = None  # numbered by another tool, made ours first

    @property
    def schema_matches(self) -> bool:
        return not self.differences


def upgrade_file(
    path: Path | str,
    catalog: Catalog,
    *,
    target: int | None = None,
    backup: bool = True,
    backup_to: Path | None = None,
    on_event: EventHandler = ignore_event,
    cancel: CancelToken | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> UpgradeResult:
    """Apply the pending migrations (up to ``target``), each all-or-nothing."""
    file = Path(path)
    found = inspect_database(file, catalog)
    plan = plan_upgrade(found, catalog, target, backup=backup)
    if plan.nothing_to_do:  # don't open for writing, don't wait for a lock
        differs = found.schema.comparison.differences if found.schema else ()
        on_event(PlanReady(plan.from_version, plan.from_version, ()))
        on_event(UpgradeFinished(plan.from_version, plan.from_version, 0, differences=differs))
        return UpgradeResult(plan.from_version, plan.from_version, (), differences=differs)
    for row in found.changed:
        on_event(Notice(wording.changed_since_applied(row.version)))
    conn = _open(file, lock_timeout)
    progress = Progress(on_event, cancel or CancelToken(), catalog.latest, lock_timeout)
    try:
        baseline = Baseline(conn)  # watches for other writers from before the backup
        saved = prepare(conn, file, plan, backup_to, on_event)
        baseline.use_copy(saved)
        adoption = None
        if plan.adopt is not None:  # its number is another tool's: ours comes from its schema
            adoption = take_over(conn, file, catalog, lock_timeout, on_event)
            if adoption is not None:
                place = adoption.adopted_version
                steps = catalog.between(place, plan.to_version)
                plan = replace(plan, from_version=place, steps=steps)
        result = run_steps(conn, file, plan, CrashNote(file, saved), progress, catalog, baseline)
        return replace(result, adopted=adoption)
    except MigrationError as exc:
        if not progress.applied or isinstance(exc, MigrationFailed | UpgradeCancelled):
            raise
        raise exc.after_steps(progress.versions) from exc  # say what did change
    except sqlite3.Error as exc:
        outcome = Outcome(applied=progress.versions)
        if is_locked_error(exc):
            raise DatabaseLocked(file, Refusal.IN_USE, outcome=outcome) from exc
        raise DatabaseUnusable(
            file, Refusal.SQLITE_ERROR, detail=str(exc), outcome=outcome
        ) from exc
    except OSError as exc:  # a file beside the database (the crash note): a message, not a crash
        raise DatabaseUnusable(
            file,
            Refusal.SIDE_FILE,
            detail=str(exc.strerror or exc),
            outcome=Outcome(applied=progress.versions),
        ) from exc
    finally:  # finish: any orderly end (done, failed, cancelled)
        conn.close()
        marker.clear(file, only_own=True)


def _open(file: Path, lock_timeout: float) -> EngineConnection:
    try:
        return open_readwrite(file, lock_timeout)
    except sqlite3.Error as exc:
        raise DatabaseUnusable(file, Refusal.CANT_OPEN, detail=str(exc)) from exc


def prepare(
    conn: sqlite3.Connection,
    file: Path,
    plan: Plan,
    backup_to: Path | None,
    on_event: EventHandler,
) -> Path | None:
    """Make the file safe to change: a verified copy, or a consistency check. The copy's path."""
    if plan.safety is Safety.BACKUP:  # its integrity_check of the fresh copy covers the original
        return make_backup(conn, file, backup_to, on_event)
    if plan.safety is Safety.CHECK:
        check_intact(conn, file)
    return None


def check_intact(conn: sqlite3.Connection, file: Path) -> None:
    """Refuse a damaged file before writing anything (one scan per upgrade, not per step)."""
    try:
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if is_locked_error(exc):
            raise
        verdict = str(exc)
    if verdict != "ok":
        raise DatabaseCorrupt(file, Refusal.DAMAGED, detail=verdict)


class CrashNote:
    """The hook around each step: a note beside the file names the step that runs.

    Should the process die mid-step, the next look at the file finds the note
    and can say what was cut short and where the backup is (:mod:`core.marker`).
    """

    def __init__(self, file: Path, backup: Path | None) -> None:
        self.file, self.backup = file, backup

    def before(self, info: StepInfo) -> None:
        marker.write(self.file, info.version, info.description, self.backup)


def run_steps(
    conn: EngineConnection,
    file: Path,
    plan: Plan,
    note: CrashNote,
    progress: Progress,
    catalog: Catalog,
    baseline: Baseline | None = None,
) -> UpgradeResult:
    """Begin, apply, check, record, commit: one transaction per migration, each run once."""
    on_event, cancel, total = progress.on_event, progress.cancel, len(plan.steps)
    baseline = baseline or Baseline(conn)
    on_event(PlanReady(plan.from_version, plan.to_version, plan.step_infos))
    version = plan.from_version
    with step.foreign_keys_off(conn):
        for index, migration in enumerate(plan.steps, start=1):
            if cancel.requested:
                break
            if not step.begin(
                conn, file, migration, progress.latest, progress.lock_timeout, on_event
            ):
                version = migration.version  # another upgrade applied it meanwhile
                continue
            info = step_info(migration)
            note.before(info)
            on_event(MigrationStarted(info, index, total))
            try:
                applied = step.apply(conn, migration, cancel, baseline, on_event)
                step.check(conn, applied, cancel, on_event, baseline)
                step.record(conn, migration, applied.seconds)
                conn.execute("COMMIT")
            except Exception as exc:
                raise step.roll_back(conn, exc, info, cancel, on_event) from exc
            except BaseException:  # KeyboardInterrupt: undo the step, then let it through
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            version = migration.version
            progress.applied.append(info)
            on_event(MigrationApplied(info, index, total, applied.seconds))
    cancelled = cancel.requested and version < plan.to_version
    done = tuple(progress.applied)
    checked = verify(conn, catalog, version)  # the number is a claim: look at the file
    if checked is None:
        on_event(Notice(wording.unverifiable(version)))
    differs = checked.differences if checked else ()
    on_event(UpgradeFinished(plan.from_version, version, len(done), cancelled, differs))
    return UpgradeResult(plan.from_version, version, done, cancelled, note.backup, differs)


@dataclass
class Progress:
    """How one run reports and is stopped, and the steps it has committed so far."""

    on_event: EventHandler
    cancel: CancelToken
    latest: int  # the newest version the catalog knows
    lock_timeout: float
    applied: list[StepInfo] = field(default_factory=list)

    @property
    def versions(self) -> tuple[int, ...]:
        return tuple(info.version for info in self.applied)
