"""A database's schema as frozen facts, read from SQLite's own pragmas.

:func:`read_schema` looks at ``sqlite_schema`` and ``PRAGMA table_xinfo``,
``index_list``, ``index_xinfo`` and ``foreign_key_list``: what SQLite itself
understood, not what a statement's text seems to say. Only what the pragmas
don't tell (AUTOINCREMENT, index expressions, view and trigger bodies) comes
from the SQL text (:mod:`core.sqltext`). Names are compared case-folded, as
SQLite does; the file's own spelling is kept for messages. Reading is
schema-only: it never scans rows, so it is instant on a file of any size.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from itertools import pairwise

from core import sqltext
from core.schema import quote

NUMERIC_AFFINITY = ("INT", "REAL", "FLOA", "DOUB", "NUM", "DEC")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # declared type, upper case, single spaces ("" when none)
    default: str | None  # the default as written; None for none or DEFAULT NULL
    not_null: bool
    pk: int  # position in the primary key, 0 when not part of it
    hidden: int = 0  # table_xinfo: 2 or 3 for a generated column

    @property
    def default_key(self) -> str | None:
        """The default as compared: numbers by value in a numeric column (500 == 500.0)."""
        value = self.default
        if value is None:
            return None
        while value.startswith("(") and value.endswith(")"):
            value = value[1:-1].strip()
        toks = sqltext.tokens(value)
        numeric = any(a in self.type for a in NUMERIC_AFFINITY)
        sign = toks[0].text if len(toks) == 2 and toks[0].text in "+-" else ""
        number = toks[-1] if toks and len(toks) == (2 if sign else 1) else None
        if numeric and number is not None and number.kind == "number":
            return repr(float(sign + number.text))
        return " ".join(t.key for t in toks)


@dataclass(frozen=True)
class IndexKey:
    column: str | None  # lower-cased column name; None for an expression
    expression: str | None  # normalized expression text for an expression key
    descending: bool = False
    collation: str = "BINARY"
    constant: bool = False  # the expression is a lone literal: it orders nothing


@dataclass(frozen=True)
class Index:
    name: str
    table: str
    keys: tuple[IndexKey, ...]
    unique: bool
    where: str | None = None  # a partial index's condition, normalized


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str | None, ...]  # None: the parent's primary key
    on_update: str = "NO ACTION"
    on_delete: str = "NO ACTION"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]  # in the file's order (compared by name, not order)
    autoincrement: bool = False
    without_rowid: bool = False
    unique: frozenset[tuple[str, ...]] = frozenset()  # UNIQUE constraints, by columns
    foreign_keys: frozenset[ForeignKey] = frozenset()

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name.lower() == name.lower()), None)


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str
    sql: str  # normalized


@dataclass(frozen=True)
class View:
    name: str
    sql: str  # normalized


@dataclass(frozen=True)
class Schema:
    """Everything a file's schema holds, keyed by case-folded name."""

    tables: dict[str, Table]
    indexes: dict[str, Index]
    triggers: dict[str, Trigger]
    views: dict[str, View]


EMPTY = Schema({}, {}, {}, {})


def read_schema(conn: sqlite3.Connection) -> Schema:
    """The schema of the connection's main database; reads no rows."""
    entries = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name"
    ).fetchall()
    tables: dict[str, Table] = {}
    indexes: dict[str, Index] = {}
    triggers: dict[str, Trigger] = {}
    views: dict[str, View] = {}
    for kind, name, table, sql in entries:
        key = name.lower()
        if kind == "table" and (sql or "")[:14].upper() != "CREATE VIRTUAL":
            tables[key] = _table(conn, name, sql)
        elif kind == "index" and sql is not None:  # autoindexes belong to their table
            indexes[key] = _index(conn, name, table, sql)
        elif kind == "trigger":
            triggers[key] = Trigger(name, table.lower(), sqltext.normalized(sql))
        elif kind == "view":
            views[key] = View(name, sqltext.normalized(sql))
    return Schema(tables, indexes, triggers, views)


def _table(conn: sqlite3.Connection, name: str, sql: str | None) -> Table:
    columns = tuple(
        Column(
            name=row[1],
            type=" ".join((row[2] or "").split()).upper(),
            default=None if row[4] is None or str(row[4]).upper() == "NULL" else str(row[4]),
            not_null=bool(row[3]),
            pk=int(row[5]),
            hidden=int(row[6]),
        )
        for row in conn.execute(f"PRAGMA table_xinfo({quote(name)})")
    )
    unique = frozenset(
        _index_columns(conn, row[1])
        for row in conn.execute(f"PRAGMA index_list({quote(name)})")
        if row[3] == "u"
    )
    upper = (sql or "").upper()  # tokenise only when the word is there at all (it is rare)
    words = list(sqltext.iter_words(sql)) if "AUTOINCREMENT" in upper or "WITHOUT" in upper else []
    return Table(
        name=name,
        columns=columns,
        autoincrement="autoincrement" in words,
        without_rowid=any(a == "without" and b == "rowid" for a, b in pairwise(words)),
        unique=unique,
        foreign_keys=_foreign_keys(conn, name),
    )


def _index_columns(conn: sqlite3.Connection, index: str) -> tuple[str, ...]:
    return tuple(
        (row[2] or "<expression>").lower()
        for row in conn.execute(f"PRAGMA index_xinfo({quote(index)})")
        if row[5]  # key columns only, not the rowid SQLite appends
    )


def _index(conn: sqlite3.Connection, name: str, table: str, sql: str) -> Index:
    terms, where = sqltext.index_parts(sql)
    keys = []
    for row in conn.execute(f"PRAGMA index_xinfo({quote(name)})"):
        seqno, cid, column, desc, collation, is_key = row[:6]
        if not is_key:
            continue
        term = terms[seqno] if seqno < len(terms) else None
        if cid == -2:  # an expression (or a constant SQLite made of a quoted word)
            constant = term is not None and sqltext.is_literal(term)
            text = term.text if term is not None else "?"
            if constant and text.startswith('"'):
                text = "'" + sqltext.unquote(text).replace("'", "''") + "'"
            keys.append(
                IndexKey(
                    None,
                    text if constant else (term.key if term else "?"),
                    bool(desc),
                    str(collation).upper(),
                    constant,
                )
            )
        else:
            col = "rowid" if cid == -1 else str(column).lower()
            keys.append(IndexKey(col, None, bool(desc), str(collation).upper()))
    unique = bool(
        next((r[2] for r in conn.execute(f"PRAGMA index_list({quote(table)})") if r[1] == name), 0)
    )
    return Index(name, table.lower(), tuple(keys), unique, where)


def _foreign_keys(conn: sqlite3.Connection, table: str) -> frozenset[ForeignKey]:
    groups: dict[int, list[tuple]] = {}
    for row in conn.execute(f"PRAGMA foreign_key_list({quote(table)})"):
        groups.setdefault(int(row[0]), []).append(row)
    keys = set()
    for rows in groups.values():
        rows.sort(key=lambda r: r[1])
        first = rows[0]
        keys.add(
            ForeignKey(
                columns=tuple(str(r[3]).lower() for r in rows),
                parent=str(first[2]).lower(),
                parent_columns=tuple(r[4].lower() if r[4] else None for r in rows),
                on_update=str(first[5]).upper(),
                on_delete=str(first[6]).upper(),
            )
        )
    return frozenset(keys)
