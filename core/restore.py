"""Put a backup back in place of the database, keeping the replaced file aside.

The backup is verified first (``integrity_check``, a society database this
tool knows). When the database is a readable SQLite file, the backup is
copied *into* it with SQLite's backup API, so a program holding the file open
sees the restored content rather than a file swapped from under it. The copy
of the file being replaced is made while that copy-in already holds the write
lock: a row the Society app commits is either in the kept-aside copy or lands
after the restore, never lost between the two. Every wait for the lock is
bounded; a file through a symbolic link is restored where the link points.
Only a damaged file is replaced on disk; another program's database never is.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core import marker, wording
from core.backup import (
    backup_name,
    claim,
    copy_permissions,
    default_backup_dir,
    is_own_backup,
    make_backup,
    new_partial,
    read_copy,
    remove_stale_partials,
    verify_backup,
)
from core.connection import (
    is_locked_error,
    open_readonly,
    open_readwrite,
    readonly_error,
)
from core.discovery import Catalog
from core.errors import (
    BackupFailed,
    DatabaseLocked,
    DatabaseUnusable,
    NotASocietyDatabase,
    Outcome,
    Refusal,
)
from core.events import EventHandler, Notice, ignore_event
from core.schema import quote, table_exists
from core.state import Action, State
from core.status import inspect_database, is_writable
from core.version import read_version

_SIDE_FILES = ("-wal", "-shm", "-journal")
DEFAULT_LOCK_TIMEOUT = 10.0
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    version: int | None  # None when the file can't be read
    taken_at: datetime  # the file's modification time, local


@dataclass(frozen=True)
class RestoreResult:
    restored_version: int
    replaced_kept_at: Path | None  # where the file that was replaced now is


@dataclass(frozen=True)
class FileSide:
    """One side of a restore, as a person tells files apart: version, when, how much."""

    path: Path
    version: int | None  # None: the file can't be read
    changed_at: datetime | None  # None: there is no file
    residents: int | None
    ledger_rows: int | None

    @property
    def text(self) -> str:
        return wording.file_side(self)


def describe_side(path: Path | str) -> FileSide:
    """What a file holds, read-only: version, time, residents and ledger rows."""
    file = Path(path)
    try:
        changed = datetime.fromtimestamp(file.stat().st_mtime)
    except OSError:
        return FileSide(file, None, None, None, None)
    try:
        conn = open_readonly(file)
        try:
            counts = [
                int(conn.execute(f"SELECT count(*) FROM {quote(t)}").fetchone()[0])
                if table_exists(conn, t)
                else None
                for t in ("residents", "ledger")
            ]
            return FileSide(file, read_version(conn), changed, counts[0], counts[1])
        finally:
            conn.close()
    except sqlite3.Error:
        return FileSide(file, None, changed, None, None)


def restore_sides(backup: Path | str, db_path: Path | str) -> tuple[FileSide, FileSide]:
    """Both sides of a restore: the backup that goes in, the file it replaces."""
    return describe_side(backup), describe_side(_target(Path(db_path)))


def list_backups(db_path: Path | str) -> list[BackupInfo]:
    """This database's own backups in its ``backups/`` folder, newest first.

    Only names this tool gives this file's backups: never another database's
    (``society_old.db``'s are not ``society.db``'s), never an empty leftover.
    """
    db = Path(db_path)
    folder = default_backup_dir(db)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if not is_own_backup(db, path) or path.is_symlink() or not path.is_file():
            continue
        info = path.stat()
        if info.st_size == 0:  # a name claimed by a backup that was killed: not a backup
            continue
        found.append(BackupInfo(path, _version_of(path), datetime.fromtimestamp(info.st_mtime)))
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


def _target(db: Path) -> Path:
    """The file a restore replaces: where a symbolic link points, the link itself kept."""
    return db.resolve() if db.is_symlink() else db


def restore_backup(
    backup: Path | str,
    db_path: Path | str,
    catalog: Catalog,
    on_event: EventHandler = ignore_event,
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> RestoreResult:
    """Verify ``backup``, keep the current ``db_path`` aside, then put the backup in place."""
    source, db = Path(backup), _target(Path(db_path))
    checked = inspect_database(source, catalog)
    if not checked.state.allows(Action.RESTORE_FROM):
        raise BackupFailed(source, Refusal.NOT_RESTORABLE, found=checked)
    if db.exists() and os.path.samefile(source, db):
        raise BackupFailed(source, Refusal.RESTORE_ONTO_ITSELF)
    verify_backup(source)
    version = checked.current_version or 0
    current = inspect_database(db, catalog)
    if not current.state.allows(Action.RESTORE_OVER):  # held by, or of, another program
        error = DatabaseLocked if current.state is State.LOCKED else NotASocietyDatabase
        raise error(db, Refusal.WONT_REPLACE, found=current)
    if not is_writable(db):
        raise readonly_error(db)
    sides = restore_sides(source, db)
    on_event(Notice(wording.restoring(*sides)))
    if current.state.allows(Action.COPY_INTO):
        kept: Path | None = _copy_into(source, db, on_event, lock_timeout)
    else:
        kept = _keep_exact_copy(db) if db.exists() else None
        if kept is not None:
            on_event(Notice(wording.kept_aside(kept)))
        _replace_damaged(source, db, kept)
    marker.clear(db)
    on_event(Notice(wording.restored(source, version)))
    return RestoreResult(version, kept)


class _KeepAsideFailed(Exception):
    """The copy of the file being replaced could not be made: nothing is restored."""


class _LockNotGiven(Exception):
    """Another program held the database past the wait."""


def _copy_into(source: Path, db: Path, on_event: EventHandler, lock_timeout: float) -> Path:
    """Backup API from the backup into the live file, the replaced file kept aside first.

    SQLite's backup takes the destination's write lock with its first step
    and keeps it to the end. The file being replaced is copied in that first
    step's progress call, so nothing can commit between the copy kept aside
    and the copy-in. Python's ``backup`` retries a busy file without end; the
    progress call bounds it.
    """
    src = open_readonly(source)
    dst = open_readwrite(db, timeout=0.05)
    raw = os.open(db, os.O_RDONLY)  # held to the end: closing a file drops POSIX locks
    kept: list[Path] = []
    deadline = time.monotonic() + lock_timeout
    try:
        wal = _journal_mode(dst, deadline) == "wal"

        def each_step(status: int, _remaining: int, _total: int) -> None:
            if status in _BUSY:
                if time.monotonic() > deadline:
                    raise _LockNotGiven
                return
            if not kept:  # the write lock is ours now, the file still as it was
                try:
                    kept.append(_keep_aside_locked(db, raw, wal, on_event))
                except (OSError, sqlite3.Error, BackupFailed) as exc:
                    raise _KeepAsideFailed(exc) from exc

        src.backup(dst, pages=1, progress=each_step)  # a WAL destination stays WAL
    except _LockNotGiven as exc:
        raise DatabaseLocked(db, Refusal.IN_USE, waited=lock_timeout) from exc
    except _KeepAsideFailed as exc:
        cause = exc.args[0]
        reason = wording.cause(cause) if isinstance(cause, BackupFailed) else _why(cause)
        raise BackupFailed(db, Refusal.KEEP_ASIDE_FAILED, detail=reason) from cause
    except sqlite3.Error as exc:
        untouched = Outcome(kept_at=kept[0] if kept else None)
        if is_locked_error(exc):
            raise DatabaseLocked(db, Refusal.IN_USE, outcome=untouched) from exc
        raise DatabaseUnusable(
            db, Refusal.RESTORE_FAILED, detail=str(exc), outcome=untouched
        ) from exc
    finally:
        dst.close()
        src.close()
        os.close(raw)
    return kept[0]


def _journal_mode(conn: sqlite3.Connection, deadline: float) -> str:
    """The file's journal mode, asked again while a writer that commits often holds it (bounded)."""
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if not is_locked_error(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _keep_aside_locked(db: Path, raw: int, wal: bool, on_event: EventHandler) -> Path:
    """Copy the file being replaced while the copy-in holds the write lock.

    In WAL mode readers may still read: a verified backup through a reading
    connection. In rollback mode the lock keeps readers out too, and the file
    on disk is exactly its last commit: its bytes, read through a file
    descriptor opened before the lock, then checked.
    """
    if wal:
        conn = open_readonly(db)
        try:
            return make_backup(conn, db, None, on_event, replaced=True)
        finally:
            conn.close()
    header = os.pread(raw, 100, 0)
    version = int.from_bytes(header[60:64], "big", signed=True)
    destination = default_backup_dir(db) / backup_name(db, version, replaced=True)
    kept = _write_private(destination, lambda out: _copy_fd(raw, out), db)
    on_event(Notice(wording.kept_aside(kept)))
    return kept


def _copy_fd(raw: int, out: int) -> None:
    offset = 0
    with os.fdopen(out, "wb", closefd=False) as sink:  # writes every byte, unlike os.write
        while chunk := os.pread(raw, _CHUNK, offset):
            sink.write(chunk)
            offset += len(chunk)


def _write_private(
    destination: Path, write: Callable[[int], None], like: Path, *, check: bool = True
) -> Path:
    """Write a copy private from the first byte, check it, give it the original's mode, name it."""
    destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    remove_stale_partials(destination.parent)
    partial = new_partial(destination)
    try:
        out = os.open(partial, os.O_WRONLY)
        try:
            write(out)
            os.fsync(out)
        finally:
            os.close(out)
        if check and read_copy(partial)[0] != "ok":
            raise BackupFailed(like, Refusal.KEPT_COPY_DAMAGED)
        copy_permissions(like, partial)
        return claim(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


def _keep_exact_copy(db: Path) -> Path:
    """The bytes of a damaged or empty file, journal files included, kept private in backups/."""
    destination = default_backup_dir(db) / backup_name(db, None, replaced=True)

    try:
        kept = _write_private(destination, _copy_file(db), db, check=False)
        for side in _SIDE_FILES:
            extra = db.with_name(db.name + side)
            if extra.exists():
                _write_side(kept.with_name(kept.name + side), _copy_file(extra), extra)
    except OSError as exc:
        raise BackupFailed(db, Refusal.KEEP_ASIDE_FAILED, detail=_why(exc)) from exc
    return kept


def _copy_file(path: Path) -> Callable[[int], None]:
    def write(out: int) -> None:
        with path.open("rb") as handle, os.fdopen(out, "wb", closefd=False) as sink:
            shutil.copyfileobj(handle, sink, _CHUNK)

    return write


def _write_side(path: Path, write: Callable[[int], None], like: Path) -> None:
    out = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        write(out)
    finally:
        os.close(out)
    copy_permissions(like, path)


def _replace_damaged(source: Path, db: Path, kept: Path | None) -> None:
    """For a damaged file: write a copy beside it, then swap it in atomically."""
    untouched = Outcome(kept_at=kept)
    mode = db.stat().st_mode & 0o777 if db.exists() else None
    partial = db.with_name(db.name + ".restoring")
    try:
        os.close(os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600))  # private
        shutil.copyfile(source, partial)
        partial.chmod(mode if mode is not None else 0o600)
        for side in _SIDE_FILES:  # stale journals of the damaged file must not apply
            db.with_name(db.name + side).unlink(missing_ok=True)
        os.replace(partial, db)
    except OSError as exc:
        raise DatabaseUnusable(
            db, Refusal.RESTORE_FAILED, detail=_why(exc), outcome=untouched
        ) from exc
    finally:
        partial.unlink(missing_ok=True)


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)
