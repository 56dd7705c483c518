"""Small helpers so a migration states its intent, not its bookkeeping.

Field files drifted (columns added by hand, tables already there), so most
steps are "make sure this exists". Identifiers are always quoted; nothing is
built from file content without :func:`quote`.
"""

from __future__ import annotations

import sqlite3

# The pre-release prototype ledger (txn_id, txn_type; no transaction_id) gets
# the released columns only when migration 011 rebuilds it. Released migrations
# that index those columns before then leave the index to that migration.
_PROTOTYPE_LEDGER_LACKS = frozenset({"transaction_id", "transaction_type", "created_at"})


class MissingColumn(ValueError):
    """A helper was asked about a table or column the file doesn't have."""


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
    require_columns(conn, table, [])
    conn.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {definition}")
    return True


def require_columns(conn: sqlite3.Connection, table: str, names: list[str]) -> None:
    """Refuse, naming it, a table or column that isn't there.

    SQLite reads a double-quoted name that is no column as a string, so an
    index "on" a missing column would silently index a constant.
    """
    if not table_exists(conn, table):
        raise MissingColumn(f"there is no table {table}")
    missing = [name for name in names if not column_exists(conn, table, name)]
    if missing:
        raise MissingColumn(f"{table} has no column {missing[0]}")


def is_prototype_ledger(conn: sqlite3.Connection) -> bool:
    """The app's pre-release ledger: ``txn_id`` where the released one has ``id``."""
    return column_exists(conn, "ledger", "txn_id") and not column_exists(
        conn, "ledger", "transaction_id"
    )


def create_index_if_missing(
    conn: sqlite3.Connection, index: str, table: str, column_list: list[str]
) -> bool:
    """Create a plain index unless one of that name exists; True if created.

    Refuses (:class:`MissingColumn`) a column the table doesn't have.
    """
    if index_exists(conn, index):
        return False
    absent = {c.lower() for c in column_list if not column_exists(conn, table, c)}
    prototype = table.lower() == "ledger" and absent and absent <= _PROTOTYPE_LEDGER_LACKS
    if prototype and is_prototype_ledger(conn):
        return False  # made by the migration that rebuilds the prototype
    require_columns(conn, table, column_list)
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
