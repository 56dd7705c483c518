"""What a database file holds, in forms tests can compare without printing rows.

``logical_schema`` is the schema as the migrations promise it: per table the
set of (column, declared type, default, pk), the indexes and foreign keys.
Column *order* is deliberately left out: a column added by hand with
``ALTER TABLE`` lands at the end, one written inline does not, and both are
the same schema. ``content`` is everything (version, schema SQL, every row)
for "the file is exactly as it was" checks when bytes can't be compared.
Failures name tables and counts, never row values: the rows are personal data
in real files, and the tests treat the made-up ones the same way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.schema import user_tables

Column = tuple[str, str, str | None, int]  # name, TYPE, default, pk position
Index = tuple[str, str, tuple[str, ...], bool]  # name, table, columns, unique
ForeignKey = tuple[str, str, str, str | None]  # table, column, parent, parent column


@dataclass(frozen=True)
class LogicalSchema:
    tables: dict[str, frozenset[Column]]
    indexes: frozenset[Index]
    foreign_keys: frozenset[ForeignKey]

    def without(self, tables: Iterable[str]) -> LogicalSchema:
        drop = {t.lower() for t in tables}
        return LogicalSchema(
            {t: cols for t, cols in self.tables.items() if t not in drop},
            frozenset(i for i in self.indexes if i[1] not in drop),
            frozenset(f for f in self.foreign_keys if f[0] not in drop),
        )

    def differences(self, other: LogicalSchema) -> list[str]:
        """Readable differences (names only), empty when the schemas are the same."""
        out = []
        for table in sorted(self.tables.keys() | other.tables.keys()):
            mine, theirs = self.tables.get(table), other.tables.get(table)
            if mine is None or theirs is None:
                out.append(f"table {table} only in {'second' if mine is None else 'first'}")
            elif mine != theirs:
                out.append(f"{table}: first has {sorted(mine - theirs)}")
                out.append(f"{table}: second has {sorted(theirs - mine)}")
        for label, a, b in (
            ("index", self.indexes, other.indexes),
            ("foreign key", self.foreign_keys, other.foreign_keys),
        ):
            out += [f"{label} only in first: {x}" for x in sorted(a - b)]
            out += [f"{label} only in second: {x}" for x in sorted(b - a)]
        return out


def connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def _default(value: str | None) -> str | None:
    if value is None or value.upper() == "NULL":
        return None
    return value


def logical_schema(path: Path) -> LogicalSchema:
    conn = connect_ro(path)
    try:
        tables: dict[str, frozenset[Column]] = {}
        indexes: set[Index] = set()
        fks: set[ForeignKey] = set()
        for table in user_tables(conn):
            info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            tables[table.lower()] = frozenset(
                (r[1].lower(), r[2].upper(), _default(r[4]), r[5]) for r in info
            )
            for idx in conn.execute(f'PRAGMA index_list("{table}")').fetchall():
                cols = tuple(r[2].lower() for r in conn.execute(f'PRAGMA index_info("{idx[1]}")'))
                indexes.add((idx[1].lower(), table.lower(), cols, bool(idx[2])))
            for fk in conn.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
                fks.add((table.lower(), fk[3].lower(), fk[2].lower(), fk[4] and fk[4].lower()))
        return LogicalSchema(tables, frozenset(indexes), frozenset(fks))
    finally:
        conn.close()


def _sortable(row: tuple) -> tuple:
    """Rows in a stable order; numbers by value (10 after 9), anything else by text."""
    return tuple(
        (type(v).__name__, v if isinstance(v, int | float | str | bytes) else repr(v)) for v in row
    )


def rows(path: Path, table: str, columns: Iterable[str] | None = None) -> list[tuple]:
    """Every row of ``table`` (only ``columns`` if given, by name), in a stable order."""
    conn = connect_ro(path)
    try:
        names = list(columns) if columns is not None else table_columns(conn, table)
        select = ", ".join(f'"{c}"' for c in names)
        return sorted(conn.execute(f'SELECT {select} FROM "{table}"').fetchall(), key=_sortable)
    finally:
        conn.close()


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def columns_of(path: Path) -> dict[str, list[str]]:
    conn = connect_ro(path)
    try:
        return {t: table_columns(conn, t) for t in user_tables(conn)}
    finally:
        conn.close()


def all_rows(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, all columns."""
    return {t: rows(path, t) for t in columns_of(path)}


def version(path: Path) -> int:
    conn = connect_ro(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def schema_sql(path: Path, tables: Iterable[str] | None = None) -> list[tuple]:
    """``sqlite_schema`` entries (type, name, table, sql), optionally for some tables."""
    conn = connect_ro(path)
    try:
        entries = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()
    if tables is None:
        return entries
    wanted = {t.lower() for t in tables}
    return [e for e in entries if e[2].lower() in wanted]


@dataclass(frozen=True)
class Content:
    """Everything a file holds: version, schema SQL and every row of every table."""

    version: int
    schema: tuple[tuple, ...]
    rows: dict[str, list[tuple]]


def content(path: Path) -> Content:
    if Path(path).stat().st_size == 0:
        return Content(0, (), {})
    return Content(version(path), tuple(schema_sql(path)), all_rows(path))


def assert_same_content(expected: Content, actual: Content) -> None:
    """Fail naming what differs (version, schema entry names, tables), never row values."""
    assert actual.version == expected.version, (
        f"user_version {actual.version}, expected {expected.version}"
    )
    names_a = [e[:3] for e in actual.schema]
    names_e = [e[:3] for e in expected.schema]
    assert names_a == names_e, f"schema entries differ: {set(names_a) ^ set(names_e)}"
    changed_sql = [e[1] for e, a in zip(expected.schema, actual.schema, strict=True) if e != a]
    assert not changed_sql, f"schema SQL changed for {changed_sql}"
    assert_same_rows(expected.rows, actual.rows)


def assert_same_rows(expected: dict[str, list[tuple]], actual: dict[str, list[tuple]]) -> None:
    assert actual.keys() == expected.keys(), f"tables differ: {actual.keys() ^ expected.keys()}"
    differing = {
        t: f"{len(expected[t])} rows before, {len(actual[t])} after, "
        f"{len(set(map(repr, expected[t])) ^ set(map(repr, actual[t])))} differ"
        for t in expected
        if expected[t] != actual[t]
    }
    assert not differing, f"rows changed in: {differing}"
