"""Files numbered by another tool: find their true place among our versions by schema.

A ``user_version`` above 0 with no history of ours was set by something else:
the Society app's own unpublished manager (which counted 1..9 in its own
numbering) or a hand-run ``PRAGMA``. That number is not ours, so it is never
read as "newer than this tool" and never lets one of our migrations be
skipped. The file's place is the highest version whose expected schema it
fully contains (what the migrations own; extras allowed). Adopting writes that
version, history rows for the migrations found already done, and one row
saying what the file carried, all in the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.connection import begin_immediate
from core.discovery import Catalog
from core.events import EventHandler, Notice
from core.expected import ENGINE_TABLES, expected_schemas
from core.schema import table_exists
from core.schemadiff import compare
from core.schemashape import Schema, read_schema
from core.version import (
    ADOPTION_TABLE,
    TOOL_VERSION,
    read_history,
    read_version,
    record,
    write_version,
)
from core.wording import adopted

_CREATE = f"""
CREATE TABLE IF NOT EXISTS {ADOPTION_TABLE} (
    adopted_version INTEGER NOT NULL,
    carried_version INTEGER NOT NULL,
    adopted_at TEXT NOT NULL,
    tool_version TEXT
)"""


@dataclass(frozen=True)
class Adoption:
    """A file taken over from another tool's numbering."""

    adopted_version: int  # our version its schema matched
    carried_version: int  # the user_version it came with
    adopted_at: str | None = None  # ISO 8601, UTC; None until recorded


def numbered_elsewhere(version: int, history: Mapping[int, object]) -> bool:
    """A positive number and none of our history: someone else's numbering.

    Negative numbers are not adopted (refused as damaged elsewhere).
    """
    return version > 0 and not history


def place_by_schema(found: Schema, catalog: Catalog) -> int:
    """The highest version whose expected schema ``found`` fully contains (0 if none)."""
    schemas = expected_schemas(catalog)
    for version in range(catalog.latest, 0, -1):
        if compare(schemas[version], found, ignore=ENGINE_TABLES).matches:
            return version
    return 0


def record_adoption(conn: sqlite3.Connection, catalog: Catalog, adoption: Adoption) -> None:
    """Make the file ours at ``adopted_version``; runs inside the caller's transaction.

    The migrations found done get history rows without a duration (they did
    not run), so the file carries our history from now on.
    """
    write_version(conn, adoption.adopted_version)
    conn.execute(_CREATE)
    conn.execute(
        f"INSERT INTO {ADOPTION_TABLE} (adopted_version, carried_version, adopted_at, "
        "tool_version) VALUES (?, ?, ?, ?)",
        (
            adoption.adopted_version,
            adoption.carried_version,
            datetime.now(UTC).isoformat(timespec="seconds"),
            TOOL_VERSION,
        ),
    )
    for migration in catalog.between(0, adoption.adopted_version):
        record(
            conn,
            version=migration.version,
            name=migration.name,
            description=migration.description,
            checksum=migration.checksum,
            duration_ms=None,
        )


def take_over(
    conn: sqlite3.Connection,
    path: Path,
    catalog: Catalog,
    lock_timeout: float,
    on_event: EventHandler,
) -> Adoption | None:
    """Under the write lock, place the file by its schema now and record it as ours.

    None when, by the time the lock is held, the file already carries our
    history (another upgrade adopted it meanwhile).
    """

    def say_waiting() -> None:
        on_event(Notice("Another program is writing to this database; waiting for it to finish."))

    begin_immediate(conn, path, lock_timeout, say_waiting)
    try:
        carried = read_version(conn)
        if not numbered_elsewhere(carried, read_history(conn)):
            conn.execute("ROLLBACK")
            return None
        adoption = Adoption(place_by_schema(read_schema(conn), catalog), carried)
        record_adoption(conn, catalog, adoption)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    on_event(Notice(adopted(adoption.carried_version, adoption.adopted_version)))
    return adoption


def read_adoption(conn: sqlite3.Connection) -> Adoption | None:
    """The latest adoption recorded in the file, if it was ever adopted."""
    if not table_exists(conn, ADOPTION_TABLE):
        return None
    row = conn.execute(
        f"SELECT adopted_version, carried_version, adopted_at FROM {ADOPTION_TABLE} "
        "ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    return None if row is None else Adoption(int(row[0]), int(row[1]), row[2])
