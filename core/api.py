"""The engine's public verbs: what the CLI, the window and the Society app call.

``status`` looks without writing; ``upgrade`` backs up and migrates (through
the one pipeline in :mod:`core.upgrade`); ``ensure_current`` is the one call
the Society app makes at start-up. Everything is passed in as arguments:
``core`` keeps no settings of its own.

Every verb takes the same ``catalog`` (load it once with :func:`load_catalog`
and pass it around, as the window does), or a ``migrations_dir`` to load.
Given neither, the shipped migrations are used: :func:`core.discovery.shipped_migrations_dir`
finds them by path, beside ``core/``, without importing the ``migrations``
package, so that the Society app can call ``ensure_current(path)`` alone.
"""

from __future__ import annotations

from pathlib import Path

from core import runlog
from core.backup import default_backup_dir, is_own_backup, make_backup
from core.cancel import CancelToken
from core.check import CheckReport, check_database
from core.connection import open_readonly
from core.discovery import Catalog, load_catalog
from core.errors import NO_FILE, DatabaseUnusable, Refusal
from core.events import EventHandler, ignore_event
from core.marker import InterruptedUpgrade
from core.plan import Plan, plan_upgrade
from core.rehearse import Rehearsal, rehearse_upgrade
from core.restore import (
    BackupInfo,
    FileSide,
    RestoreResult,
    list_backups,
    restore_backup,
    restore_sides,
)
from core.state import Action, State
from core.status import DatabaseStatus, MigrationRow, inspect_database, require_upgradable
from core.upgrade import DEFAULT_LOCK_TIMEOUT, UpgradeResult, upgrade_file
from core.version import TOOL_VERSION


def catalog_of(migrations_dir: Path | str | None = None, catalog: Catalog | None = None) -> Catalog:
    """The catalog given, else the one in ``migrations_dir``, else the shipped one."""
    return catalog if catalog is not None else load_catalog(migrations_dir)


def status(
    path: Path | str, migrations_dir: Path | str | None = None, *, catalog: Catalog | None = None
) -> DatabaseStatus:
    """Where the file stands and which migrations are applied or pending. Read-only."""
    return inspect_database(path, catalog_of(migrations_dir, catalog))


def check(
    path: Path | str, migrations_dir: Path | str | None = None, *, catalog: Catalog | None = None
) -> CheckReport:
    """Every difference between the file and its version's expected schema. Read-only."""
    return check_database(path, catalog_of(migrations_dir, catalog))


def plan(
    found: DatabaseStatus, catalog: Catalog, *, target: int | None = None, backup: bool = True
) -> Plan:
    """What an upgrade of the file just inspected as ``found`` would do (nothing is opened)."""
    return plan_upgrade(found, catalog, target, backup=backup)


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
    found = catalog_of(migrations_dir, catalog)
    return runlog.logged_upgrade(  # a run that has work to do leaves a line in the run log
        Path(path),
        lambda observe: upgrade_file(
            path,
            found,
            target=target,
            backup=backup,
            backup_to=backup_to,
            on_event=observe,
            cancel=cancel,
            lock_timeout=lock_timeout,
        ),
        on_event,
    )


def ensure_current(
    path: Path | str,
    *,
    migrations_dir: Path | str | None = None,
    catalog: Catalog | None = None,
    on_event: EventHandler = ignore_event,
) -> UpgradeResult:
    """Bring the Society app's database to the latest version at start-up.

    Creates the file if it does not exist yet (a first run). Returns at once
    when nothing is pending; otherwise backs up and migrates.
    """
    file = Path(path)
    if not file.exists():
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.touch()
        except OSError as exc:  # the app catches MigrationError: never a bare OSError
            raise DatabaseUnusable(
                file, Refusal.CANT_CREATE, detail=str(exc.strerror or exc), outcome=NO_FILE
            ) from exc
    return upgrade(file, migrations_dir=migrations_dir, catalog=catalog, on_event=on_event)


def backup(
    path: Path | str,
    *,
    out: Path | str | None = None,
    migrations_dir: Path | str | None = None,
    catalog: Catalog | None = None,
    on_event: EventHandler = ignore_event,
) -> Path:
    """Make a verified safety copy of a society database; returns its path."""
    file = Path(path)
    found = inspect_database(file, catalog_of(migrations_dir, catalog))
    if not found.state.allows(Action.BACK_UP):
        require_upgradable(found)
        raise DatabaseUnusable(file, Refusal.NOTHING_TO_BACK_UP)
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
    catalog: Catalog | None = None,
    on_event: EventHandler = ignore_event,
) -> RestoreResult:
    """Put a verified backup back in place of ``path``; the replaced file is kept aside."""
    found = catalog_of(migrations_dir, catalog)
    return runlog.logged_restore(
        Path(backup_path),
        Path(path),
        lambda: restore_backup(backup_path, path, found, on_event),
    )


def rehearse(
    path: Path | str,
    *,
    migrations_dir: Path | str | None = None,
    catalog: Catalog | None = None,
    target: int | None = None,
    on_event: EventHandler = ignore_event,
    cancel: CancelToken | None = None,
) -> Rehearsal:
    """Run the pending migrations on a temporary copy; the real file is not touched."""
    return rehearse_upgrade(
        path, catalog_of(migrations_dir, catalog), target=target, on_event=on_event, cancel=cancel
    )


__all__ = [
    "TOOL_VERSION",
    "Action",
    "BackupInfo",
    "CancelToken",
    "Catalog",
    "CheckReport",
    "DatabaseStatus",
    "FileSide",
    "InterruptedUpgrade",
    "MigrationRow",
    "Plan",
    "Rehearsal",
    "RestoreResult",
    "State",
    "UpgradeResult",
    "backup",
    "catalog_of",
    "check",
    "default_backup_dir",
    "ensure_current",
    "is_own_backup",
    "list_backups",
    "load_catalog",
    "plan",
    "rehearse",
    "restore",
    "restore_sides",
    "status",
    "upgrade",
]
