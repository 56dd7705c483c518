"""Safety copies: a consistent, verified backup before the first migration.

The copy uses SQLite's online backup API (``Connection.backup``), so an app
holding the file open, or a WAL file beside it, can't produce a torn copy.
It is written under a temporary name, checked (``integrity_check``, same
version, same row counts), given the original's permissions, and only then
given its final name by a hard link (or, where there are none, an exclusive
create then a rename): a file in ``backups/`` is always a good one. What a
killed backup leaves behind is cleared the next time, and only what this tool
itself named: ``<final name>.sdbm-<tag>-<pid>.partial``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from core.errors import BackupFailed, DatabaseCorrupt, Refusal
from core.events import BackupDone, BackupProgress, BackupStarted, EventHandler
from core.marker import process_alive
from core.schema import quote, user_tables
from core.version import read_version

PAGES_PER_STEP = 2048
SPACE_MARGIN = 1.1
MAX_STEM = 150  # room left for "_v12_replaced_<stamp>-3" and a partial's tag in 255 bytes
_STAMP = r"\d{8}-\d{6}(?:-\d+)?"
_KIND = r"(?:v\d+_(?:replaced_)?|replaced_)"  # a backup, or a file kept aside by a restore
_PARTIAL = re.compile(r"^(?P<final>.+)\.sdbm-[0-9a-f]{8}-(?P<pid>\d+)\.partial$")
_OLD_PARTIAL = re.compile(rf"^.+_{_KIND}{_STAMP}\.[^.]+\.(?P<pid>\d+)\.partial$")


def default_backup_dir(db_path: Path) -> Path:
    return db_path.resolve().parent / "backups"


def _stem_and_suffix(db_path: Path) -> tuple[str, str]:
    """The real file's name parts, a very long stem shortened (with a hash, still unique)."""
    real = db_path.resolve()
    suffix = real.suffix if 0 < len(real.suffix) <= 16 else ".db"
    stem = real.name[: -len(real.suffix)] if real.suffix else real.name
    if len(stem.encode()) > MAX_STEM:
        digest = hashlib.sha1(stem.encode()).hexdigest()[:10]
        stem = stem.encode()[: MAX_STEM - 12].decode(errors="ignore") + "~" + digest
    return stem, suffix


def backup_name(
    db_path: Path, version: int | None, when: datetime | None = None, *, replaced: bool = False
) -> str:
    """``<name>_v<version>_<YYYYmmdd-HHMMSS>.db``: what it is, at a glance.

    A file a restore kept aside is ``<name>_v<version>_replaced_<stamp>.db``,
    or ``<name>_replaced_<stamp>.db`` when it can't be read (damaged, foreign).
    """
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    stem, suffix = _stem_and_suffix(db_path)
    kind = "" if version is None else f"v{version}_"
    return f"{stem}_{kind}{'replaced_' if replaced else ''}{stamp}{suffix}"


