"""Compare a file's schema with what the migrations make: differences as facts.

Pure. :func:`compare` looks, exactly, at what the migrations own: tables;
columns with declared type, default, NOT NULL and primary key; AUTOINCREMENT;
UNIQUE constraints; indexes with their keys (an index on the constant
``'transaction_id'`` is not an index on the column), order, collation and
uniqueness; foreign keys; triggers and views. What the file has beyond that
(a column added by hand, the app's own model tables) is an *extra*: listed,
never a reason to fail. Column order is not compared: a column added with
``ALTER TABLE`` lands last, one written inline does not, and both are the same
schema. Sentences are made from these facts in :mod:`core.wording`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.schemashape import Column, ForeignKey, Index, IndexKey, Schema, Table, Trigger


class Kind(StrEnum):
    MISSING_TABLE = "missing_table"
    MISSING_COLUMN = "missing_column"
    COLUMN_TYPE = "column_type"
    COLUMN_DEFAULT = "column_default"
    COLUMN_NOT_NULL = "column_not_null"
    COLUMN_PRIMARY_KEY = "column_primary_key"
    COLUMN_GENERATED = "column_generated"
    AUTOINCREMENT = "autoincrement"
    WITHOUT_ROWID = "without_rowid"
    MISSING_UNIQUE = "missing_unique"
    MISSING_FOREIGN_KEY = "missing_foreign_key"
    FOREIGN_KEY_DIFFERS = "foreign_key_differs"
    MISSING_INDEX = "missing_index"
    INDEX_DIFFERS = "index_differs"
    INDEX_ON_CONSTANT = "index_on_constant"  # the right name, but it orders nothing
    MISSING_TRIGGER = "missing_trigger"
    TRIGGER_DIFFERS = "trigger_differs"
    MISSING_VIEW = "missing_view"
    VIEW_DIFFERS = "view_differs"
    EXTRA_TABLE = "extra_table"
    EXTRA_COLUMN = "extra_column"
    EXTRA_UNIQUE = "extra_unique"
    EXTRA_FOREIGN_KEY = "extra_foreign_key"
    EXTRA_INDEX = "extra_index"
    EXTRA_TRIGGER = "extra_trigger"
    EXTRA_VIEW = "extra_view"


@dataclass(frozen=True)
class Difference:
    """One fact: ``object`` of ``table`` is ``found`` where the migrations make ``expected``."""

    kind: Kind
    table: str  # the table (or view) it belongs to
    object: str = ""  # column, index, trigger, constraint; "" for the table itself
    expected: str | None = None
    found: str | None = None

    @property
    def is_extra(self) -> bool:
        return self.kind.startswith("extra_")


@dataclass(frozen=True)
class Comparison:
    differences: tuple[Difference, ...]  # owned objects missing or different
    extras: tuple[Difference, ...]  # what no migration made

    @property
    def matches(self) -> bool:
        """The file has everything the migrations own, exactly (extras allowed)."""
        return not self.differences


def compare(expected: Schema, found: Schema, ignore: Collection[str] = ()) -> Comparison:
    """What ``found`` lacks or has otherwise than ``expected``, and what it has besides."""
    skip = {name.lower() for name in ignore}
    out: list[Difference] = []
    for key, want in expected.tables.items():
        if key in skip:
            continue
        have = found.tables.get(key)
        if have is None:
            out.append(Difference(Kind.MISSING_TABLE, want.name))
        else:
            out += _table(want, have, found)
    out += [
        Difference(Kind.EXTRA_TABLE, t.name)
        for k, t in found.tables.items()
        if k not in expected.tables and k not in skip
    ]
    owned = {k for k in expected.tables if k in found.tables and k not in skip}
    out += _named(expected.indexes, found.indexes, owned, _index_difference, Kind.EXTRA_INDEX)
    out += _named(expected.triggers, found.triggers, owned, _trigger_difference, Kind.EXTRA_TRIGGER)
    for key, view in expected.views.items():
        have_view = found.views.get(key)
        if have_view is None:
            out.append(Difference(Kind.MISSING_VIEW, view.name))
        elif have_view.sql != view.sql:
            out.append(Difference(Kind.VIEW_DIFFERS, view.name, "", view.sql, have_view.sql))
    out += [
        Difference(Kind.EXTRA_VIEW, v.name)
        for k, v in found.views.items()
        if k not in expected.views
    ]
    return Comparison(tuple(d for d in out if not d.is_extra), tuple(d for d in out if d.is_extra))


def _table(want: Table, have: Table, found: Schema) -> list[Difference]:
    out: list[Difference] = []
    for column in want.columns:
        actual = have.column(column.name)
        if actual is None:
            out.append(Difference(Kind.MISSING_COLUMN, want.name, column.name, column.type))
        else:
            out += _column(want.name, column, actual)
    known = {c.name.lower() for c in want.columns}
    out += [
        Difference(Kind.EXTRA_COLUMN, want.name, c.name, None, c.type)
        for c in have.columns
        if c.name.lower() not in known
    ]
    for attr, kind, word in (
        ("autoincrement", Kind.AUTOINCREMENT, "AUTOINCREMENT"),
        ("without_rowid", Kind.WITHOUT_ROWID, "WITHOUT ROWID"),
    ):
        if getattr(want, attr) != getattr(have, attr):
            out.append(
                Difference(
                    kind,
                    want.name,
                    "",
                    _flag(getattr(want, attr), word),
                    _flag(getattr(have, attr), word),
                )
            )
    enforced = have.unique | _unique_indexes(found, have.name)
    out += [
        Difference(Kind.MISSING_UNIQUE, want.name, ", ".join(cols))
        for cols in sorted(want.unique - enforced)
    ]
    out += [
        Difference(Kind.EXTRA_UNIQUE, want.name, ", ".join(cols))
        for cols in sorted(have.unique - want.unique)
    ]
    out += _foreign_keys(want, have)
    return out


def _flag(on: bool, word: str) -> str | None:
    return word if on else None


def _column(table: str, want: Column, have: Column) -> list[Difference]:
    checks = (
        (Kind.COLUMN_TYPE, want.type, have.type, want.type, have.type),
        (Kind.COLUMN_DEFAULT, want.default_key, have.default_key, want.default, have.default),
        (
            Kind.COLUMN_NOT_NULL,
            want.not_null,
            have.not_null,
            _flag(want.not_null, "NOT NULL"),
            _flag(have.not_null, "NOT NULL"),
        ),
        (Kind.COLUMN_PRIMARY_KEY, want.pk, have.pk, str(want.pk), str(have.pk)),
        (Kind.COLUMN_GENERATED, want.hidden, have.hidden, str(want.hidden), str(have.hidden)),
    )
    return [
        Difference(kind, table, want.name, shown_want, shown_have)
        for kind, a, b, shown_want, shown_have in checks
        if a != b
    ]


def _unique_indexes(schema: Schema, table: str) -> frozenset[tuple[str, ...]]:
    """Plain unique indexes enforce what a UNIQUE constraint does."""
    return frozenset(
        tuple(k.column or "" for k in i.keys)
        for i in schema.indexes.values()
        if i.table == table.lower()
        and i.unique
        and i.where is None
        and all(k.column for k in i.keys)
    )


def _foreign_keys(want: Table, have: Table) -> list[Difference]:
    out = []
    by_columns = {fk.columns: fk for fk in have.foreign_keys}
    for fk in sorted(want.foreign_keys, key=foreign_key_text):
        actual = by_columns.get(fk.columns)
        if actual is None:
            out.append(Difference(Kind.MISSING_FOREIGN_KEY, want.name, foreign_key_text(fk)))
        elif actual != fk:
            out.append(
                Difference(
                    Kind.FOREIGN_KEY_DIFFERS,
                    want.name,
                    ", ".join(fk.columns),
                    foreign_key_text(fk),
                    foreign_key_text(actual),
                )
            )
    wanted_columns = {fk.columns for fk in want.foreign_keys}
    out += [
        Difference(Kind.EXTRA_FOREIGN_KEY, want.name, foreign_key_text(fk))
        for fk in sorted(have.foreign_keys, key=foreign_key_text)
        if fk.columns not in wanted_columns
    ]
    return out


def _named(
    expected: Mapping[str, Any],
    found: Mapping[str, Any],
    owned: set[str],
    differ: Callable[[Any, Any], list[Difference]],
    extra: Kind,
) -> list[Difference]:
    """Indexes or triggers, matched by name; extras only on tables the migrations own."""
    out: list[Difference] = []
    for key, want in expected.items():
        if want.table in owned:
            out += differ(want, found.get(key))
    out += [
        Difference(extra, have.table, have.name)
        for key, have in found.items()
        if key not in expected and have.table in owned
    ]
    return out


def _index_difference(want: Index, have: Index | None) -> list[Difference]:
    if have is None:
        return [Difference(Kind.MISSING_INDEX, want.table, want.name, index_text(want))]
    if have == want or (have.table, have.keys, have.unique, have.where) == (
        want.table,
        want.keys,
        want.unique,
        want.where,
    ):
        return []
    on_constant = any(k.constant for k in have.keys) and not any(k.constant for k in want.keys)
    kind = Kind.INDEX_ON_CONSTANT if on_constant else Kind.INDEX_DIFFERS
    return [Difference(kind, want.table, want.name, index_text(want), index_text(have))]


def _trigger_difference(want: Trigger, have: Trigger | None) -> list[Difference]:
    if have is None:
        return [Difference(Kind.MISSING_TRIGGER, want.table, want.name)]
    if (have.table, have.sql) != (want.table, want.sql):
        return [Difference(Kind.TRIGGER_DIFFERS, want.table, want.name, want.sql, have.sql)]
    return []


def key_text(key: IndexKey) -> str:
    text = key.column if key.column is not None else (key.expression or "?")
    if key.collation != "BINARY":
        text += f" COLLATE {key.collation}"
    return text + (" DESC" if key.descending else "")


def index_text(index: Index) -> str:
    """``UNIQUE ledger(transaction_id) WHERE ...``: an index's facts in SQL's own notation."""
    text = f"{index.table}({', '.join(map(key_text, index.keys))})"
    if index.unique:
        text = "UNIQUE " + text
    return text + (f" WHERE {index.where}" if index.where else "")


def foreign_key_text(fk: ForeignKey) -> str:
    parent = ", ".join(c or "its primary key" for c in fk.parent_columns)
    text = f"{', '.join(fk.columns)} → {fk.parent}({parent})"
    for label, action in (("ON UPDATE", fk.on_update), ("ON DELETE", fk.on_delete)):
        if action != "NO ACTION":
            text += f" {label} {action}"
    return text
