"""Fault injection that breaks each safety promise at once, in a fast test.

Each test was checked by breaking the code on purpose: writing the version
and history row after COMMIT, dropping the backup's comparison, dropping the
integrity check of an upgrade without a backup, and restore into a WAL file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT, write_migration
from helpers.sql import run_sql

import core.backup
from core import api
from core.errors import BackupFailed, DatabaseCorrupt, MigrationFailed
from core.schema import table_exists
from core.version import HISTORY_TABLE

NEXT = SHIPPED_COUNT + 1


def test_a_failing_history_row_rolls_back_the_migrations_ddl_and_keeps_the_version(
    legacy_db: Path, migrations_dir: Path
) -> None:
    """The version and the history row are written inside the step's transaction."""
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    run_sql(  # the tool's own shape, plus a constraint that refuses the next row
        legacy_db,
        f"ALTER TABLE {HISTORY_TABLE} RENAME TO old_history",
        f"CREATE TABLE {HISTORY_TABLE} (version INTEGER PRIMARY KEY "
        f"CHECK (version <= {SHIPPED_COUNT}), name TEXT NOT NULL, description TEXT, "
        "checksum TEXT, applied_at TEXT, duration_ms REAL, tool_version TEXT)",
        f"INSERT INTO {HISTORY_TABLE} SELECT * FROM old_history",
        "DROP TABLE old_history",
    )
    write_migration(migrations_dir, NEXT, "add_notes", 'conn.execute("CREATE TABLE notes (x)")')

    with pytest.raises(MigrationFailed, match="CHECK constraint failed"):
        api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)

    assert snapshot.version(legacy_db) == SHIPPED_COUNT
    conn = snapshot.connect_ro(legacy_db)
    try:
        assert not table_exists(conn, "notes"), "the migration's DDL outlived its history row"
    finally:
        conn.close()


def doctor_the_copy(monkeypatch: pytest.MonkeyPatch, *statements: str) -> None:
    """Let the real copy be made, then change it before it is verified."""
    real_copy = core.backup._copy

    def copy_then_doctor(conn, partial, progress):  # type: ignore[no-untyped-def]
        real_copy(conn, partial, progress)
        run_sql(partial, *statements)

    monkeypatch.setattr(core.backup, "_copy", copy_then_doctor)


@pytest.mark.parametrize(
    "doctoring",
    [
        "DELETE FROM residents WHERE rowid = (SELECT min(rowid) FROM residents)",
        "PRAGMA user_version = 77",
    ],
    ids=["a-row-missing", "another-version"],
)
def test_a_copy_that_differs_from_the_database_is_rejected(
    legacy_db: Path, monkeypatch: pytest.MonkeyPatch, doctoring: str
) -> None:
    before = snapshot.content(legacy_db)
    doctor_the_copy(monkeypatch, doctoring)

    with pytest.raises(BackupFailed, match="same rows"):
        api.upgrade(legacy_db)

    snapshot.assert_same_content(before, snapshot.content(legacy_db))
    assert not list((legacy_db.parent / "backups").glob("*.db")), "a bad copy was kept"


def damage_an_index(db: Path) -> None:
    """Overwrite one index's root page with garbage; the table pages stay readable."""
    run_sql(db, "CREATE INDEX damaged_idx ON residents(flat_no)")
    conn = sqlite3.connect(db)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'damaged_idx'"
        ).fetchone()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
    finally:
        conn.close()
    with db.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * page_size)


def test_an_upgrade_without_a_backup_refuses_a_file_with_a_damaged_index(
    legacy_db: Path,
) -> None:
    damage_an_index(legacy_db)
    assert api.status(legacy_db).state == "unversioned", "the damage must not show on a look"
    before = legacy_db.read_bytes()

    with pytest.raises(DatabaseCorrupt, match="damaged"):
        api.upgrade(legacy_db, backup=False)

    assert legacy_db.read_bytes() == before


def test_an_upgrade_with_a_backup_refuses_it_too(legacy_db: Path) -> None:
    damage_an_index(legacy_db)
    before = legacy_db.read_bytes()

    with pytest.raises((DatabaseCorrupt, BackupFailed)):
        api.upgrade(legacy_db)

    assert legacy_db.read_bytes() == before