def is_own_backup(db_path: Path, candidate: Path) -> bool:
    """Whether ``candidate`` has a name this tool gives backups of ``db_path``: exactly its own.

    ``society.db``'s are never ``society_old.db``'s, and brackets in a name are no pattern.
    """
    stem, suffix = _stem_and_suffix(db_path)
    own = rf"{re.escape(stem)}_{_KIND}{_STAMP}{re.escape(suffix)}"
    return re.fullmatch(own, candidate.name) is not None


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
    *,
    replaced: bool = False,
) -> Path:
    """Copy the open database to ``destination`` (a new file in ``backups/`` by default).

    ``replaced`` names the default file as kept aside by a restore.
    """
    emit: Callable[[object], None] = on_event or (lambda _e: None)  # type: ignore[assignment]
    own_snapshot = not conn.in_transaction
    if own_snapshot:  # version, pages and row counts from one read transaction
        conn.execute("BEGIN")
    try:
        version = read_version(conn)
        if destination is None:
            destination = default_backup_dir(db_path) / backup_name(
                db_path, version, replaced=replaced
            )
        folder = destination.parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupFailed(
                db_path, Refusal.BACKUP_FOLDER, where=folder, detail=_why(exc)
            ) from exc
        stem, n = destination.stem, 1
        while destination.exists():  # two backups in one second: don't overwrite
            destination = destination.with_name(f"{stem}-{n}{destination.suffix}")
            n += 1
        remove_stale_partials(folder)
        emit(BackupStarted(destination))
        began = time.perf_counter()
        partial: Path | None = None
        try:
            _check_space(conn, db_path, folder)
            partial = new_partial(destination)
            _copy(conn, partial, lambda done, total: emit(BackupProgress(done, total)))
            counts = row_counts(conn)
            if own_snapshot:
                conn.execute("ROLLBACK")  # let the app write again while the copy is checked
            copy_permissions(db_path, partial)
            verdict, got_version, got_counts = read_copy(partial)
            if verdict != "ok":  # the copy is page for page the original: it is damaged
                raise DatabaseCorrupt(db_path, Refusal.DAMAGED_COPY)
            if (got_version, got_counts) != (version, counts):
                raise BackupFailed(db_path, Refusal.COPY_DIFFERS)
            destination = claim(partial, destination)
        except (BackupFailed, DatabaseCorrupt):
            raise
        except (OSError, sqlite3.Error) as exc:
            raise BackupFailed(
                db_path, Refusal.BACKUP_WRITE, where=destination, detail=_why(exc)
            ) from exc
        finally:
            if partial is not None:
                partial.unlink(missing_ok=True)  # gone already when the copy was kept
    finally:
        if own_snapshot and conn.in_transaction:
            conn.execute("ROLLBACK")
    emit(BackupDone(destination, time.perf_counter() - began))
    return destination


def new_partial(destination: Path) -> Path:
    """A new, empty, private file beside ``destination`` to write its copy into.

    Private from the first byte (widened to the original's mode at most once
    checked), and named for this process *and* this call: two threads backing
    up in the same second never share one.
    """
    while True:
        tag = secrets.token_hex(4)
        partial = destination.with_name(f"{destination.name}.sdbm-{tag}-{os.getpid()}.partial")
        try:
            os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        return partial


def remove_stale_partials(folder: Path) -> None:
    """Delete half-made copies left by a killed backup: they hold personal data.

    Only files this tool named (``<name>.sdbm-<tag>-<pid>.partial``, or the
    older ``<backup name>.<pid>.partial``) and only regular files: anything
    else that ends in ``.partial`` is someone else's. A copy is stale once its
    process is gone (on Windows, where that can't be asked, once a day old).
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = _PARTIAL.match(entry.name) or _OLD_PARTIAL.match(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(match["pid"])
        if pid == os.getpid():
            continue
        try:
            old = time.time() - entry.stat(follow_symlinks=False).st_mtime > 86_400
        except OSError:
            continue
        if old if os.name == "nt" else not process_alive(pid):
            Path(entry.path).unlink(missing_ok=True)


def claim(partial: Path, destination: Path) -> Path:
    """Give the checked copy its name, never another's (two backups in one second).

    A hard link names it in one step, whole or not at all, and fails if the
    name is taken; a kill before or after it leaves at most the partial copy,
    which the next backup clears. FAT and exFAT USB sticks have no hard links:
    there the name is claimed with an exclusive create, then the copy moved onto it.
    """
    stem, n = destination.stem, 1
    while True:
        try:
            os.link(partial, destination)
        except FileExistsError:
            destination = destination.with_name(f"{stem}-{n}{destination.suffix}")
            n += 1
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
                raise
            return _claim_without_links(partial, destination)
        partial.unlink()
        return destination


def _claim_without_links(partial: Path, destination: Path) -> Path:
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
        raise BackupFailed(path, Refusal.BACKUP_DAMAGED, detail=verdict)
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


def copy_permissions(source: Path, copy: Path) -> None:
    """The copy holds phone numbers and password hashes: never more open than the original."""
    mode = stat.S_IMODE(source.stat().st_mode)
    copy.chmod(mode & 0o777)


def _check_space(conn: sqlite3.Connection, db_path: Path, folder: Path) -> None:
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    size = int(conn.execute("PRAGMA page_size").fetchone()[0]) * pages
    free = shutil.disk_usage(folder).free
    if free < size * SPACE_MARGIN:
        raise BackupFailed(
            db_path,
            Refusal.NO_SPACE,
            where=folder,
            space_mb=(size // 1_048_576 + 1, free // 1_048_576),
        )


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)
