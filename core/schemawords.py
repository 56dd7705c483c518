"""Schema differences in plain words, made from the facts of :mod:`core.schemadiff`.

One sentence per difference, naming the object and saying what the file has
where the version has something else: "ledger.debit is TEXT where version 4
has REAL". Only names and declared types appear, never a row's values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from core.schemadiff import Comparison, Difference, Kind


def _default(value: str | None) -> str:
    return f"default {value}" if value is not None else "no default"


def _pk(position: str | None) -> str:
    return "is in the primary key" if position not in (None, "0") else "is not in the primary key"


def _generated(hidden: str | None) -> str:
    return "a generated column" if hidden in ("2", "3") else "a plain column"


def _has(flag: str | None, word: str) -> str:
    return f"has {word}" if flag else f"has no {word}"


_SENTENCES: dict[Kind, Callable[[Difference, str], str]] = {
    Kind.MISSING_TABLE: lambda d, v: f"table {d.table} is missing",
    Kind.MISSING_COLUMN: lambda d, v: (
        f"{d.table} has no column `{d.object}` ({d.expected or 'untyped'} in {v})"
    ),
    Kind.COLUMN_TYPE: lambda d, v: (
        f"{d.table}.{d.object} is {d.found or 'untyped'} where {v} has {d.expected or 'no type'}"
    ),
    Kind.COLUMN_DEFAULT: lambda d, v: (
        f"{d.table}.{d.object} has {_default(d.found)} where {v} has {_default(d.expected)}"
    ),
    Kind.COLUMN_NOT_NULL: lambda d, v: (
        f"{d.table}.{d.object} is NOT NULL where {v} allows empty values"
        if d.found
        else f"{d.table}.{d.object} allows empty values where {v} has NOT NULL"
    ),
    Kind.COLUMN_PRIMARY_KEY: lambda d, v: (
        f"{d.table}.{d.object} {_pk(d.found)} where in {v} it {_pk(d.expected)}"
    ),
    Kind.COLUMN_GENERATED: lambda d, v: (
        f"{d.table}.{d.object} is {_generated(d.found)} where {v} has {_generated(d.expected)}"
    ),
    Kind.AUTOINCREMENT: lambda d, v: (
        f"{d.table} {_has(d.found, 'AUTOINCREMENT')} where {v} {_has(d.expected, 'it')}"
    ),
    Kind.WITHOUT_ROWID: lambda d, v: (
        f"{d.table} is {'a' if d.found else 'not a'} WITHOUT ROWID table "
        f"where {v} {'makes' if d.expected else 'does not make'} it one"
    ),
    Kind.MISSING_UNIQUE: lambda d, v: f"{d.table}.{d.object} is not kept unique as in {v}",
    Kind.MISSING_FOREIGN_KEY: lambda d, v: f"{d.table} lacks the link {d.object} of {v}",
    Kind.FOREIGN_KEY_DIFFERS: lambda d, v: (
        f"{d.table}.{d.object} links {d.found} where {v} links {d.expected}"
    ),
    Kind.MISSING_INDEX: lambda d, v: f"index {d.object} is missing",
    Kind.INDEX_DIFFERS: lambda d, v: (
        f"index {d.object} is `{d.found}` where {v} has `{d.expected}`"
    ),
    Kind.INDEX_ON_CONSTANT: lambda d, v: (
        f"index {d.object} is on a constant, `{d.found}`, so it indexes nothing; "
        f"{v} has it on `{d.expected}`"
    ),
    Kind.MISSING_TRIGGER: lambda d, v: f"trigger {d.object} on {d.table} is missing",
    Kind.TRIGGER_DIFFERS: lambda d, v: (
        f"trigger {d.object} on {d.table} does something other than in {v}"
    ),
    Kind.MISSING_VIEW: lambda d, v: f"view {d.table} is missing",
    Kind.VIEW_DIFFERS: lambda d, v: f"view {d.table} reads something other than in {v}",
    Kind.EXTRA_TABLE: lambda d, v: f"{d.table} is a table that no migration made",
    Kind.EXTRA_COLUMN: lambda d, v: (
        f"{d.table} has an extra column `{d.object}` that no migration made"
    ),
    Kind.EXTRA_UNIQUE: lambda d, v: (
        f"{d.table}.{d.object} is kept unique, which no migration asked for"
    ),
    Kind.EXTRA_FOREIGN_KEY: lambda d, v: f"{d.table} has a link {d.object} that no migration made",
    Kind.EXTRA_INDEX: lambda d, v: f"index {d.object} on {d.table} is one no migration made",
    Kind.EXTRA_TRIGGER: lambda d, v: f"trigger {d.object} on {d.table} is one no migration made",
    Kind.EXTRA_VIEW: lambda d, v: f"view {d.table} is one no migration made",
}


def describe(difference: Difference, version: int) -> str:
    """One difference as a sentence (no full stop), against version ``version``."""
    return _SENTENCES[difference.kind](difference, f"version {version}")


def first_differences(comparison: Comparison, version: int, limit: int = 3) -> str:
    """The first few differences in one sentence, for a status line."""
    shown = [describe(d, version) for d in comparison.differences[:limit]]
    more = len(comparison.differences) - len(shown)
    text = "; ".join(shown)
    if more:
        text += f"; and {more} more (the check lists them all)"
    return text + "." if text else ""  # names keep their case, even first


def report_lines(comparison: Comparison, version: int) -> Sequence[str]:
    """Every difference, then every extra, one line each: the check's report."""
    lines = [f"- {describe(d, version)}" for d in comparison.differences]
    if comparison.extras:
        lines.append("Also in the file, left as they are (no migration made them):")
        lines += [f"- {describe(d, version)}" for d in comparison.extras]
    return lines
