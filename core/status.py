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
from pathlib import Path
from typing import Any, ClassVar

from core import marker, wording
from core.adopt import numbered_elsewhere
from core.conformance import SchemaVerdict, judge
from core.connection import is_locked_error, open_readonly, recover_hot_journal
from core.discovery import Catalog
from core.errors import (
    NO_FILE,
    BookkeepingNotOurs,
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseTooNew,
    DatabaseUnusable,
    NotADatabase,
    NotASocietyDatabase,
    Refusal,
)
from core.marker import InterruptedUpgrade
from core.schema import column_exists, user_tables
from core.state import UPGRADABLE, Action, State
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

__all__ = ["UPGRADABLE", "Action", "DatabaseStatus", "MigrationRow", "State", "inspect_database"]


@dataclass(frozen=True)
class Distrust:
    """What in a file's version or history this tool never writes (so it won't touch it)."""

    NEGATIVE_VERSION: ClassVar[str] = "negative version"
    FOREIGN_HISTORY: ClassVar[str] = "foreign history"  # ``name`` is its kind: table, view
    ODD_VERSIONS: ClassVar[str] = "odd versions"  # ``number`` rows
    TRIGGER: ClassVar[str] = "trigger"  # ``name`` on the tool's ``table``

    kind: str
    number: int = 0
    name: str = ""
    table: str = ""


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
    """What a look at the file found: facts only; :mod:`core.wording` says them."""

    path: Path
    state: State
    current_version: int | None
    latest_version: int
    migrations: tuple[MigrationRow, ...]
    writable: bool = True
    interrupted: InterruptedUpgrade | None = None  # an upgrade cut short earlier
    upgrading_elsewhere: bool = False  # another process is upgrading it right now
    is_folder: bool = False  # MISSING: the path is a folder
    read_error: str | None = None  # UNREADABLE: the system's words
    # UNREADABLE: a journal left by a killed writer waits for someone who may write here;
    # the file is not damaged, SQLite rolls the journal back on that person's next open.
    journal_needs_writer: bool = False
    distrust: Distrust | None = None  # NOT_OURS: what in its bookkeeping isn't this tool's
    # The file against what its version owns (None: empty, unusable, or can't be known).
    schema: SchemaVerdict | None = None

    @property
    def pending(self) -> tuple[MigrationRow, ...]:
        return tuple(m for m in self.migrations if m.status == "pending")

    @property
    def changed(self) -> tuple[MigrationRow, ...]:
        return tuple(m for m in self.migrations if m.changed_since_applied)

    @property
    def summary(self) -> str:
        """The state in words, with the crash note when there is one."""
        return wording.status_summary(self)

    @property
    def state_text(self) -> str:
        """The state in words, without the crash note (a banner says that)."""
        return wording.state_summary(self)

    def can(self, action: Action) -> bool:
        """Whether ``action`` is worth offering for this file as it is now.

        The state's table (:meth:`State.allows`) and this file's own facts:
        an upgrade needs pending migrations and write access, a rehearsal
        pending migrations, putting a backup in its place write access.
        """
        if not self.state.allows(action):
            return False
        # A file numbered elsewhere is made ours even with nothing pending.
        work = bool(self.pending) or self.state is State.NUMBERED_ELSEWHERE
        if action is Action.UPGRADE:
            return work and self.writable
        if action is Action.REHEARSE:
            return work
        return True

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path)
        data["state"] = self.state.value
        data["summary"] = self.summary
        return data


