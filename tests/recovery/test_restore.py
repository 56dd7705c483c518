"""Restore: a verified backup goes back in place; the replaced file is kept aside."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers.snapshot import assert_same_content, assert_same_rows, content, version

from core import api
from core.errors import BackupFailed


def _upgraded_with_backup(db: Path) -> Path:
    result = api.upgrade(db)
    assert result.backup is not None
    return result.backup


def test_restore_puts_the_backup_back_and_keeps_the_replaced_file(legacy_db: Path) -> None:
    original = content(legacy_db)
    backup = _upgraded_with_backup(legacy_db)
    upgraded = content(legacy_db)

    result = api.restore(backup, legacy_db)

    assert_same_content(original, content(legacy_db))
    assert result.restored_version == 0
    assert result.replaced_kept_at is not None
    assert "_replaced_" in result.replaced_kept_at.name
    assert_same_content(upgraded, content(result.replaced_kept_at))


def test_a_damaged_backup_is_refused_and_nothing_changes(legacy_db: Path) -> None:
    backup = _upgraded_with_backup(legacy_db)
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])
    before = legacy_db.read_bytes()
    kept_before = sorted(p.name for p in backup.parent.iterdir())

    with pytest.raises(BackupFailed, match="not changed"):
        api.restore(backup, legacy_db)

    assert legacy_db.read_bytes() == before
    assert sorted(p.name for p in backup.parent.iterdir()) == kept_before


def test_a_file_of_another_program_is_not_restored(legacy_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, caption TEXT)")
    conn.commit()
    conn.close()
    before = legacy_db.read_bytes()

    with pytest.raises(BackupFailed, match="other program"):
        api.restore(other, legacy_db)
    assert legacy_db.read_bytes() == before


def test_restore_over_a_damaged_database_replaces_it_and_keeps_its_bytes(
    legacy_db: Path,
) -> None:
    backup = _upgraded_with_backup(legacy_db)
    legacy_db.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)  # broken beyond use

    result = api.restore(backup, legacy_db)

    assert version(legacy_db) == 0
    assert api.status(legacy_db).state == "unversioned"
    assert result.replaced_kept_at is not None
    assert result.replaced_kept_at.read_bytes() == b"SQLite format 3\x00" + b"\x13" * 5000


def test_restore_keeps_the_database_private(legacy_db: Path) -> None:
    legacy_db.chmod(0o600)
    backup = _upgraded_with_backup(legacy_db)
    assert backup.stat().st_mode & 0o777 == 0o600

    result = api.restore(backup, legacy_db)

    assert legacy_db.stat().st_mode & 0o777 == 0o600
    assert result.replaced_kept_at is not None
    assert result.replaced_kept_at.stat().st_mode & 0o777 == 0o600


def test_restore_into_a_wal_database_keeps_wal_mode(legacy_db: Path) -> None:
    conn = sqlite3.connect(legacy_db)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.close()
    original_rows = content(legacy_db).rows
    backup = _upgraded_with_backup(legacy_db)

    api.restore(backup, legacy_db)

    conn = sqlite3.connect(legacy_db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    assert_same_rows(original_rows, content(legacy_db).rows)


def test_backups_are_listed_newest_first_with_their_versions(legacy_db: Path) -> None:
    api.upgrade(legacy_db, target=2)
    api.upgrade(legacy_db)

    listed = api.list_backups(legacy_db)

    assert [b.version for b in listed] == [2, 0]
    assert all(b.path.parent.name == "backups" for b in listed)


def test_no_backup_folder_means_no_backups(legacy_db: Path) -> None:
    assert api.list_backups(legacy_db) == []
