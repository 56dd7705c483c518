"""Bring a table to its definition from whatever an install already has.

Some installs already have a table a migration makes: the app's lost
migrations made them, or someone did by hand, with only some of the columns,
extra ones beside them, no foreign key or no defaults. :func:`ensure_defined`
converges all of these on the one definition, keeping every row and every
extra column:

- no table: it is created exactly as defined;
- what ``ALTER TABLE`` can add (a plain column): it is added;
- what it can't (a declared foreign key, a column's default, a column whose
  default is a time, AUTOINCREMENT or its absence): the table is rebuilt
  (:mod:`core.rebuild`). Rows that were there before a time column get NULL
  ("not known"), not the moment of the upgrade.

Run again on a table that already matches, it changes nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from core.rebuild import rebuild
from core.rebuild_plan import column_sql, foreign_key_sql
from core.schema import add_column_if_missing, quote, table_exists
from core.tabledef import Column, ForeignKey, Table
from core.tablenow import TableNow, read_table

_TIME_DEFAULTS = ("current_timestamp", "current_date", "current_time")


def ensure_defined(conn: sqlite3.Connection, target: Table) -> None:
    """Make ``target.name`` hold ``target``'s columns, defaults and foreign keys."""
    if not table_exists(conn, target.name):
        conn.execute(create_sql(target))
        return
    now = read_table(conn, target.name)
    if needs_rebuild(conn, now, target):
        rebuild(conn, _for_rebuild(now, target))
        return
    for column in target.columns:
        if not column.primary_key:
            definition = column_sql(column)[len(quote(column.name)) :].strip()
            add_column_if_missing(conn, target.name, column.name, definition)


def create_sql(target: Table) -> str:
    parts = [column_sql(c, target.autoincrement) for c in target.columns]
    parts += [foreign_key_sql(fk) for fk in target.foreign_keys]
    return f"CREATE TABLE {quote(target.name)} ({', '.join(parts)})"


def needs_rebuild(conn: sqlite3.Connection, now: TableNow, target: Table) -> bool:
    """True if the table lacks something of ``target`` that ALTER TABLE can't add."""
    if now.autoincrement != target.autoincrement:
        return True
    declared = {
        (r[3].lower(), r[2].lower(), (r[4] or "").lower())
        for r in conn.execute(f"PRAGMA foreign_key_list({quote(now.name)})")
    }
    for fk in target.foreign_keys:
        wanted = zip(fk.columns, fk.parent_columns or ("",) * len(fk.columns), strict=True)
        if any((c.lower(), fk.parent.lower(), p.lower()) not in declared for c, p in wanted):
            return True
    for column in target.columns:
        found = now.column(column.name)
        if found is None:
            if _is_time(column.default):
                return True
        elif not column.primary_key and _norm(found.default) != _norm(column.default):
            return True
    return False


def _for_rebuild(now: TableNow, target: Table) -> Table:
    """``target``, with NULL for the rows already there in a new time column."""
    columns = tuple(
        replace(c, value="NULL") if now.column(c.name) is None and _is_time(c.default) else c
        for c in target.columns
    )
    return replace(target, columns=columns)


def _is_time(default: str | None) -> bool:
    return _norm(default) in _TIME_DEFAULTS


def _norm(default: str | None) -> str | None:
    return None if default is None or default.upper() == "NULL" else default.strip().lower()


__all__ = ["Column", "ForeignKey", "Table", "ensure_defined"]
