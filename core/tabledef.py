"""What a table should look like after a rebuild, as a migration author states it.

Types and defaults are SQL text kept exactly as written (``DATE`` stays
``DATE``, ``DEFAULT 0.0`` stays a number): the rebuild never translates them
through Python types, which is how other tools turn dates into REAL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


class RebuildError(Exception):
    """A rebuild that can't be done safely; nothing it started is left behind.

    The text names tables, columns, indexes and rowids, never a row's values.
    """


@dataclass(frozen=True)
class Column:
    """One column of the new table.

    ``value`` is an SQL expression over the table's columns (by their names
    after ``renames``) giving this column's value for each existing row, such
    as ``round(debit * 100)``. Without it a column of the same name is copied,
    and a new column gets its default.
    """

    name: str
    type: str = ""
    default: str | None = None  # SQL text after DEFAULT: "0.0", "'Active'", "CURRENT_TIMESTAMP"
    not_null: bool = False
    primary_key: bool = False
    unique: bool = False
    check: str | None = None
    value: str | None = None
    sql: str | None = None  # the whole definition as written, used as it is when given


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...] = ()
    on_delete: str | None = None  # "CASCADE", "SET NULL", ...
    on_update: str | None = None


@dataclass(frozen=True)
class Index:
    """An index the rebuilt table must have (replaces one of the same name)."""

    name: str
    columns: tuple[str, ...]
    unique: bool = False


@dataclass(frozen=True)
class Table:
    """The definition a table should have.

    Columns of the current table that this definition doesn't name are kept,
    declared as they were, after the named ones, unless listed in ``drop`` or
    ``keep_unknown_columns`` is False. The table's indexes and triggers are
    kept; ``indexes`` adds or replaces some, ``drop_indexes`` removes some.
    """

    name: str
    columns: tuple[Column, ...]
    autoincrement: bool = False
    foreign_keys: tuple[ForeignKey, ...] = ()
    primary_key: tuple[str, ...] = ()  # a composite key; one column uses Column.primary_key
    uniques: tuple[tuple[str, ...], ...] = ()
    checks: tuple[str, ...] = ()
    renames: Mapping[str, str] = field(default_factory=dict)  # old name -> new name
    drop: tuple[str, ...] = ()
    keep_unknown_columns: bool = True
    indexes: tuple[Index, ...] = ()
    drop_indexes: tuple[str, ...] = ()
    constraints_sql: tuple[str, ...] = ()  # table constraints as written, kept as they are

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name.lower() == name.lower()), None)
