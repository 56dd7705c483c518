"""The engine's public verbs: what the CLI, the window and the Society app call.

``status`` looks without writing; ``upgrade`` backs up and migrates;
``ensure_current`` is the one call the Society app makes at start-up.
Everything is passed in as arguments: ``core`` keeps no settings of its own.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from core import marker
from core.backup import make_backup
from core.connection import (
    LOCK_HINT,
    is_locked_error,
    open_readonly,
    open_readwrite,
    readonly_error,
)
from core.discovery import Catalog, load_catalog
from core.errors import (
    UNCHANGED,
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseUnusable,
    MigrationError,
)
from core.events import (
    Event,
    EventHandler,
    MigrationApplied,
    MigrationStarted,
    Notice,
    PlanReady,
    UpgradeFinished,
    ignore_event,
)
from core.rehearse import Rehearsal, rehearse_upgrade
from core.restore import BackupInfo, RestoreResult, list_backups, restore_backup
from core.runner import CancelToken, UpgradeResult, run_upgrade
from core.status import (
    UPGRADABLE,
    DatabaseStatus,
    State,
    inspect_database,
    require_upgradable,
)

DEFAULT_LOCK_TIMEOUT = 10.0


def status(path: Path | str, migrations_dir: Path | str | None = None) -> DatabaseStatus:
    """Where the file stands and which migrations are applied or pending. Read-only."""
    return inspect_database(path, load_catalog(migrations_dir))


def upgrade(
    path: Path | str,
    *,
    migrations_dir: Path | str | None = None,
    catalog: Catalog | None = None,
    target: int | None = None,
    backup: bool = True,
    backup_to: Path | None = None,
    on_event: EventHandler = ignore_event,
    cancel: CancelToken | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> UpgradeResult:
    """Apply the pending migrations (up to ``target``), each all-or-nothing.

    A verified backup is taken first unless ``backup`` is False or there is
    nothing to lose (an empty file). Raises :class:`MigrationError` subclasses
    only; their text is fit to show to staff as it is.
    """
    file = Path(path)
    catalog = catalog or load_catalog(migrations_dir)
    goal = catalog.latest if target is None else target
    if not 0 <= goal <= catalog.latest:
        raise ValueError(f"--to must be between 0 and {catalog.latest}, not {goal}.")
    found = inspect_database(file, catalog)
    require_upgradable(found)
    current = found.current_version or 0
    if current >= goal:  # nothing to do: don't open for writing, don't wait for a lock
        on_event(PlanReady(current, current, ()))
        on_event(UpgradeFinished(current, current, 0))
        return UpgradeResult(current, current, ())
    if not found.writable:
        raise readonly_error(file)
    for row in found.changed:
        on_event(
            Notice(
                f"Migration {row.version:03d} was changed after it was applied to this file; "
                "the file was upgraded by different code than this tool ships."
            )
        )
    try:
        conn = open_readwrite(file, lock_timeout)
    except sqlite3.Error as exc:
        raise DatabaseUnusable(file, f"The database can't be opened: {exc}. {UNCHANGED}") from exc
    saved: Path | None = None
    applied: list[int] = []

    def observe(event: Event) -> None:
        if isinstance(event, MigrationStarted):  # explain a crash, should one come
            marker.write(file, event.step.version, event.step.description, saved)
        if isinstance(event, MigrationApplied):
            applied.append(event.step.version)
        on_event(event)

    try:
        if found.state is not State.NEW:
            if backup:  # its integrity_check of the fresh copy covers the original
                saved = make_backup(conn, file, backup_to, on_event)
            else:
                check_intact(conn, file)
        result = run_upgrade(
            conn, file, catalog, goal, observe, cancel or CancelToken(), lock_timeout
        )
        return replace(result, backup=saved)
    except MigrationError as exc:
        if applied and UNCHANGED in exc.message:  # say what did change
            exc.message = exc.message.replace(UNCHANGED, _stopped_at(applied))
        raise
    except sqlite3.Error as exc:
        outcome = _stopped_at(applied) if applied else UNCHANGED
        if is_locked_error(exc):
            raise DatabaseLocked(
                file,
                f"Another program is using the database. {LOCK_HINT}, then try again. {outcome}",
            ) from exc
        raise DatabaseUnusable(
            file, f"SQLite reported a problem with the file: {exc}. {outcome}"
        ) from exc
    finally:
        conn.close()
        marker.clear(file, only_own=True)  # any orderly end: done, failed, cancelled


def _stopped_at(applied: list[int]) -> str:
    n = len(applied)
    return (
        f"The upgrade stopped at version {applied[-1]}: {n} migration{'s' if n != 1 else ''} "
        "had been applied before this, each one complete. Run the upgrade again for the rest."
    )


def check_intact(conn: sqlite3.Connection, file: Path) -> None:
    """Refuse a damaged file before writing anything (one scan per upgrade, not per step)."""
    try:
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if is_locked_error(exc):
            raise
        verdict = str(exc)
    if verdict != "ok":
        raise DatabaseCorrupt(
            file,
            "This database is damaged (SQLite's consistency check failed), so it will not "
            f"be upgraded. Restore it from a backup. {UNCHANGED}",
        )


def ensure_current(
    path: Path | str,
    *,
    migrations_dir: Path | str | None = None,
    on_event: EventHandler = ignore_event,
) -> UpgradeResult:
    """Bring the Society app's database to the latest version at start-up.

    Creates the file if it does not exist yet (a first run). Returns at once
    when nothing is pending; otherwise backs up and migrates.
    """
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        file.touch()
    return upgrade(file, migrations_dir=migrations_dir, on_event=on_event)


def backup(
    path: Path | str,
    *,
    out: Path | str | None = None,
    migrations_dir: Path | str | None = None,
    on_event: EventHandler = ignore_event,
) -> Path:
    """Make a verified safety copy of a society database; returns its path."""
    file = Path(path)
    found = inspect_database(file, load_catalog(migrations_dir))
    if found.state not in (*UPGRADABLE, State.TOO_NEW) or found.state is State.NEW:
        require_upgradable(found)
        raise DatabaseUnusable(file, f"There is nothing to back up in {file}. {UNCHANGED}")
    conn = open_readonly(file)
    try:
        return make_backup(conn, file, Path(out) if out else None, on_event)
    finally:
        conn.close()


def restore(
    backup_path: Path | str,
    path: Path | str,
    *,
    migrations_dir: Path | str | None = None,
    on_event: EventHandler = ignore_event,
) -> RestoreResult:
    """Put a verified backup back in place of ``path``; the replaced file is kept aside."""
    return restore_backup(backup_path, path, load_catalog(migrations_dir), on_event)


def rehearse(
    path: Path | str,
    *,
    migrations_dir: Path | str | None = None,
    target: int | None = None,
    on_event: EventHandler = ignore_event,
    cancel: CancelToken | None = None,
) -> Rehearsal:
    """Run the pending migrations on a temporary copy; the real file is not touched."""
    return rehearse_upgrade(
        path, load_catalog(migrations_dir), target=target, on_event=on_event, cancel=cancel
    )


__all__ = [
    "BackupInfo",
    "CancelToken",
    "DatabaseStatus",
    "Rehearsal",
    "RestoreResult",
    "UpgradeResult",
    "backup",
    "ensure_current",
    "list_backups",
    "rehearse",
    "restore",
    "status",
    "upgrade",
]
