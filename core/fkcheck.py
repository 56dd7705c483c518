"""Foreign-key checks limited to what a migration can have changed.

A whole-file ``PRAGMA foreign_key_check`` costs over a second per migration on
a million-row ledger, and real files already hold orphans (ledger rows naming
flats with no resident). So the engine checks only tables whose rows the
migration wrote, tables whose foreign-key declarations changed, and the
children of tables it deleted from; and it counts violations per
(child, parent) pair so that old orphans are reported, never "fixed", while
new ones fail the migration.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from core.guard import WriteLog
from core.schema import quote, user_tables

ForeignKeys = dict[str, tuple[tuple[str, str, str | None], ...]]
Violations = Counter[tuple[str, str]]


def foreign_keys(conn: sqlite3.Connection) -> ForeignKeys:
    """Every table's declared foreign keys: schema only, no row is read."""
    result: ForeignKeys = {}
    for table in user_tables(conn):
        rows = conn.execute(f"PRAGMA foreign_key_list({quote(table)})").fetchall()
        result[table.lower()] = tuple((r[3], r[2].lower(), r[4]) for r in rows)
    return result


def tables_to_check(before: ForeignKeys, after: ForeignKeys, log: WriteLog) -> set[str]:
    """Child tables in which the migration can have created a violation."""
    suspects = {t for t in log.written if after.get(t)}
    suspects |= {t for t, fks in after.items() if fks and before.get(t) != fks}
    for table, fks in after.items():
        if any(parent in log.removed_or_changed for _, parent, _ in fks):
            suspects.add(table)
    return {t for t in suspects if t in after}


def count_violations(conn: sqlite3.Connection, tables: set[str]) -> Violations:
    """Violations per (child table, parent table) among ``tables``."""
    counts: Violations = Counter()
    for table in sorted(tables):
        try:
            rows = conn.execute(f"PRAGMA foreign_key_check({quote(table)})").fetchall()
        except sqlite3.OperationalError as exc:
            if "foreign key mismatch" in str(exc):
                # The declared parent key isn't unique: SQLite cannot check it.
                continue
            raise
        for row in rows:
            counts[(row[0].lower(), row[2].lower())] += 1
    return counts


def introduced(before: Violations, after: Violations) -> Violations:
    """Violations present after the migration beyond those it found."""
    return Counter(
        {key: n - before.get(key, 0) for key, n in after.items() if n > before.get(key, 0)}
    )


def describe(violations: Violations) -> str:
    return "; ".join(
        f"{n} row{'s' if n != 1 else ''} in {child} point to missing {parent} rows"
        for (child, parent), n in sorted(violations.items())
    )
