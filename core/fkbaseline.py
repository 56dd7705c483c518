"""Broken links already in the file before a step, known without running the step twice.

A step fails only on foreign-key violations it introduced, so the engine
needs the count before the step for each table it checks afterwards. The
state before the upgrade is known: the verified backup is an exact copy of
it, read only for a table that shows violations after a step. Without a copy
(``backup=False``, a rehearsal's copy) every table is counted once, inside the
first step's lock. From then on the counts after each step are carried to the
next. If another program commits between steps (``PRAGMA data_version``
moves), what was known is dropped and counted again on the file itself.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from core import fkcheck
from core.connection import open_readonly


class Baseline:
    """Violations per (child, parent) in the state before the running step."""

    def __init__(self, conn: sqlite3.Connection, copy: Path | None = None) -> None:
        self._copy = copy
        self._known: dict[str, fkcheck.Violations] = {}
        self._everything_known = False
        self._data_version = _data_version(conn)

    def use_copy(self, copy: Path | None) -> None:
        """The verified backup, made after this baseline started watching the file."""
        self._copy = copy

    def step_starting(self, conn: sqlite3.Connection) -> None:
        """Call inside the step's lock, before the migration runs."""
        now = _data_version(conn)
        if now != self._data_version:  # another program committed: the copy is stale too
            self._known.clear()
            self._copy, self._everything_known = None, False
        self._data_version = now
        if self._copy is None and not self._everything_known:
            tables = {t for t, fks in fkcheck.foreign_keys(conn).items() if fks}
            self._remember(tables, fkcheck.count_violations(conn, tables))
            self._everything_known = True

    def before(self, tables: set[str]) -> fkcheck.Violations:
        """The counts in ``tables`` before the step (a table unknown so far had none)."""
        unknown = {t for t in tables if t not in self._known}
        if unknown and self._copy is not None:
            self._remember(unknown, _count_in_copy(self._copy, unknown))
        counts: fkcheck.Violations = Counter()
        for table in tables:
            counts.update(self._known.get(table, Counter()))
        return counts

    def step_committed(self, tables: set[str], after: fkcheck.Violations) -> None:
        self._remember(tables, after)

    def _remember(self, tables: set[str], counts: fkcheck.Violations) -> None:
        for table in tables:
            self._known[table] = Counter({k: n for k, n in counts.items() if k[0] == table})


def _data_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def _count_in_copy(copy: Path, tables: set[str]) -> fkcheck.Violations:
    conn = open_readonly(copy)
    try:
        present = {t for t in tables if t in fkcheck.foreign_keys(conn)}
        return fkcheck.count_violations(conn, present)
    finally:
        conn.close()
