"""The connection handed to migrations, made so they cannot break atomicity.

Python's ``executescript`` commits the open transaction first, and a migration
may call ``commit()``; either would leave a half-migrated file. While a
migration runs, :class:`EngineConnection` runs scripts statement by statement
inside the engine's transaction, refuses ``commit``/``rollback``, and an SQLite
authorizer denies transaction control, ATTACH and pragmas the engine owns,
whatever path the SQL takes. The authorizer also records which tables had rows
written, so the foreign-key check can look only there.

A migration is handed a :class:`MigrationConnection`, not the connection
itself: calling the base class on it (``sqlite3.Connection.set_authorizer(conn,
None)``, ``sqlite3.Connection.commit(conn)``) is a ``TypeError``, not a way
round the guard. :func:`run_migration` also turns ``sys.exit()`` and an
``upgrade`` that returns a coroutine or generator (none of it ran) into a
failed step, and checks after each run that the guard is still in place.
Python can't sandbox code that digs through private attributes; the tool only
runs migrations from its own folder or one the person names.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from core.errors import ForbiddenInMigration
from core.events import Event, EventHandler

_OWNED_PRAGMAS = frozenset(
    {"user_version", "foreign_keys", "journal_mode", "schema_version", "writable_schema"}
)
# Some errors (SQLITE_FULL, an interrupt) make SQLite roll back the whole
# transaction. A migration that catches one and goes on would then write
# outside any transaction, one autocommit at a time: deny all of it.
LOST_TRANSACTION = "a statement after SQLite had rolled the migration back"
_PROBE = "file:society-migrator-guard-probe?mode=memory"  # an ATTACH the guard must deny
_DENIED_ACTIONS = frozenset(
    {sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH}
)
_ROW_WRITES = {
    sqlite3.SQLITE_INSERT: "insert",
    sqlite3.SQLITE_UPDATE: "update",
    sqlite3.SQLITE_DELETE: "delete",
    sqlite3.SQLITE_DROP_TABLE: "drop",
}


@dataclass
class WriteLog:
    """Tables a migration wrote rows to, by kind of write (names lower-cased)."""

    inserted: set[str] = field(default_factory=set)
    removed_or_changed: set[str] = field(default_factory=set)  # update, delete, drop
    denied: list[str] = field(default_factory=list)
    # Links a helper (the table rebuild) found broken before it declared them.
    existing_violations: Counter[tuple[str, str]] = field(default_factory=Counter)

    def note(self, kind: str, table: str) -> None:
        name = table.lower()
        if name.startswith("sqlite_"):
            return
        if kind == "insert":
            self.inserted.add(name)
        else:
            self.removed_or_changed.add(name)

    @property
    def written(self) -> set[str]:
        return self.inserted | self.removed_or_changed


def split_statements(script: str) -> Iterator[str]:
    """Split an SQL script into complete statements (strings and triggers kept whole)."""
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            buffer = ""
            if statement.strip(";").strip():
                yield statement
    if buffer.strip(";").strip():
        yield buffer.rstrip(";")  # a last statement without ';' still runs


class EngineConnection(sqlite3.Connection):
    """An ``sqlite3.Connection`` with explicit transactions and a migration guard."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._guarding = False
        self._log: WriteLog | None = None
        self.on_step_event: EventHandler | None = None  # set by the engine while a step runs

    @contextmanager
    def guarded(self, log: WriteLog) -> Iterator[WriteLog]:
        """Run the body as a migration: record writes and deny what breaks atomicity."""

        def authorize(
            action: int, arg1: str | None, arg2: str | None, _db: str | None, _src: str | None
        ) -> int:
            if not self.in_transaction:  # SQLite rolled it all back (disk full, ...):
                log.denied.append(LOST_TRANSACTION)  # nothing more may autocommit
                return sqlite3.SQLITE_DENY
            if action == sqlite3.SQLITE_ATTACH and arg1 == _PROBE:
                return sqlite3.SQLITE_DENY  # the engine asking whether the guard is still on
            if action in _DENIED_ACTIONS:
                log.denied.append(_describe(action, arg1))
                return sqlite3.SQLITE_DENY
            owned = (arg1 or "").lower() in _OWNED_PRAGMAS
            if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and owned:
                log.denied.append(f"PRAGMA {arg1} = ...")
                return sqlite3.SQLITE_DENY
            kind = _ROW_WRITES.get(action)
            if kind is not None and arg1:
                log.note(kind, arg1)
            return sqlite3.SQLITE_OK

        self.set_authorizer(authorize)
        self._guarding, self._log = True, log
        try:
            yield log
        finally:
            self._guarding, self._log = False, None
            self.set_authorizer(None)

    def report(self, event: Event) -> None:
        """Progress from a helper (the table rebuild) to whoever follows the upgrade."""
        if self.on_step_event is not None:
            self.on_step_event(event)

    def note_existing_violations(self, child: str, parent: str, count: int) -> None:
        """Rows of ``child`` that pointed at no ``parent`` row before this step declared the link.

        The foreign-key check after the step then counts them as old, not new.
        """
        if self._log is not None and count:
            self._log.existing_violations[(child.lower(), parent.lower())] += count

    def _refuse(self, what: str) -> None:
        """Deny a call; noted in the log so that swallowing the error doesn't help."""
        if self._log is not None:
            self._log.denied.append(what)
        raise ForbiddenInMigration(what)

    def commit(self) -> None:
        if self._guarding:
            self._refuse("commit()")
        super().commit()

    def rollback(self) -> None:
        if self._guarding:
            self._refuse("rollback()")
        super().rollback()

    def close(self) -> None:
        if self._guarding:  # closing would roll back and leave the engine no connection
            self._refuse("close()")
        super().close()

    def set_authorizer(self, authorizer_callback: object) -> None:  # type: ignore[override]
        if self._guarding:  # the guard itself is the authorizer
            self._refuse("set_authorizer()")
        super().set_authorizer(authorizer_callback)  # type: ignore[arg-type]

    def set_progress_handler(self, progress_handler: object, n: int) -> None:  # type: ignore[override]
        if self._guarding:  # the engine's handler is how a running migration is cancelled
            self._refuse("set_progress_handler()")
        super().set_progress_handler(progress_handler, n)  # type: ignore[arg-type]

    def executescript(self, sql_script: str) -> sqlite3.Cursor:  # type: ignore[override]
        """Inside a migration, run each statement in the engine's transaction."""
        if not self._guarding:
            return super().executescript(sql_script)
        cursor = self.cursor()
        for statement in split_statements(sql_script):
            cursor.execute(statement)
        return cursor


