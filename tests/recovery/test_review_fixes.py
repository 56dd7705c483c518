"""Messages that say exactly what changed, and upgrades that don't wait when idle."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers.migration_files import ROOT, SHIPPED_COUNT
from helpers.snapshot import assert_same_content, content, version

from core import api
from core.api import CancelToken
from core.errors import BackupFailed, DatabaseLocked
from core.events import BackupProgress, MigrationApplied
from core.marker import marker_path


def test_a_lock_taken_between_steps_says_where_the_upgrade_stopped(legacy_db: Path) -> None:
    holder = sqlite3.connect(legacy_db, isolation_level=None)

    def grab_the_lock_after_the_first_step(event: object) -> None:
        if isinstance(event, MigrationApplied) and event.step.version == 1:
            holder.execute("BEGIN IMMEDIATE")  # the Society app starts writing

    try:
        with pytest.raises(DatabaseLocked) as caught:
            api.upgrade(
                legacy_db,
                backup=False,
                lock_timeout=0.3,
                on_event=grab_the_lock_after_the_first_step,
            )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert caught.value.outcome.applied == (1,) and caught.value.file_changed
    message = str(caught.value)
    assert message == caught.value.args[0]
    assert "not changed" not in message
    assert "stopped at version 1" in message and "1 migration had been applied" in message
    assert version(legacy_db) == 1


def test_an_up_to_date_file_is_checked_without_waiting_for_a_busy_app(legacy_db: Path) -> None:
    api.upgrade(legacy_db, backup=False)
    holder = sqlite3.connect(legacy_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the app is in the middle of a write
    try:
        result = api.ensure_current(legacy_db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (result.from_version, result.to_version) == (SHIPPED_COUNT, SHIPPED_COUNT)
    assert result.applied == ()


def test_an_upgrade_that_gives_up_keeps_another_upgrades_crash_note(legacy_db: Path) -> None:
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        note = {
            "version": 2,
            "description": "Add car and scooter number plates",
            "started_at": "2026-01-01T00:00:00+00:00",
            "backup": None,
            "pid": other.pid,
        }
        marker_path(legacy_db).write_text(json.dumps(note), encoding="utf-8")
        holder = sqlite3.connect(legacy_db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(DatabaseLocked):
                api.upgrade(legacy_db, backup=False, lock_timeout=0.2)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert json.loads(marker_path(legacy_db).read_text(encoding="utf-8")) == note
    finally:
        other.kill()
        other.wait()


def test_restore_that_cannot_keep_the_current_file_aside_changes_nothing(
    legacy_db: Path, tmp_path: Path
) -> None:
    made = api.backup(legacy_db, out=tmp_path / "kept.db")
    api.upgrade(legacy_db, backup=False)
    (legacy_db.parent / "backups").write_text("a file where the backups folder should be")
    before = legacy_db.read_bytes()

    with pytest.raises(BackupFailed, match="could not be kept aside"):
        api.restore(made, legacy_db)
    assert legacy_db.read_bytes() == before

    cli = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "restore", str(made), str(legacy_db)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert cli.returncode == 2
    assert "Traceback" not in cli.stderr and "not changed" in cli.stderr
    assert legacy_db.read_bytes() == before


def test_a_cancelled_rehearsal_says_it_was_stopped(legacy_db: Path) -> None:
    token = CancelToken()
    token.cancel()

    rehearsal = api.rehearse(legacy_db, cancel=token)

    assert rehearsal.cancelled and not rehearsal.succeeded
    assert "stopped as asked" in rehearsal.text
    assert "would succeed" not in rehearsal.text


def test_the_backup_is_one_consistent_snapshot_while_the_app_keeps_writing(
    legacy_db: Path,
) -> None:
    setup = sqlite3.connect(legacy_db)
    assert setup.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    setup.close()
    app = sqlite3.connect(legacy_db, isolation_level=None)
    writes = 0

    def app_writes_during_the_copy(event: object) -> None:
        nonlocal writes
        if isinstance(event, BackupProgress):
            app.execute("INSERT INTO society (name) VALUES ('written during the backup')")
            writes += 1

    try:
        made = api.backup(legacy_db, on_event=app_writes_during_the_copy)
    finally:
        app.close()
    assert writes >= 1
    with_writes = content(legacy_db)
    copy = content(made)
    assert len(copy.rows["society"]) == len(with_writes.rows["society"]) - writes
    assert copy.version == with_writes.version


def test_backups_are_private_while_being_written(legacy_db: Path) -> None:
    legacy_db.chmod(0o600)
    folder = legacy_db.parent / "backups"
    folder.mkdir(mode=0o755)  # an existing, more open folder
    modes: list[int] = []

    def look_at_the_partial_copy(event: object) -> None:
        if isinstance(event, BackupProgress):
            modes.extend(p.stat().st_mode & 0o777 for p in folder.glob("*.partial"))

    before = content(legacy_db)
    api.backup(legacy_db, on_event=look_at_the_partial_copy)
    assert modes and all(m == 0o600 for m in modes)
    assert os.listdir(folder) and not list(folder.glob("*.partial"))
    assert_same_content(before, content(legacy_db))  # looking at the copy changed nothing


def test_half_made_copies_of_killed_backups_are_removed_live_ones_kept(legacy_db: Path) -> None:
    folder = legacy_db.parent / "backups"
    folder.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        stale = folder / f"society_v0_20260101-000000.db.{dead.pid}.partial"
        busy = folder / f"society_v0_20260101-000001.db.{alive.pid}.partial"
        for path in (stale, busy):
            path.write_bytes(b"SQLite format 3\x00 half a copy")

        api.backup(legacy_db)

        assert not stale.exists()  # its backup was killed: personal data, no owner
        assert busy.exists()  # another backup is still writing it
    finally:
        alive.kill()
        alive.wait()


def test_an_app_reading_the_file_makes_the_commit_wait_not_fail(legacy_db: Path) -> None:
    reader = sqlite3.connect(legacy_db, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM residents").fetchone()  # the app shows a report
    finishes = threading.Timer(0.5, reader.execute, args=("ROLLBACK",))
    finishes.start()
    try:
        result = api.upgrade(legacy_db, backup=False)
    finally:
        finishes.join()
        reader.close()
    assert result.to_version == SHIPPED_COUNT == version(legacy_db)
