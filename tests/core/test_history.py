"""The history table records each applied migration; status reads it back."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from importlib import metadata

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT, shipped_file, write_migration

from core import api
from core.discovery import file_checksum, load_catalog
from core.errors import MigrationFailed
from core.version import HISTORY_TABLE


def installed_version() -> str:
    """What the package metadata says, read here independently of ``core.version``."""
    try:
        return metadata.version("society-db-migrator")
    except metadata.PackageNotFoundError:
        return "unknown"


def history_rows(db):
    return snapshot.rows(
        db,
        HISTORY_TABLE,
        ["version", "name", "description", "checksum", "applied_at", "duration_ms", "tool_version"],
    )


def test_each_applied_migration_is_recorded_with_checksum_time_and_tool(legacy_db):
    started = datetime.now(UTC).replace(microsecond=0)
    api.upgrade(legacy_db, backup=False)
    finished = datetime.now(UTC)
    catalog = load_catalog()
    rows = history_rows(legacy_db)
    assert [r[0] for r in rows] == list(range(1, SHIPPED_COUNT + 1))
    for row, migration in zip(rows, catalog.migrations, strict=True):
        version, name, description, checksum, applied_at, duration_ms, tool = row
        assert version == migration.version
        assert (name, description) == (migration.name, migration.description)
        assert checksum == file_checksum(migration.path)
        when = datetime.fromisoformat(applied_at)
        assert when.utcoffset() == timedelta(0), "applied_at must be UTC"
        assert started <= when <= finished
        assert duration_ms >= 0
        assert tool == installed_version()


def test_a_step_by_step_upgrade_records_one_row_per_migration(legacy_db):
    for target in range(1, SHIPPED_COUNT + 1):
        api.upgrade(legacy_db, target=target, backup=False)
        assert [r[0] for r in history_rows(legacy_db)] == list(range(1, target + 1))


def test_a_file_upgraded_before_history_existed_shows_applied_without_dates(legacy_db):
    api.upgrade(legacy_db, backup=False)
    conn = sqlite3.connect(legacy_db)
    try:
        conn.execute(f"DROP TABLE {HISTORY_TABLE}")
        conn.commit()
    finally:
        conn.close()
    found = api.status(legacy_db)
    assert found.current_version == SHIPPED_COUNT
    assert [m.status for m in found.migrations] == ["applied"] * SHIPPED_COUNT
    assert all(m.applied_at is None and m.duration_ms is None for m in found.migrations)
    assert found.changed == ()


def test_editing_an_applied_migration_is_reported_as_changed(legacy_db, migrations_dir):
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    assert api.status(legacy_db, migrations_dir).changed == ()
    edited = shipped_file(migrations_dir, 2)
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# tidied up later\n")

    found = api.status(legacy_db, migrations_dir)
    assert [m.version for m in found.changed] == [2]
    assert found.migrations[1].changed_since_applied
    assert found.migrations[1].status == "applied"


def test_a_failed_migration_leaves_no_history_row(legacy_db, migrations_dir):
    write_migration(migrations_dir, SHIPPED_COUNT + 1, "boom", "raise RuntimeError('no')")
    with pytest.raises(MigrationFailed):
        api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    assert [r[0] for r in history_rows(legacy_db)] == list(range(1, SHIPPED_COUNT + 1))


def test_upgrading_a_file_with_a_changed_migration_says_so(legacy_db, migrations_dir):
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False, target=2)
    edited = shipped_file(migrations_dir, 2)
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# tidied up later\n")
    said: list[str] = []

    api.upgrade(
        legacy_db,
        migrations_dir=migrations_dir,
        backup=False,
        on_event=lambda e: said.append(e.text),
    )

    assert [t for t in said if "changed after it was applied" in t] == [
        "Migration 002 was changed after it was applied to this file; "
        "the file was upgraded by different code than this tool ships."
    ]
