"""Version bookkeeping: ``PRAGMA user_version`` and the migration history table.

Both are written inside the migration's own transaction, so a migration, its
version number and its history row commit or roll back together.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata

from core.schema import table_exists

HISTORY_TABLE = "migration_history"
ADOPTION_TABLE = "migration_adoption"  # files taken over from another numbering


def _tool_version() -> str:
    """The installed package's version (pyproject.toml), for the history table."""
    try:
        return metadata.version("society-db-migrator")
    except metadata.PackageNotFoundError:  # run from a source tree never installed
        return "unknown"


TOOL_VERSION = _tool_version()

_CREATE_HISTORY = f"""
CREATE TABLE IF NOT EXISTS {HISTORY_TABLE} (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    checksum TEXT,
    applied_at TEXT,
    duration_ms REAL,
    tool_version TEXT
)"""


HISTORY_COLUMNS = frozenset(
    {"version", "name", "description", "checksum", "applied_at", "duration_ms", "tool_version"}
)
ENGINE_OWNED = (HISTORY_TABLE, ADOPTION_TABLE)


class ForeignTrigger(Exception):
    """A trigger in the file on one of the tool's own tables: it would run on the engine's write."""

    def __str__(self) -> str:
        return (
            f"the file has a trigger ({self.args[0]}) on the tool's own {self.args[1]} table, "
            "which would run its own code on the engine's bookkeeping; nothing was written"
        )


def triggers_on_engine_tables(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(trigger, table) for every trigger on a table (or view) the engine writes."""
    marks = ", ".join("?" * len(ENGINE_OWNED))
    return [
        (str(name), str(table))
        for name, table in conn.execute(
            f"SELECT name, tbl_name FROM sqlite_schema WHERE type = 'trigger' "
            f"AND lower(tbl_name) IN ({marks}) ORDER BY name",
            ENGINE_OWNED,
        )
    ]


def refuse_foreign_triggers(conn: sqlite3.Connection) -> None:
    """Raise :class:`ForeignTrigger` before the engine writes a table a trigger watches."""
    found = triggers_on_engine_tables(conn)
    if found:
        raise ForeignTrigger(*found[0])


def read_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def write_version(conn: sqlite3.Connection, version: int) -> None:
    # PRAGMA takes no parameters; int() makes the literal safe.
    conn.execute(f"PRAGMA user_version = {int(version)}")


@dataclass(frozen=True)
class HistoryRow:
    version: int
    name: str
    checksum: str | None
    applied_at: str | None  # ISO 8601, UTC
    duration_ms: float | None
    tool_version: str | None


def record(
    conn: sqlite3.Connection,
    *,
    version: int,
    name: str,
    description: str,
    checksum: str,
    duration_ms: float | None,
) -> None:
    """Write one history row (replacing any row a restored file carried).

    ``duration_ms`` is None for a migration that didn't run because its
    schema was found already there (a file adopted from another tool).
    """
    refuse_foreign_triggers(conn)  # inside the step: one made by a migration counts too
    conn.execute(_CREATE_HISTORY)
    conn.execute(
        f"INSERT OR REPLACE INTO {HISTORY_TABLE} "
        "(version, name, description, checksum, applied_at, duration_ms, tool_version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            version,
            name,
            description,
            checksum,
            datetime.now(UTC).isoformat(timespec="seconds"),
            None if duration_ms is None else round(duration_ms, 1),
            TOOL_VERSION,
        ),
    )


def read_history(conn: sqlite3.Connection) -> dict[int, HistoryRow]:
    """History rows by version; empty for files upgraded before history existed."""
    if not table_exists(conn, HISTORY_TABLE):
        return {}
    rows = conn.execute(
        f"SELECT version, name, checksum, applied_at, duration_ms, tool_version "
        f"FROM {HISTORY_TABLE}"
    ).fetchall()
    return {int(r[0]): HistoryRow(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows}
