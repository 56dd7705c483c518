"""The rule for every migration: run on a file that already has its effect, it changes nothing.

Files reach us with parts of a migration's work already done (by hand, by the
app's own manager, by an adoption that places a file by its schema), so each
migration states intent and guards a data change by the shape it changes. The
proof: upgrade every starting point, then run each shipped migration a second
time, the way the engine runs it (one write transaction, foreign keys off,
under the migration guard), and compare the whole file (schema SQL and every
row) with what it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import snapshot, starting_points
from helpers.migration_files import copy_shipped, write_migration
from helpers.starting_points import STARTING_POINTS

from core import api
from core.connection import open_readwrite
from core.discovery import Catalog, load_catalog
from core.guard import WriteLog


def run_again(db: Path, catalog: Catalog, version: int) -> bool:
    """Run one migration's ``upgrade(conn)`` once more, committed like the engine does.

    False if it raised (the engine would have rolled it back and stopped the upgrade).
    """
    conn = open_readwrite(db)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            with conn.guarded(WriteLog()):
                catalog.get(version).upgrade(conn)
        except Exception:
            conn.execute("ROLLBACK")
            return False
        conn.execute("COMMIT")
        return True
    finally:
        conn.close()


def second_runs_not_harmless(db: Path, catalog: Catalog) -> list[int]:
    """Upgrade ``db`` fully, then the versions whose second run failed or changed anything."""
    api.upgrade(db, catalog=catalog, backup=False)
    bad = []
    for migration in catalog.migrations:
        before = snapshot.content(db)
        if not run_again(db, catalog, migration.version) or snapshot.content(db) != before:
            bad.append(migration.version)
    return bad


@pytest.mark.parametrize("name", starting_points.params())
def test_every_shipped_migration_run_a_second_time_changes_nothing(tmp_path, name):
    db = STARTING_POINTS[name](tmp_path / "society.db")
    assert second_runs_not_harmless(db, load_catalog()) == []


@pytest.mark.parametrize(
    "body",
    [
        "conn.execute(\"UPDATE ledger SET description = description || ' (checked)'\")",
        "conn.execute(\"INSERT INTO society (name) VALUES ('Another society')\")",
        "conn.execute('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY)')\n"
        "conn.execute('ALTER TABLE notes ADD COLUMN body TEXT')",
    ],
    ids=["unguarded update", "unguarded insert", "unguarded alter (fails the second time)"],
)
def test_the_proof_catches_a_migration_that_is_not_idempotent(tmp_path, body):
    """A test that could not fail would prove nothing: plant a careless 011 and watch."""
    folder = copy_shipped(tmp_path / "migrations")
    latest = load_catalog(folder).latest
    write_migration(folder, latest + 1, "careless", body)
    db = STARTING_POINTS["merged_by_hand"](tmp_path / "society.db")
    assert second_runs_not_harmless(db, load_catalog(folder)) == [latest + 1]
