"""The statements of SQLite's generalized 12-step table rebuild, planned purely.

https://www.sqlite.org/lang_altertable.html ("Making Other Kinds Of Table
Schema Changes"). Two pure steps, each from a :class:`TableNow` and the
:class:`Table` it should become:

- :func:`plan_prepare`: drop the indexes being replaced (and ones SQLite built
  on a string constant), then ``RENAME COLUMN`` so that SQLite's own rewriter
  updates the indexes, triggers, views and foreign keys that name the column;
- :func:`plan_copy`, from the table as it then is: create the new table, copy
  with ``INSERT ... SELECT`` inside SQLite, carry the ``sqlite_sequence``
  high-water mark, drop, rename (under ``legacy_alter_table`` so views that
  read the table aren't re-checked while it is briefly missing), and recreate
  the indexes and triggers from their own SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import sqlsplit
from core.schema import quote
from core.tabledef import Column, ForeignKey, RebuildError, Table
from core.tablenow import TableNow


@dataclass(frozen=True)
class Plan:
    table: str
    temp: str
    create: str
    insert: str  # copies every row
    insert_range: str | None  # the same for rowids BETWEEN ? AND ? (None: WITHOUT ROWID)
    finish: tuple[str, ...]
    source: tuple[tuple[str, str], ...]  # (new column, SQL over the old table) for every column
    rowid: str | None

    @property
    def statements(self) -> tuple[str, ...]:
        return (self.create, self.insert, *self.finish)


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def plan_prepare(now: TableNow, target: Table) -> tuple[str, ...]:
    """Index drops and column renames that must happen before the copy."""
    replaced = {i.name.lower() for i in target.indexes} | {n.lower() for n in target.drop_indexes}
    steps = []
    for index in now.indexes:
        if index.name.lower() in replaced and index.sql is not None:
            steps.append(f"DROP INDEX {quote(index.name)}")
        elif index.on_constant is not None:
            raise RebuildError(
                f"index {index.name} of {now.name} is on the text '{index.on_constant}', "
                f"not a column ({now.name} has no column {index.on_constant}); "
                "list it in drop_indexes or define it in indexes"
            )
    for old, new in target.renames.items():
        if now.column(old) is None:
            raise RebuildError(f"can't rename {now.name}.{old}: there is no such column")
        if old.lower() != new.lower() and now.column(new) is not None:
            raise RebuildError(f"can't rename {now.name}.{old} to {new}: {new} is already there")
        steps.append(f"ALTER TABLE {quote(now.name)} RENAME COLUMN {quote(old)} TO {quote(new)}")
    return tuple(steps)


def plan_copy(now: TableNow, target: Table, tmp_suffix: str = "_rebuild") -> Plan:
    """Everything after the renames, for the table as it is after them."""
    _validate(now, target)
    temp = f"{now.name}{tmp_suffix}"
    dropped = {d.lower() for d in target.drop}
    unknown = [
        c
        for c in now.columns
        if target.column(c.name) is None and c.name.lower() not in dropped and not c.hidden
    ]
    if not target.keep_unknown_columns:
        unknown = []
    defs = [column_sql(c, target.autoincrement) for c in target.columns]
    defs += [c.definition for c in unknown]
    defs += _table_constraints(target)
    defs += _kept_constraints(now, {c.name.lower() for c in unknown})
    create = f"CREATE TABLE {quote(temp)} (\n    " + ",\n    ".join(defs) + "\n)"

    source = [(c.name, _value(now, c)) for c in target.columns]
    source += [(c.name, quote(c.name)) for c in unknown]
    copied = [(n, e) for n, e in source if e is not None]
    names = [quote(n) for n, _ in copied]
    exprs = [e for _, e in copied]
    rowid = now.rowid
    if rowid is not None and not _has_rowid_alias(target):
        names.insert(0, "rowid")
        exprs.insert(0, rowid)
    insert = (
        f"INSERT INTO {quote(temp)} ({', '.join(names)})\n"
        f"SELECT {', '.join(exprs)} FROM {quote(now.name)}"
    )
    ranged = None if rowid is None else f"{insert} WHERE {rowid} BETWEEN ? AND ?"

    finish = _carry_sequence(now.name, temp) if target.autoincrement else []
    finish += [
        f"DROP TABLE {quote(now.name)}",
        "PRAGMA legacy_alter_table = ON",
        f"ALTER TABLE {quote(temp)} RENAME TO {quote(now.name)}",
        f"PRAGMA legacy_alter_table = {'ON' if now.legacy_alter_table else 'OFF'}",
    ]
    replaced = {i.name.lower() for i in target.indexes} | {n.lower() for n in target.drop_indexes}
    finish += [i.sql for i in now.indexes if i.sql is not None and i.name.lower() not in replaced]
    finish += [
        f"CREATE {'UNIQUE ' if i.unique else ''}INDEX {quote(i.name)} ON {quote(now.name)} "
        f"({', '.join(map(quote, i.columns))})"
        for i in target.indexes
    ]
    finish += [sql for _, sql in now.triggers]
    everything = [(n, e if e is not None else _omitted(target, n)) for n, e in source]
    return Plan(now.name, temp, create, insert, ranged, tuple(finish), tuple(everything), rowid)


def column_sql(c: Column, autoincrement: bool = False) -> str:
    if c.sql is not None:
        return c.sql
    parts = [quote(c.name)]
    if c.type:
        parts.append(c.type)
    if c.primary_key:
        parts.append("PRIMARY KEY AUTOINCREMENT" if autoincrement else "PRIMARY KEY")
    if c.not_null:
        parts.append("NOT NULL")
    if c.unique:
        parts.append("UNIQUE")
    if c.default is not None:
        parts.append(f"DEFAULT {c.default}")
    if c.check:
        parts.append(f"CHECK ({c.check})")
    return " ".join(parts)


def foreign_key_sql(fk: ForeignKey) -> str:
    parent_cols = f" ({', '.join(map(quote, fk.parent_columns))})" if fk.parent_columns else ""
    text = (
        f"FOREIGN KEY ({', '.join(map(quote, fk.columns))}) "
        f"REFERENCES {quote(fk.parent)}{parent_cols}"
    )
    if fk.on_delete:
        text += f" ON DELETE {fk.on_delete}"
    if fk.on_update:
        text += f" ON UPDATE {fk.on_update}"
    return text


def _table_constraints(target: Table) -> list[str]:
    out = []
    if target.primary_key:
        out.append(f"PRIMARY KEY ({', '.join(map(quote, target.primary_key))})")
    out += [f"UNIQUE ({', '.join(map(quote, u))})" for u in target.uniques]
    out += [f"CHECK ({c})" for c in target.checks]
    out += [foreign_key_sql(fk) for fk in target.foreign_keys]
    return out + list(target.constraints_sql)


def _kept_constraints(now: TableNow, kept: set[str]) -> list[str]:
    """Old UNIQUE/PRIMARY KEY/FOREIGN KEY constraints on kept unknown columns only."""
    out = []
    for item in now.constraints:
        if "check" in sqlsplit.words(item)[:3]:
            continue
        cols = [
            sqlsplit.first_name(c)[0].lower()
            for c in sqlsplit.split_top_level(sqlsplit.first_parenthesized(item))
        ]
        if cols and all(c in kept for c in cols):
            out.append(item)
    return out


def _value(now: TableNow, c: Column) -> str | None:
    if c.value is not None:
        return c.value
    existing = now.column(c.name)
    return quote(existing.name) if existing is not None else None


def _omitted(target: Table, name: str) -> str:
    column = target.column(name)
    return column.default if column is not None and column.default is not None else "NULL"


def _has_rowid_alias(target: Table) -> bool:
    keys = [c for c in target.columns if c.primary_key]
    return len(keys) == 1 and not target.primary_key and keys[0].type.upper() == "INTEGER"


def _carry_sequence(table: str, temp: str) -> list[str]:
    """AUTOINCREMENT never reuses an id: keep the old high-water mark if it is higher."""
    old, new = literal(table), literal(temp)
    return [
        f"INSERT INTO sqlite_sequence (name, seq) SELECT {new}, 0 "
        f"WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = {new})",
        f"UPDATE sqlite_sequence SET seq = max(seq, coalesce("
        f"(SELECT max(seq) FROM sqlite_sequence WHERE name = {old}), 0)) WHERE name = {new}",
    ]


def _validate(now: TableNow, target: Table) -> None:
    if any(c.hidden for c in now.columns):
        raise RebuildError(f"{now.name} has generated columns; a rebuild can't copy them safely")
    if now.without_rowid:
        raise RebuildError(f"{now.name} is a WITHOUT ROWID table; it can't be rebuilt here")
    for name in target.drop:
        if target.column(name) is not None:
            raise RebuildError(f"{now.name}.{name} is both defined and dropped")
        if now.column(name) is None:
            raise RebuildError(f"can't drop {now.name}.{name}: there is no such column")
    if target.autoincrement and not _has_rowid_alias(target):
        raise RebuildError(
            f"AUTOINCREMENT needs one INTEGER PRIMARY KEY column in the new {now.name}"
        )
    new_names = {c.name.lower() for c in target.columns}
    new_names |= (
        {
            c.name.lower()
            for c in now.columns
            if c.name.lower() not in {d.lower() for d in target.drop}
        }
        if target.keep_unknown_columns
        else set()
    )
    replaced = {i.name.lower() for i in target.indexes} | {n.lower() for n in target.drop_indexes}
    for index in now.indexes:
        gone = [c for c in index.columns if c is not None and c.lower() not in new_names]
        if index.sql is not None and index.name.lower() not in replaced and gone:
            raise RebuildError(
                f"index {index.name} of {now.name} is on {gone[0]}, which the rebuild drops; "
                "list it in drop_indexes or define it in indexes"
            )
    for wanted in target.indexes:
        missing = [c for c in wanted.columns if c.lower() not in new_names]
        if missing:
            raise RebuildError(
                f"index {wanted.name} is on {now.name}.{missing[0]}, a column the new table "
                "doesn't have"
            )
