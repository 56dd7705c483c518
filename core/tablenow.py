"""A table as it is in the file: what a rebuild must keep, read without reading rows."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from core import sqlsplit
from core.schema import quote
from core.tabledef import RebuildError


@dataclass(frozen=True)
class ColumnNow:
    name: str
    type: str
    not_null: bool
    default: str | None
    pk: int
    hidden: int  # 0 plain; 2 and 3 generated
    definition: str  # as written in CREATE TABLE


@dataclass(frozen=True)
class IndexNow:
    name: str
    sql: str | None  # None for the indexes UNIQUE and PRIMARY KEY make
    unique: bool
    columns: tuple[str | None, ...]  # None for an expression
    on_constant: str | None  # a double-quoted name SQLite took as a string


@dataclass(frozen=True)
class TableNow:
    name: str
    sql: str
    columns: tuple[ColumnNow, ...]
    constraints: tuple[str, ...]  # table constraints as written
    indexes: tuple[IndexNow, ...]
    triggers: tuple[tuple[str, str], ...]  # (name, sql)
    views: tuple[str, ...]  # views whose SQL names this table
    autoincrement: bool
    without_rowid: bool
    legacy_alter_table: bool

    def column(self, name: str) -> ColumnNow | None:
        return next((c for c in self.columns if c.name.lower() == name.lower()), None)

    @property
    def rowid(self) -> str | None:
        """A name for the rowid that no column hides (None for WITHOUT ROWID)."""
        if self.without_rowid:
            return None
        return next((n for n in ("rowid", "_rowid_", "oid") if self.column(n) is None), None)


def read_table(conn: sqlite3.Connection, table: str) -> TableNow:
    row = conn.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE",
        (table,),
    ).fetchone()
    if row is None:
        raise RebuildError(f"there is no table {table} to rebuild")
    name, sql = row
    items = sqlsplit.split_top_level(sqlsplit.table_body(sql))
    column_items = [i for i in items if not sqlsplit.is_table_constraint(i)]
    defs = {sqlsplit.first_name(i)[0].lower(): i for i in column_items}
    cols = tuple(
        ColumnNow(r[1], r[2], bool(r[3]), r[4], r[5], r[6], defs.get(r[1].lower(), quote(r[1])))
        for r in conn.execute(f"PRAGMA table_xinfo({quote(name)})")
    )
    tail = sqlsplit.words(sql[sql.rfind(")") :])
    return TableNow(
        name=name,
        sql=sql,
        columns=cols,
        constraints=tuple(i for i in items if sqlsplit.is_table_constraint(i)),
        indexes=_indexes(conn, name, {c.name.lower() for c in cols}),
        triggers=tuple(
            conn.execute(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' "
                "AND tbl_name = ? COLLATE NOCASE ORDER BY rowid",
                (name,),
            ).fetchall()
        ),
        views=tuple(
            v
            for v, view_sql in conn.execute(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY rowid"
            )
            if name.lower() in sqlsplit.words(view_sql) or quote(name).lower() in view_sql.lower()
        ),
        autoincrement="autoincrement" in sqlsplit.words(sql),
        without_rowid="without" in tail and "rowid" in tail,
        legacy_alter_table=bool(conn.execute("PRAGMA legacy_alter_table").fetchone()[0]),
    )


def _indexes(conn: sqlite3.Connection, table: str, names: set[str]) -> tuple[IndexNow, ...]:
    found = []
    for _seq, index, unique, _origin, _partial in conn.execute(
        f"PRAGMA index_list({quote(table)})"
    ).fetchall():
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", (index,)
        ).fetchone()
        key = [r for r in conn.execute(f"PRAGMA index_xinfo({quote(index)})") if r[5]]
        columns = tuple(r[2] for r in key)
        found.append(IndexNow(index, sql, bool(unique), columns, _on_constant(sql, columns, names)))
    return tuple(sorted(found, key=lambda i: i.name))


def _on_constant(sql: str | None, columns: tuple[str | None, ...], names: set[str]) -> str | None:
    """The quoted non-column of an index SQLite built on a string constant, if it is one."""
    if sql is None or None not in columns:
        return None
    key_list = sqlsplit.first_parenthesized(sql[sql.lower().find(" on ") :])
    for item in sqlsplit.split_top_level(key_list):
        name, quoted = sqlsplit.first_name(item)
        if quoted and item.strip().startswith('"') and name.lower() not in names:
            return name
    return None