def _describe(action: int, arg: str | None) -> str:
    if action == sqlite3.SQLITE_TRANSACTION:
        return f"{arg or 'transaction'} (transaction control)"
    return "ATTACH/DETACH"


class MigrationCursor:
    """A cursor of a :class:`MigrationConnection`: its ``connection`` is the guarded one."""

    def __init__(self, owner: MigrationConnection, cursor: sqlite3.Cursor) -> None:
        self._owner, self._cursor = owner, cursor

    @property
    def connection(self) -> MigrationConnection:
        return self._owner

    def execute(self, sql: str, parameters: object = ()) -> MigrationCursor:
        self._cursor.execute(sql, parameters)  # type: ignore[arg-type]
        return self

    def executemany(self, sql: str, seq_of_parameters: Iterable[object]) -> MigrationCursor:
        self._cursor.executemany(sql, seq_of_parameters)  # type: ignore[arg-type]
        return self

    def executescript(self, sql_script: str) -> MigrationCursor:
        self._cursor.executescript(sql_script)  # its COMMIT first is refused by the guard
        return self

    def fetchone(self) -> object:
        return self._cursor.fetchone()

    def fetchmany(self, size: int | None = None) -> list[object]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    def fetchall(self) -> list[object]:
        return self._cursor.fetchall()

    def close(self) -> None:
        self._cursor.close()

    def __iter__(self) -> Iterator[object]:
        return iter(self._cursor)

    def __getattr__(self, name: str) -> object:  # description, rowcount, lastrowid, ...
        return getattr(self._cursor, name)


class MigrationConnection:
    """What a migration is handed: the engine's connection, reachable only through its guard.

    It is not an ``sqlite3.Connection``, so the base class's methods can't be
    called on it to slip past :class:`EngineConnection`'s refusals.
    """

    _engine: EngineConnection

    def __init__(self, engine: EngineConnection) -> None:
        object.__setattr__(self, "_engine", engine)

    def execute(self, sql: str, parameters: object = ()) -> MigrationCursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[object]) -> MigrationCursor:
        return self.cursor().executemany(sql, seq_of_parameters)

    def executescript(self, sql_script: str) -> MigrationCursor:
        return MigrationCursor(self, self._engine.executescript(sql_script))

    def cursor(self) -> MigrationCursor:
        return MigrationCursor(self, self._engine.cursor())

    def commit(self) -> None:
        self._engine.commit()  # refused while the migration runs

    def rollback(self) -> None:
        self._engine.rollback()

    def close(self) -> None:
        self._engine.close()

    def set_authorizer(self, authorizer_callback: object) -> None:
        self._engine.set_authorizer(authorizer_callback)

    def set_progress_handler(self, progress_handler: object, n: int) -> None:
        self._engine.set_progress_handler(progress_handler, n)

    def __getattr__(self, name: str) -> object:  # everything else: as the connection has it
        return getattr(self._engine, name)

    def __setattr__(self, name: str, value: object) -> None:
        setattr(self._engine, name, value)  # isolation_level = None is refused there


def run_migration(conn: EngineConnection, upgrade: Callable[..., object]) -> None:
    """Call ``upgrade`` with the guarded connection; what can't have run fails the step.

    Call it inside :meth:`EngineConnection.guarded`.
    """
    try:
        result = upgrade(MigrationConnection(conn))
    except SystemExit as exc:
        raise ForbiddenInMigration(
            "it called sys.exit() to end the program, which a migration may not do"
        ) from exc
    if inspect.isawaitable(result) or inspect.isgenerator(result) or inspect.isasyncgen(result):
        close = getattr(result, "close", None)
        if callable(close):
            close()
        raise ForbiddenInMigration(
            "its upgrade() returned a coroutine or generator instead of running, so none of "
            "it ran; upgrade must be a plain function"
        )
    if conn.in_transaction and not _guard_holds(conn):
        raise ForbiddenInMigration("it removed the engine's guard, which only the engine may do")


def _guard_holds(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute(f"ATTACH DATABASE '{_PROBE}' AS guard_probe")
    except sqlite3.DatabaseError:
        return True
    conn.execute("DETACH DATABASE guard_probe")
    return False
