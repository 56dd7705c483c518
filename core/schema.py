"""Small helpers so a migration states its intent, not its bookkeeping.

Field files drifted (columns added by hand, tables already there), so most
steps are "make sure this exists". Identifiers are always quoted; nothing is
built from file content without :func:`quote`.
"""

from __future__ import annotations

import sqlite3


def quote(identifier: str) -> str:
    """Quote an SQL identifier (table, column or index name)."""
    return '"' + identifier.replace('"', '""') + '"'


def table_exists(conn: sqlite3.Connection, table: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE",
        (table,),
    ).fetchone()
    return row is not None


def index_exists(conn: sqlite3.Connection, index: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ? COLLATE NOCASE",
        (index,),
    ).fetchone()
    return row is not None


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """Column names of ``table`` in order (empty if there is no such table)."""
    return [row[1] for row in conn.execute(f"PRAGMA table_info({quote(table)})")]


def column_exists(conn: sqlite3.Connection, table: str, column: str) -> bool:
    return column.lower() in (name.lower() for name in columns(conn, table))


def add_column_if_missing(
    conn: sqlite3.Connection, table: str, column: str, definition: str
) -> bool:
    """``ALTER TABLE ... ADD COLUMN`` unless the column is there; True if added.

    ``definition`` is the type and constraints after the name, for example
    ``"INTEGER DEFAULT 0"``. It is SQL written by the migration author.
    """
    if column_exists(conn, table, column):
        return False
    conn.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {definition}")
    return True


def create_index_if_missing(
    conn: sqlite3.Connection, index: str, table: str, column_list: list[str]
) -> bool:
    """Create a plain index unless one of that name exists; True if created."""
    if index_exists(conn, index):
        return False
    cols = ", ".join(quote(c) for c in column_list)
    conn.execute(f"CREATE INDEX {quote(index)} ON {quote(table)}({cols})")
    return True


def user_tables(conn: sqlite3.Connection) -> list[str]:
    """Names of the file's own tables (not SQLite's internal ones)."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
