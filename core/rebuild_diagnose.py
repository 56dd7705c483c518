"""Which row stops a rebuild: found by SQL after the copy failed, named by rowid only.

SQLite's own message names the constraint but not the row. Once a copy has
failed (and been undone), the same source rows are read again with each new
constraint as a query, to name the first row that breaks it. Only rowids and
column names leave this module, never a value: rows hold personal data.
"""

from __future__ import annotations

import sqlite3

from core.rebuild_plan import Plan
from core.schema import quote
from core.tabledef import RebuildError, Table
from core.tablenow import TableNow


def explain(
    conn: sqlite3.Connection, plan: Plan, now: TableNow, target: Table, error: sqlite3.Error
) -> RebuildError:
    """A :class:`RebuildError` naming the first row that breaks a new constraint."""
    rowid = plan.rowid or "NULL"
    items = ", ".join(f"{expr} AS {quote(name)}" for name, expr in plan.source)
    rows = f"(SELECT {rowid} AS __row, {items} FROM {quote(now.name)})"
    for what, query in _checks(rows, target, now):
        try:
            found = conn.execute(query).fetchone()
        except sqlite3.Error:
            continue
        if found is not None and found[0] is not None:
            return RebuildError(
                f"the row with rowid {found[0]} in {now.name} breaks the new definition: {what}"
            )
    return RebuildError(f"{now.name} can't be rebuilt as defined: {error}")


def _checks(rows: str, target: Table, now: TableNow) -> list[tuple[str, str]]:
    out = []
    for c in target.columns:
        if c.not_null:
            out.append(
                (
                    f"{c.name} has no value and must have one (NOT NULL)",
                    f"SELECT __row FROM {rows} WHERE {quote(c.name)} IS NULL ORDER BY __row",
                )
            )
        if c.check:
            out.append((f"{c.name} fails CHECK ({c.check})", _failing(rows, c.check)))
    out += [(f"it fails CHECK ({check})", _failing(rows, check)) for check in target.checks]
    for key in _unique_keys(target, now):
        out.append(
            (
                f"it repeats the {', '.join(key)} of an earlier row, which must be unique",
                _duplicate(rows, key),
            )
        )
    return out


def _failing(rows: str, check: str) -> str:
    return f"SELECT __row FROM {rows} WHERE NOT ({check}) ORDER BY __row"


def _duplicate(rows: str, key: tuple[str, ...]) -> str:
    cols = ", ".join(map(quote, key))
    present = " AND ".join(f"{quote(k)} IS NOT NULL" for k in key)
    return (
        f"SELECT __row FROM (SELECT __row, row_number() OVER (PARTITION BY {cols} "
        f"ORDER BY __row) AS n FROM {rows} WHERE {present}) WHERE n > 1 ORDER BY __row"
    )


def _unique_keys(target: Table, now: TableNow) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = [(c.name,) for c in target.columns if c.unique or c.primary_key]
    keys += list(target.uniques)
    if target.primary_key:
        keys.append(target.primary_key)
    keys += [i.columns for i in target.indexes if i.unique]
    keys += [
        tuple(c for c in i.columns if c is not None)
        for i in now.indexes
        if i.unique and i.sql is not None and None not in i.columns
    ]
    return keys
