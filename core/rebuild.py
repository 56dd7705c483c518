"""Rebuild a table into a new definition inside the migration's transaction.

What migration authors call when ``ALTER TABLE`` can't do it (a type,
default, NOT NULL or CHECK change, a dropped column, a new foreign key)::

    from core.rebuild import Column, Table, rebuild

    rebuild(conn, Table("ledger", columns=(..., Column("debit", "INTEGER",
            default="0", value="round(debit * 100)"), ...)))

The statements come from the pure planner in ``core/rebuild_plan.py``. Rows
are copied by SQLite itself (``INSERT ... SELECT``, in rowid ranges so that
progress can be reported), never through Python. It all runs in a savepoint:
if any step fails, the table is exactly as it was, even if the migration
catches the error. The engine has foreign-key enforcement off around the
migration and checks the keys afterwards; a migration must not commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from core.events import RowsCopied
from core.rebuild_diagnose import explain
from core.rebuild_plan import Plan, plan_copy, plan_prepare
from core.schema import quote
from core.tabledef import Column, ForeignKey, Index, RebuildError, Table
from core.tablenow import TableNow, read_table

Progress = Callable[[int, int], None]  # (rows copied so far, rows in all)
CHUNK_ROWS = 100_000


@dataclass(frozen=True)
class RebuildResult:
    table: str
    rows_copied: int
    columns: tuple[str, ...]  # of the rebuilt table, in order
    kept_unknown: tuple[str, ...]  # columns the definition didn't name, kept as they were


def rebuild(
    conn: sqlite3.Connection,
    target: Table,
    *,
    on_progress: Progress | None = None,
    tmp_suffix: str = "_rebuild",
    chunk_rows: int = CHUNK_ROWS,
) -> RebuildResult:
    """Make ``target.name`` match ``target``, keeping every row; all or nothing."""
    report = getattr(conn, "report", None)  # the engine's connection passes it on as events
    if on_progress is None and report is not None:
        table = target.name
        on_progress = lambda done, total: report(RowsCopied(table, done, total))  # noqa: E731
    legacy = conn.execute("PRAGMA legacy_alter_table").fetchone()[0]
    conn.execute("SAVEPOINT table_rebuild")
    try:
        result = _rebuild(conn, target, on_progress, tmp_suffix, chunk_rows)
    except BaseException:
        _undo(conn)
        raise
    finally:  # a failed rename must not leave the connection in legacy mode
        if conn.in_transaction:
            conn.execute(f"PRAGMA legacy_alter_table = {'ON' if legacy else 'OFF'}")
    conn.execute("RELEASE table_rebuild")
    return result


def changed(conn: sqlite3.Connection, table: str, *columns: Column) -> Table:
    """The table as it is, with ``columns`` replacing those of the same name.

    Every other column, constraint and AUTOINCREMENT stays as written, in place.
    """
    now = read_table(conn, table)
    replacing = {c.name.lower(): c for c in columns}
    unknown = [name for name in replacing if now.column(name) is None]
    if unknown:
        raise RebuildError(f"{now.name} has no column {unknown[0]} to change")
    single_key = sum(1 for c in now.columns if c.pk) == 1
    kept = {
        c.name.lower(): Column(
            c.name,
            c.type,
            default=c.default,
            not_null=c.not_null,
            primary_key=single_key and c.pk == 1,
            sql=c.definition,
        )
        for c in now.columns
    }
    return Table(
        now.name,
        tuple(replacing.get(name) or column for name, column in kept.items()),
        autoincrement=now.autoincrement,
        constraints_sql=now.constraints,
    )


def _rebuild(
    conn: sqlite3.Connection,
    target: Table,
    on_progress: Progress | None,
    tmp_suffix: str,
    chunk_rows: int,
) -> RebuildResult:
    before = read_table(conn, target.name)
    working = [v for v in before.views if _view_works(conn, v)]
    for statement in plan_prepare(before, target):
        _run(conn, statement, before.name)
    now = read_table(conn, target.name)
    plan = plan_copy(now, target, tmp_suffix)
    _note_old_orphans(conn, now, target, plan)
    conn.execute(plan.create)
    try:
        copied = _copy(conn, plan, on_progress, chunk_rows)
        for statement in plan.finish:
            conn.execute(statement)
    except sqlite3.IntegrityError as exc:  # look again at the rows as they were
        conn.execute("ROLLBACK TO table_rebuild")
        for statement in plan_prepare(before, target):
            conn.execute(statement)
        raise explain(conn, plan, now, target, exc) from exc
    broken = [v for v in working if not _view_works(conn, v)]
    if broken:
        raise RebuildError(
            f"view {broken[0]} would stop working after the rebuild of {now.name} "
            "(it reads a column the rebuild drops or renames); recreate it in the migration"
        )
    after = read_table(conn, now.name)
    known = {c.name.lower() for c in target.columns}
    return RebuildResult(
        now.name,
        copied,
        tuple(c.name for c in after.columns),
        tuple(c.name for c in after.columns if c.name.lower() not in known),
    )


def _copy(
    conn: sqlite3.Connection, plan: Plan, on_progress: Progress | None, chunk_rows: int
) -> int:
    """Copy every row inside SQLite, in rowid ranges of about ``chunk_rows``."""
    table = quote(plan.table)
    total = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    report = on_progress or (lambda _done, _total: None)
    if plan.insert_range is None or plan.rowid is None or total <= chunk_rows:
        conn.execute(plan.insert)
        report(total, total)
        return int(total)
    rowid = plan.rowid
    low, high = conn.execute(f"SELECT min({rowid}), max({rowid}) FROM {table}").fetchone()
    step = max(chunk_rows, (high - low) // total * chunk_rows)
    copied = 0
    while low is not None:
        upper = min(low + step - 1, high)
        copied += conn.execute(plan.insert_range, (low, upper)).rowcount
        report(copied, total)
        if upper >= high:
            break
        (low,) = conn.execute(
            f"SELECT min({rowid}) FROM {table} WHERE {rowid} > ?", (upper,)
        ).fetchone()
    return copied


def _note_old_orphans(conn: sqlite3.Connection, now: TableNow, target: Table, plan: Plan) -> None:
    """Tell the engine which rows already pointed nowhere before a link was declared.

    A new foreign key over old data finds the old orphans (ledger rows naming
    flats with no resident); they are old, and the engine's check must know.
    """
    note = getattr(conn, "note_existing_violations", None)
    if note is None:
        return
    declared: dict[int, list[tuple[str, str]]] = {}
    for row in conn.execute(f"PRAGMA foreign_key_list({quote(now.name)})"):
        declared.setdefault(row[0], []).append((row[3].lower(), row[2].lower()))
    old = {(tuple(c for c, _ in fk), fk[0][1]) for fk in declared.values()}
    source = dict(plan.source)
    for fk in target.foreign_keys:
        if (tuple(c.lower() for c in fk.columns), fk.parent.lower()) in old:
            continue
        parent_cols = fk.parent_columns or tuple(
            r[1]
            for r in sorted(
                conn.execute(f"PRAGMA table_info({quote(fk.parent)})"), key=lambda r: r[5]
            )
            if r[5]
        )
        keys = [f"{source[c]} AS k{i}" for i, c in enumerate(fk.columns)]
        present = " AND ".join(f"s.k{i} IS NOT NULL" for i in range(len(fk.columns)))
        query = f"SELECT count(*) FROM (SELECT {', '.join(keys)} FROM {quote(now.name)}) AS s"
        query += f" WHERE {present}"
        if len(parent_cols) == len(fk.columns):
            match = " AND ".join(f"p.{quote(pc)} = s.k{i}" for i, pc in enumerate(parent_cols))
            query += f" AND NOT EXISTS (SELECT 1 FROM {quote(fk.parent)} AS p WHERE {match})"
        try:
            (count,) = conn.execute(query).fetchone()
        except sqlite3.OperationalError:  # no such parent table: every link is broken
            (count,) = conn.execute(query.split(" AND NOT EXISTS")[0]).fetchone()
        note(now.name, fk.parent, count)


def _run(conn: sqlite3.Connection, statement: str, table: str) -> None:
    try:
        conn.execute(statement)
    except sqlite3.OperationalError as exc:  # RENAME COLUMN re-reads the whole schema
        raise RebuildError(f"{table} can't be prepared for the rebuild: {exc}") from exc


def _view_works(conn: sqlite3.Connection, view: str) -> bool:
    try:
        conn.execute(f"SELECT * FROM {quote(view)} LIMIT 0").fetchall()
    except sqlite3.OperationalError:
        return False
    return True


def _undo(conn: sqlite3.Connection) -> None:
    if not conn.in_transaction:  # SQLite already rolled everything back (disk full, ...)
        return
    try:
        conn.execute("ROLLBACK TO table_rebuild")
        conn.execute("RELEASE table_rebuild")
    except sqlite3.Error:
        pass  # the engine rolls the whole migration back in any case


__all__ = [
    "Column",
    "ForeignKey",
    "Index",
    "RebuildError",
    "RebuildResult",
    "Table",
    "TableNow",
    "changed",
    "read_table",
    "rebuild",
]