def inspect_database(path: Path | str, catalog: Catalog) -> DatabaseStatus:
    """Classify ``path`` and list its migrations; never writes, never raises for bad files."""
    file = Path(path)
    latest = catalog.latest

    def unusable(state: State, version: int | None = None, **facts: Any) -> DatabaseStatus:
        return DatabaseStatus(file, state, version, latest, (), writable=False, **facts)

    if not file.exists():
        return unusable(State.MISSING)
    if file.is_dir():
        return unusable(State.MISSING, is_folder=True)
    try:
        with file.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return unusable(State.UNREADABLE, read_error=exc.strerror)
    writable = is_writable(file)
    if not header:
        return _rows(file, State.NEW, 0, catalog, {}, writable)
    if header != SQLITE_MAGIC:
        return unusable(State.NOT_SQLITE)
    try:
        version, tables, history, society, distrust, verdict = _read_schema(file, catalog, writable)
    except _JournalNeedsWriter:
        return unusable(State.UNREADABLE, journal_needs_writer=True)
    except sqlite3.DatabaseError as exc:
        return unusable(State.LOCKED if is_locked_error(exc) else State.CORRUPT)
    if not tables and version == 0:
        return _rows(file, State.NEW, 0, catalog, {}, writable)
    if not society:
        return unusable(State.NOT_SOCIETY, version)
    if distrust is not None:
        return unusable(State.NOT_OURS, version, distrust=distrust)
    if version > latest and not numbered_elsewhere(version, history):
        return unusable(State.TOO_NEW, version)
    if verdict is not None and verdict.numbered_elsewhere:
        state, version = State.NUMBERED_ELSEWHERE, verdict.version  # its true place, ours
    elif version == 0:
        state = State.UNVERSIONED
    elif verdict is not None and not verdict.matches:
        state = State.DIFFERS  # never "up to date", whatever its number says
    elif version < latest:
        state = State.PENDING
    else:
        state = State.UP_TO_DATE
    return _rows(file, state, version, catalog, history, writable, verdict)


Found = tuple[int, set[str], dict, bool, Distrust | None, SchemaVerdict | None]


class _JournalNeedsWriter(Exception):
    """A hot journal, and this user may not write: only someone who may can roll it back."""


def _read_schema(file: Path, catalog: Catalog, writable: bool) -> Found:
    """Version, table names and history, read without writing.

    One exception: a hot journal left by a process killed while committing
    can't be rolled back read-only. SQLite rolls it back on the next
    read-write open, as any program opening the file would; do that, then look.
    Someone who may not write there can't: the file is not damaged for that.
    """
    try:
        return _read_schema_readonly(file, catalog)
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) != SQLITE_READONLY_ROLLBACK:
            raise
    if not writable:
        raise _JournalNeedsWriter
    try:
        recover_hot_journal(file)
    except sqlite3.OperationalError as exc:
        if is_locked_error(exc):
            raise
        raise _JournalNeedsWriter from exc
    return _read_schema_readonly(file, catalog)


def _read_schema_readonly(file: Path, catalog: Catalog) -> Found:
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
        trusted = society and distrust is None
        verdict = judge(conn, catalog, version, history) if trusted else None
        return version, tables, history, society, distrust, verdict
    finally:
        conn.close()


def bookkeeping_problem(conn: sqlite3.Connection, version: int) -> Distrust | None:
    """Why the file's version or history can't be trusted, or None when they can.

    This tool only ever writes a version from 0 up, a ``migration_history``
    table of its own shape with whole-number versions, and no triggers: the
    engine's own writes must never run code the file brings.
    """
    if version < 0:
        return Distrust(Distrust.NEGATIVE_VERSION, number=version)
    kind = conn.execute(
        "SELECT type FROM sqlite_schema WHERE lower(name) = ? AND type IN ('table', 'view')",
        (HISTORY_TABLE,),
    ).fetchone()
    if kind is not None:
        names = {str(r[1]).lower() for r in conn.execute(f"PRAGMA table_info({HISTORY_TABLE})")}
        if kind[0] != "table" or not names >= HISTORY_COLUMNS:
            return Distrust(Distrust.FOREIGN_HISTORY, name=kind[0], table=HISTORY_TABLE)
        odd = conn.execute(
            f"SELECT count(*) FROM {HISTORY_TABLE} WHERE typeof(version) != 'integer'"
        ).fetchone()[0]
        if odd:
            return Distrust(Distrust.ODD_VERSIONS, number=odd, table=HISTORY_TABLE)
    triggers = triggers_on_engine_tables(conn)
    if triggers:
        name, table = triggers[0]
        return Distrust(Distrust.TRIGGER, name=name, table=table)
    return None


def _rows(
    file: Path,
    state: State,
    version: int,
    catalog: Catalog,
    history: dict,
    writable: bool,
    verdict: SchemaVerdict | None = None,
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
    note = marker.read(file)
    elsewhere = note is not None and marker.running_elsewhere(note)
    if elsewhere or (note is not None and note.version <= version):
        note = None  # running now, or that migration committed: the kill undid nothing
    return DatabaseStatus(
        file, state, version, catalog.latest, tuple(rows), writable, note, elsewhere, schema=verdict
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
    error = _ERRORS[status.state]
    if nothing_there:
        raise error(status.path, Refusal.STATE, found=status, outcome=NO_FILE)
    raise error(status.path, Refusal.STATE, found=status)
