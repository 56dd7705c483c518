"""Put a backup back in place of the database, keeping the replaced file aside.

The backup is verified first (``integrity_check``, a society database this
tool knows). The file being replaced is itself copied to ``backups/`` before
anything is written. When the database is a readable SQLite file, the backup
is copied *into* it with SQLite's backup API, under SQLite's own locking, so
a program holding the file open sees the restored content rather than a file
swapped from under it; only a damaged file is replaced on disk.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core import marker
from core.backup import backup_name, default_backup_dir, make_backup, verify_backup
from core.connection import (
    LOCK_HINT,
    is_locked_error,
    open_readonly,
    open_readwrite,
    readonly_error,
)
from core.discovery import Catalog
from core.errors import UNCHANGED, BackupFailed, DatabaseLocked, DatabaseUnusable
from core.events import EventHandler, Notice, ignore_event
from core.status import UPGRADABLE, State, inspect_database, is_writable
from core.version import read_version

_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    version: int | None  # None when the file can't be read
    taken_at: datetime  # the file's modification time, local


@dataclass(frozen=True)
class RestoreResult:
    restored_version: int
    replaced_kept_at: Path | None  # where the file that was replaced now is


def list_backups(db_path: Path | str) -> list[BackupInfo]:
    """Backups of this database in its ``backups/`` folder, newest first."""
    db = Path(db_path)
    folder = default_backup_dir(db)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{db.stem}_*{db.suffix or '.db'}"):
        if not path.is_file():
            continue
        found.append(
            BackupInfo(path, _version_of(path), datetime.fromtimestamp(path.stat().st_mtime))
        )
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def _version_of(path: Path) -> int | None:
    try:
        conn = open_readonly(path)
        try:
            return read_version(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def restore_backup(
    backup: Path | str,
    db_path: Path | str,
    catalog: Catalog,
    on_event: EventHandler = ignore_event,
) -> RestoreResult:
    """Verify ``backup``, keep the current ``db_path`` aside, then put the backup in place."""
    source, db = Path(backup), Path(db_path)
    checked = inspect_database(source, catalog)
    if checked.state not in UPGRADABLE or checked.state is State.NEW:
        raise BackupFailed(
            source, f"{source.name} can't be restored: {checked.summary} {UNCHANGED}"
        )
    verify_backup(source)
    version = checked.current_version or 0
    current = inspect_database(db, catalog)
    kept: Path | None = None
    if current.state is State.LOCKED:
        raise DatabaseLocked(db, f"{current.summary} {UNCHANGED}")
    if not is_writable(db):
        raise readonly_error(db)
    if db.exists():
        try:
            kept = _keep_aside(db, current.state, on_event)
        except OSError as exc:
            raise BackupFailed(
                db,
                f"The current file could not be kept aside in backups/ "
                f"({exc.strerror or exc}), so nothing was restored. {UNCHANGED}",
            ) from exc
    untouched = f"The database was not changed; a copy of it is at {kept}."
    try:
        if current.state in UPGRADABLE or current.state in (State.TOO_NEW, State.NOT_SOCIETY):
            _copy_into(source, db)
        else:
            _replace_file(source, db)
    except sqlite3.Error as exc:
        if is_locked_error(exc):
            raise DatabaseLocked(
                db,
                f"Another program is using the database. {LOCK_HINT}, then try again. {untouched}",
            ) from exc
        raise DatabaseUnusable(db, f"Restoring failed ({exc}). {untouched}") from exc
    except OSError as exc:
        raise DatabaseUnusable(
            db, f"Restoring failed ({exc.strerror or exc}). {untouched}"
        ) from exc
    marker.clear(db)
    on_event(Notice(f"Restored {source.name}: the database is back at version {version}."))
    return RestoreResult(version, kept)


def _keep_aside(db: Path, state: State, on_event: EventHandler) -> Path:
    """A copy of the file about to be replaced, in ``backups/``, named as such."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = default_backup_dir(db)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if state in UPGRADABLE and state is not State.NEW:
        conn = open_readonly(db)
        try:
            version = read_version(conn)
            name = backup_name(db, version).replace(f"_v{version}_", f"_v{version}_replaced_", 1)
            return make_backup(conn, db, folder / name, on_event)
        finally:
            conn.close()
    # Damaged or foreign: keep the bytes exactly, journal files included.
    kept = folder / f"{db.stem}_replaced_{stamp}{db.suffix or '.db'}"
    shutil.copy2(db, kept)
    for side in _SIDE_FILES:
        extra = db.with_name(db.name + side)
        if extra.exists():
            shutil.copy2(extra, kept.with_name(kept.name + side))
    on_event(Notice(f"The file being replaced was kept at {kept}."))
    return kept


def _copy_into(source: Path, db: Path) -> None:
    """Backup API from the backup into the live file: locks respected, inode kept."""
    src = open_readonly(source)
    dst = open_readwrite(db)
    try:  # a WAL destination stays WAL: SQLite's backup keeps its journal mode
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _replace_file(source: Path, db: Path) -> None:
    """For a damaged file: write a copy beside it, then swap it in atomically."""
    mode = db.stat().st_mode & 0o777 if db.exists() else None
    partial = db.with_name(db.name + ".restoring")
    os.close(os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600))  # private at once
    try:
        shutil.copyfile(source, partial)
        partial.chmod(mode if mode is not None else 0o600)
        for side in _SIDE_FILES:  # stale journals of the damaged file must not apply
            db.with_name(db.name + side).unlink(missing_ok=True)
        os.replace(partial, db)
    finally:
        partial.unlink(missing_ok=True)
