"""The Society app's one start-up call, and the safety copy taken before upgrading."""

from __future__ import annotations

import re
import sqlite3
import stat

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT

from core import api
from core.events import BackupDone
from core.status import State
from samples.legacy import Shape, build

BACKUP_NAME = re.compile(r"^society_v(?P<version>\d+)_\d{8}-\d{6}(-\d+)?\.db$")


def test_ensure_current_creates_and_initialises_a_missing_file(tmp_path):
    db = tmp_path / "first run" / "society.db"
    result = api.ensure_current(db)
    assert db.is_file() and result.to_version == SHIPPED_COUNT
    assert api.status(db).state is State.UP_TO_DATE
    assert not (db.parent / "backups").exists(), "a new file has nothing to back up"


def test_ensure_current_on_an_up_to_date_file_changes_nothing(legacy_db):
    api.ensure_current(legacy_db)
    data = legacy_db.read_bytes()
    mtime = legacy_db.stat().st_mtime_ns
    backups = sorted((legacy_db.parent / "backups").iterdir())

    result = api.ensure_current(legacy_db)

    assert result.applied == () and result.backup is None
    assert legacy_db.read_bytes() == data and legacy_db.stat().st_mtime_ns == mtime
    assert sorted((legacy_db.parent / "backups").iterdir()) == backups
    assert sorted(p.name for p in legacy_db.parent.iterdir()) == ["backups", legacy_db.name]


def test_ensure_current_upgrades_a_field_file_with_a_backup(legacy_db):
    result = api.ensure_current(legacy_db)
    assert result.to_version == SHIPPED_COUNT and result.backup is not None
    assert result.backup.is_file()


def test_upgrade_makes_a_verified_backup_beside_the_file(legacy_db):
    legacy_db.chmod(0o600)
    before = snapshot.content(legacy_db)
    events = []

    result = api.upgrade(legacy_db, on_event=events.append)

    backups = list((legacy_db.parent / "backups").iterdir())
    assert backups == [result.backup]
    match = BACKUP_NAME.match(result.backup.name)
    assert match and int(match["version"]) == 0
    assert stat.S_IMODE(result.backup.stat().st_mode) == 0o600
    snapshot.assert_same_content(before, snapshot.content(result.backup))
    assert [e.destination for e in events if isinstance(e, BackupDone)] == [result.backup]


def test_the_backup_is_never_more_open_than_the_original(legacy_db):
    legacy_db.chmod(0o640)
    result = api.upgrade(legacy_db)
    assert stat.S_IMODE(result.backup.stat().st_mode) == 0o640


def test_a_partly_upgraded_file_is_backed_up_at_its_version(legacy_db):
    api.upgrade(legacy_db, target=2, backup=False)
    result = api.upgrade(legacy_db)
    assert int(BACKUP_NAME.match(result.backup.name)["version"]) == 2
    assert snapshot.version(result.backup) == 2


def test_a_backup_never_overwrites_an_earlier_one_of_the_same_name(legacy_db):
    target = legacy_db.parent / "backups" / "society_v0_same.db"
    first = api.backup(legacy_db, out=target)
    api.upgrade(legacy_db, target=1, backup=False)
    second = api.backup(legacy_db, out=target)
    assert first == target and second != target and second.is_file()
    assert (snapshot.version(first), snapshot.version(second)) == (0, 1)


def test_no_backup_when_asked_for_none(legacy_db):
    result = api.upgrade(legacy_db, backup=False)
    assert result.backup is None and result.to_version == SHIPPED_COUNT
    assert not (legacy_db.parent / "backups").exists()


def test_no_backup_of_an_empty_file(tmp_path):
    db = build(tmp_path / "society.db", Shape.EMPTY_FILE)
    assert api.upgrade(db).backup is None
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize("shape", [Shape.FIRST_RELEASE, Shape.LATEST_CODE], ids=str)
def test_a_backup_left_no_partial_files(tmp_path, shape):
    db = build(tmp_path / "society.db", shape, residents=10, ledger_rows=30)
    api.upgrade(db)
    assert [p.suffix for p in (tmp_path / "backups").iterdir()] == [".db"]


def test_a_wal_mode_file_is_backed_up_as_one_self_contained_file(legacy_db):
    conn = sqlite3.connect(legacy_db)
    try:
        assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    finally:
        conn.close()
    before = snapshot.content(legacy_db)

    result = api.upgrade(legacy_db)

    assert result.to_version == SHIPPED_COUNT
    copy = snapshot.connect_ro(result.backup)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        copy.close()
    snapshot.assert_same_content(before, snapshot.content(result.backup))
    assert sorted(p.name for p in result.backup.parent.iterdir()) == [result.backup.name]
