"""The engine's public verbs: what the CLI, the window and the Society app call.

``status`` looks without writing; ``upgrade`` backs up and migrates;
``ensure_current`` is the one call the Society app makes at start-up.
Everything is passed in as arguments: ``core`` keeps no settings of its own.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from core.backup import make_backup
from core.connection import open_readwrite
from core.discovery import Catalog, load_catalog
from core.errors import UNCHANGED, DatabaseReadOnly, DatabaseUnusable, MigrationError
from core.events import EventHandler, ignore_event
from core.runner import CancelToken, UpgradeResult, run_upgrade
from core.status import DatabaseStatus, State, inspect_database, require_upgradable

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
    if not found.writable:
        raise DatabaseReadOnly(
            file,
            f"The database file or its folder can't be written ({file}). Copy it to a "
            f"folder you can write to, or ask for write access. {UNCHANGED}",
        )
    try:
        conn = open_readwrite(file)
    except sqlite3.Error as exc:
        raise DatabaseUnusable(file, f"The database can't be opened: {exc}. {UNCHANGED}") from exc
    try:
        saved = None
        if backup and found.state is not State.NEW and (found.current_version or 0) < goal:
            saved = make_backup(conn, file, backup_to, on_event)
        result = run_upgrade(
            conn, file, catalog, goal, on_event, cancel or CancelToken(), lock_timeout
        )
        return replace(result, backup=saved)
    except MigrationError:
        raise
    except sqlite3.Error as exc:
        raise DatabaseUnusable(
            file, f"SQLite reported a problem with the file: {exc}. {UNCHANGED}"
        ) from exc
    finally:
        conn.close()


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
