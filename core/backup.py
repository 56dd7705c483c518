"""Safety copies: a consistent, verified backup before the first migration.

The copy uses SQLite's online backup API (``Connection.backup``), so an app
holding the file open, or a WAL file beside it, can't produce a torn copy.
It is written under a temporary name, checked (``integrity_check``, same
version, same row counts), given the original's permissions, and only then
renamed to its final name: a file in ``backups/`` is always a good one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from core.errors import UNCHANGED, BackupFailed, DatabaseCorrupt
from core.events import BackupDone, BackupProgress, BackupStarted, EventHandler
from core.marker import process_alive
from core.schema import quote, user_tables
from core.version import read_version

PAGES_PER_STEP = 2048
SPACE_MARGIN = 1.1


def default_backup_dir(db_path: Path) -> Path:
    return db_path.resolve().parent / "backups"


def backup_name(db_path: Path, version: int, when: datetime | None = None) -> str:
    """``<name>_v<version>_<YYYYmmdd-HHMMSS>.db``: what it is, at a glance."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{db_path.stem}_v{version}_{stamp}{db_path.suffix or '.db'}"


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        t: int(conn.execute(f"SELECT count(*) FROM {quote(t)}").fetchone()[0])
        for t in user_tables(conn)
    }


def make_backup(
    conn: sqlite3.Connection,
    db_path: Path,
    destination: Path | None = None,
    on_event: EventHandler | None = None,
) -> Path:
    """Copy the open database to ``destination`` (a new file in ``backups/`` by default)."""
    emit: Callable[[object], None] = on_event or (lambda _e: None)  # type: ignore[assignment]
    own_snapshot = not conn.in_transaction
    if own_snapshot:  # version, pages and row counts from one read transaction
        conn.execute("BEGIN")
    try:
        version = read_version(conn)
        if destination is None:
            destination = default_backup_dir(db_path) / backup_name(db_path, version)
        folder = destination.parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise _failed(db_path, f"the folder {folder} can't be created ({_why(exc)})") from exc
        n = 1
        while destination.exists():  # two backups in one second: don't overwrite
            destination = destination.with_name(f"{destination.stem}-{n}{destination.suffix}")
            n += 1
        remove_stale_partials(folder)
        partial = destination.with_name(f"{destination.name}.{os.getpid()}.partial")
        emit(BackupStarted(destination))
        began = time.perf_counter()
        try:
            _check_space(conn, db_path, folder)
            # Private from the first byte; widened to the original's mode below at most.
            os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            _copy(conn, partial, lambda done, total: emit(BackupProgress(done, total)))
            counts = row_counts(conn)
            if own_snapshot:
                conn.execute("ROLLBACK")  # let the app write again while the copy is checked
            _copy_permissions(db_path, partial)
            verdict, got_version, got_counts = read_copy(partial)
            if verdict != "ok":  # the copy is page for page the original: it is damaged
                raise DatabaseCorrupt(
                    db_path,
                    "This database is damaged (SQLite's consistency check failed on a fresh "
                    f"copy of it), so it will not be upgraded. Restore it from a backup. "
                    f"{UNCHANGED}",
                )
            if (got_version, got_counts) != (version, counts):
                raise _failed(db_path, "the copy does not hold the same rows as the database")
            destination = _claim(partial, destination)
        except (BackupFailed, DatabaseCorrupt):
            raise
        except (OSError, sqlite3.Error) as exc:
            raise _failed(db_path, f"writing {destination} failed ({_why(exc)})") from exc
        finally:
            partial.unlink(missing_ok=True)  # gone already when the copy was kept
    finally:
        if own_snapshot and conn.in_transaction:
            conn.execute("ROLLBACK")
    emit(BackupDone(destination, time.perf_counter() - began))
    return destination


def remove_stale_partials(folder: Path) -> None:
    """Delete half-made copies left by a killed backup: they hold personal data.

    A partial copy is named ``<name>.<pid>.partial``; it is stale once that
    process is gone (on Windows, where that can't be asked, once a day old).
    """
    for path in folder.glob("*.partial"):
        pid = path.suffixes[-2].lstrip(".") if len(path.suffixes) >= 2 else ""
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        gone = (
            time.time() - path.stat().st_mtime > 86_400
            if os.name == "nt"
            else not process_alive(int(pid))
        )
        if gone:
            path.unlink(missing_ok=True)


def _claim(partial: Path, destination: Path) -> Path:
    """Give the checked copy its name, never another's (two upgrades in one second).

    The name is claimed with an exclusive create, then the copy is moved onto
    it: this works on FAT and exFAT USB sticks, which have no hard links.
    """
    stem, n = destination.stem, 1
    while True:
        try:
            os.close(os.open(destination, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            destination = destination.with_name(f"{stem}-{n}{destination.suffix}")
            n += 1
            continue
        os.replace(partial, destination)
        return destination


def read_copy(path: Path) -> tuple[str, int, dict[str, int]]:
    """A copy's ``integrity_check`` verdict, version and row counts."""
    copy = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        return verdict, read_version(copy), row_counts(copy) if verdict == "ok" else {}
    finally:
        copy.close()


def verify_backup(path: Path) -> int:
    """Raise :class:`BackupFailed` unless ``path`` is an intact database; its version."""
    try:
        verdict, version, _counts = read_copy(path)
    except sqlite3.DatabaseError as exc:
        verdict, version = str(exc), 0
    if verdict != "ok":
        raise BackupFailed(path, f"The backup {path.name} is damaged ({verdict}). {UNCHANGED}")
    return version


def _copy(conn: sqlite3.Connection, partial: Path, progress: Callable[[int, int], None]) -> None:
    target = sqlite3.connect(partial)
    try:
        conn.backup(
            target,
            pages=PAGES_PER_STEP,
            progress=lambda _status, remaining, total: progress(total - remaining, total),
        )
        # A backup keeps the source's journal mode; WAL copies must be self-contained.
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()


def _copy_permissions(source: Path, copy: Path) -> None:
    """The copy holds phone numbers and password hashes: never more open than the original."""
    mode = stat.S_IMODE(source.stat().st_mode)
    copy.chmod(mode & 0o777)


def _check_space(conn: sqlite3.Connection, db_path: Path, folder: Path) -> None:
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    size = int(conn.execute("PRAGMA page_size").fetchone()[0]) * pages
    free = shutil.disk_usage(folder).free
    if free < size * SPACE_MARGIN:
        raise _failed(
            db_path,
            f"there is not enough free space in {folder} for the backup "
            f"({size // 1_048_576 + 1} MB needed, {free // 1_048_576} MB free)",
        )


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def _failed(db_path: Path, reason: str) -> BackupFailed:
    return BackupFailed(
        db_path,
        f"The safety copy could not be made: {reason}. Nothing was migrated. {UNCHANGED}",
    )
