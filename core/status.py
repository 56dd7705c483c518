"""Where a database file stands: a read-only look that never writes.

:func:`inspect_database` classifies the file (missing, not SQLite, another
program's database, unversioned, pending, up to date, too new, locked ...) and
lists every migration as applied or pending, with its history where known.
It reads only the header, the schema and the history table: no row scans,
so it is instant on a file of any size.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from core import marker
from core.connection import LOCK_HINT, is_locked_error, open_readonly, recover_hot_journal
from core.discovery import Catalog
from core.errors import (
    UNCHANGED,
    BookkeepingNotOurs,
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseTooNew,
    DatabaseUnusable,
    NotADatabase,
    NotASocietyDatabase,
)
from core.marker import InterruptedUpgrade
from core.schema import column_exists, user_tables
from core.version import (
    HISTORY_COLUMNS,
    HISTORY_TABLE,
    read_history,
    read_version,
    triggers_on_engine_tables,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_READONLY_ROLLBACK = 776  # extended code: a hot journal needs a writer
# What makes a file a society database: the app's two oldest tables, with the
# key column each has had since the first release. A table merely *named*
# users or sessions is common to many programs and proves nothing.
SOCIETY_MARKERS = {"residents": "flat_no", "ledger": "transaction_id"}


class State(StrEnum):
    MISSING = "missing"
    UNREADABLE = "unreadable"
    NOT_SQLITE = "not_sqlite"
    CORRUPT = "corrupt"
    NOT_SOCIETY = "not_society"
    LOCKED = "locked"
    NEW = "new"
    UNVERSIONED = "unversioned"
    PENDING = "pending"
    UP_TO_DATE = "up_to_date"
    TOO_NEW = "too_new"
    NOT_OURS = "bookkeeping_not_ours"  # version or history not as this tool writes them


UPGRADABLE = frozenset({State.NEW, State.UNVERSIONED, State.PENDING, State.UP_TO_DATE})


@dataclass(frozen=True)
class MigrationRow:
    version: int
    name: str
    description: str
    status: str  # "applied" or "pending"
    applied_at: str | None = None
    duration_ms: float | None = None
    changed_since_applied: bool = False


@dataclass(frozen=True)
class DatabaseStatus:
    path: Path
    state: State
    current_version: int | None
    latest_version: int
    migrations: tuple[MigrationRow, ...]
    summary: str
    writable: bool = True
    interrupted: InterruptedUpgrade | None = None  # an upgrade cut short earlier

    @property
    def pending(self) -> tuple[MigrationRow, ...]:
        return tuple(m for m in self.migrations if m.status == "pending")

    @property
    def changed(self) -> tuple[MigrationRow, ...]:
        return tuple(m for m in self.migrations if m.changed_since_applied)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path)
        data["state"] = self.state.value
        return data


def inspect_database(path: Path | str, catalog: Catalog) -> DatabaseStatus:
    """Classify ``path`` and list its migrations; never writes, never raises for bad files."""
    file = Path(path)
    latest = catalog.latest

    def unusable(state: State, summary: str, version: int | None = None) -> DatabaseStatus:
        return DatabaseStatus(file, state, version, latest, (), summary, writable=False)

    if not file.exists():
        return unusable(State.MISSING, f"There is no file at {file}.")
    if file.is_dir():
        return unusable(State.MISSING, f"{file} is a folder, not a database file.")
    try:
        with file.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return unusable(State.UNREADABLE, f"The file can't be read: {exc.strerror}.")
    writable = is_writable(file)
    if not header:
        return _rows(file, State.NEW, 0, catalog, {}, writable)
    if header != SQLITE_MAGIC:
        return unusable(State.NOT_SQLITE, "This file is not a database (it is not an SQLite file).")
    try:
        version, tables, history, society, distrust = _read_schema(file)
    except sqlite3.DatabaseError as exc:
        if is_locked_error(exc):
            return unusable(
                State.LOCKED, f"Another program is writing to this database. {LOCK_HINT}."
            )
        return unusable(
            State.CORRUPT,
            "This SQLite file is damaged and can't be read. Restore it from a backup.",
        )
    if not tables and version == 0:
        return _rows(file, State.NEW, 0, catalog, {}, writable)
    if not society:
        return unusable(
            State.NOT_SOCIETY,
            "This is a database of some other program, not a Society Management database.",
            version,
        )
    if distrust is not None:
        return unusable(
            State.NOT_OURS,
            f"{distrust} Nothing will be done to this file; restore it from a backup, "
            "or ask whoever changed it.",
            version,
        )
    if version > latest:
        return unusable(
            State.TOO_NEW,
            f"This database is at version {version}, made by a newer version of the tool "
            f"(this one knows up to {latest}). Nothing can be done here.",
            version,
        )
    if version == 0:
        state = State.UNVERSIONED
    elif version < latest:
        state = State.PENDING
    else:
        state = State.UP_TO_DATE
    return _rows(file, state, version, catalog, history, writable)


def _read_schema(file: Path) -> tuple[int, set[str], dict, bool, str | None]:
    """Version, table names and history, read without writing.

    One exception: a hot journal left by a process killed while committing
    can't be rolled back read-only. SQLite rolls it back on the next
    read-write open, as any program opening the file would; do that, then look.
    """
    try:
        return _read_schema_readonly(file)
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) != SQLITE_READONLY_ROLLBACK:
            raise
    recover_hot_journal(file)
    return _read_schema_readonly(file)


def _read_schema_readonly(file: Path) -> tuple[int, set[str], dict, bool, str | None]:
    conn = open_readonly(file)
    try:
        version = read_version(conn)
        tables = {t.lower() for t in user_tables(conn)}
        society = any(
            column_exists(conn, table, key)
            for table, key in SOCIETY_MARKERS.items()
            if table in tables
        )
        distrust = bookkeeping_problem(conn, version)
        history = read_history(conn) if HISTORY_TABLE in tables and distrust is None else {}
        return version, tables, history, society, distrust
    finally:
        conn.close()


def bookkeeping_problem(conn: sqlite3.Connection, version: int) -> str | None:
    """Why the file's version or history can't be trusted, or None when they can.

    This tool only ever writes a version from 0 up, a ``migration_history``
    table of its own shape with whole-number versions, and no triggers: the
    engine's own writes must never run code the file brings.
    """
    if version < 0:
        return (
            f"This database's version number is {version}. A version is never negative: "
            "it was set by hand or by another program, so which migrations it has can't "
            "be known from it."
        )
    kind = conn.execute(
        "SELECT type FROM sqlite_schema WHERE lower(name) = ? AND type IN ('table', 'view')",
        (HISTORY_TABLE,),
    ).fetchone()
    if kind is not None:
        names = {str(r[1]).lower() for r in conn.execute(f"PRAGMA table_info({HISTORY_TABLE})")}
        if kind[0] != "table" or not names >= HISTORY_COLUMNS:
            return (
                f"This database has a {kind[0]} named {HISTORY_TABLE} that this tool didn't "
                "make (it is not the tool's history table), so its history can't be read."
            )
        odd = conn.execute(
            f"SELECT count(*) FROM {HISTORY_TABLE} WHERE typeof(version) != 'integer'"
        ).fetchone()[0]
        if odd:
            return (
                f"This database's {HISTORY_TABLE} table has {odd} row{'s' if odd != 1 else ''} "
                "whose version is empty or not a whole number; this tool never writes such "
                "a row, so its history can't be trusted."
            )
    triggers = triggers_on_engine_tables(conn)
    if triggers:
        name, table = triggers[0]
        return (
            f"This database has a trigger ({name}) on the tool's own {table} table. It "
            "would run its own code whenever the tool records a migration, so the tool "
            "won't write to this file."
        )
    return None


def _rows(
    file: Path,
    state: State,
    version: int,
    catalog: Catalog,
    history: dict,
    writable: bool,
) -> DatabaseStatus:
    rows = []
    for m in catalog.migrations:
        applied = m.version <= version
        h = history.get(m.version) if applied else None
        rows.append(
            MigrationRow(
                version=m.version,
                name=m.name,
                description=m.description,
                status="applied" if applied else "pending",
                applied_at=h.applied_at if h else None,
                duration_ms=h.duration_ms if h else None,
                changed_since_applied=bool(h and h.checksum and h.checksum != m.checksum),
            )
        )
    pending = catalog.latest - version
    summary = {
        State.NEW: f"An empty database: upgrading sets it up as a new society database "
        f"(version {catalog.latest}).",
        State.UNVERSIONED: f"An unversioned database from an older install: {pending} "
        f"migration{'s' if pending != 1 else ''} pending.",
        State.PENDING: f"At version {version}: {pending} migration{'s' if pending != 1 else ''} "
        "pending.",
        State.UP_TO_DATE: f"Up to date at version {version}.",
    }[state]
    if not writable:
        summary += " The file is read-only, so it can't be upgraded where it is."
    note = marker.read(file)
    if note is not None and marker.running_elsewhere(note):
        summary += " Another program is upgrading it right now."
        note = None
    elif note is not None and note.version <= version:
        note = None  # that migration committed; the kill came after it and undid nothing
    elif note is not None:
        summary = f"{summary} {note.text}"
    return DatabaseStatus(
        file, state, version, catalog.latest, tuple(rows), summary, writable, note
    )


def is_writable(file: Path) -> bool:
    """Both the file (if there is one) and its folder (for SQLite's journal) must be."""
    folder = file.resolve().parent
    return (not file.exists() or os.access(file, os.W_OK)) and os.access(folder, os.W_OK)


_ERRORS: dict[State, type[DatabaseUnusable]] = {
    State.MISSING: DatabaseMissing,
    State.UNREADABLE: DatabaseMissing,
    State.NOT_SQLITE: NotADatabase,
    State.CORRUPT: DatabaseCorrupt,
    State.NOT_SOCIETY: NotASocietyDatabase,
    State.LOCKED: DatabaseLocked,
    State.NOT_OURS: BookkeepingNotOurs,
}


def require_upgradable(status: DatabaseStatus) -> None:
    """Raise the matching :class:`DatabaseUnusable` unless the file can be upgraded."""
    if status.state in UPGRADABLE:
        return
    if status.state is State.TOO_NEW:
        raise DatabaseTooNew(status.path, status.current_version or 0, status.latest_version)
    nothing_there = status.state is State.MISSING  # no file: "not changed" would puzzle
    message = status.summary if nothing_there else f"{status.summary} {UNCHANGED}"
    raise _ERRORS[status.state](status.path, message)
