"""Two upgraders on one file apply each migration once; a held lock is waited for."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT, write_migration

from core import api
from core.errors import DatabaseLocked, DatabaseTooNew
from core.events import Notice
from core.version import HISTORY_TABLE

ROOT = Path(__file__).resolve().parents[2]

UPGRADER = """
import json, os, sys
from pathlib import Path
from core import api
from core.events import Notice
path, folder, ready = sys.argv[1], sys.argv[2], Path(sys.argv[3])

def on_event(event):
    if isinstance(event, Notice) and "waiting" in event.text:
        (ready / str(os.getpid())).touch()

result = api.upgrade(path, migrations_dir=folder, backup=False, lock_timeout=60, on_event=on_event)
print(json.dumps([result.from_version, [step.version for step in result.applied]]))
"""

# Each test migration leaves one row per run in a side-effect table.
SIDE_EFFECT = """
import os, time
conn.execute("CREATE TABLE IF NOT EXISTS upgrade_runs (version INTEGER, pid INTEGER)")
conn.execute("INSERT INTO upgrade_runs VALUES (?, ?)", ({version}, os.getpid()))
time.sleep(0.15)
"""


@pytest.mark.slow
def test_two_processes_upgrading_one_file_apply_each_migration_once(
    legacy_db, migrations_dir, tmp_path
):
    extra = range(SHIPPED_COUNT + 1, SHIPPED_COUNT + 4)
    for version in extra:
        write_migration(migrations_dir, version, "side_effect", SIDE_EFFECT.format(version=version))
    latest = extra[-1]
    ready = tmp_path / "waiting"
    ready.mkdir()
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(legacy_db, held, release))
    holder.start()
    assert held.wait(10)
    try:
        upgraders = [
            subprocess.Popen(
                [sys.executable, "-c", UPGRADER, str(legacy_db), str(migrations_dir), str(ready)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        deadline = time.monotonic() + 30
        while len(list(ready.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)  # both are now queued behind the lock: let them race
    finally:
        release.set()
        holder.join(10)
    outputs = [p.communicate(timeout=60) for p in upgraders]
    assert [p.returncode for p in upgraders] == [0, 0], [err[-500:] for _, err in outputs]
    assert len(list(ready.iterdir())) == 2, "the two upgrades did not wait for the same lock"

    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert [start for start, _ in reports] == [0, 0]
    applied = [steps for _, steps in reports]
    assert sorted(applied[0] + applied[1]) == list(range(1, latest + 1))
    assert snapshot.version(legacy_db) == latest
    assert [r[0] for r in snapshot.rows(legacy_db, HISTORY_TABLE, ["version"])] == list(
        range(1, latest + 1)
    )
    assert [r[0] for r in snapshot.rows(legacy_db, "upgrade_runs", ["version"])] == list(extra)


def hold_write_lock(
    db: Path,
    held: threading.Event,
    release: threading.Event,
    change: str = "UPDATE society SET name = 'being edited'",
    finish: str = "ROLLBACK",
) -> None:
    """Another program mid-write: BEGIN IMMEDIATE and an uncommitted change."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(change)
        held.set()
        release.wait(30)
        conn.execute(finish)
    finally:
        conn.close()


@pytest.fixture
def lock_holder(legacy_db):
    held, release = threading.Event(), threading.Event()
    thread = threading.Thread(target=hold_write_lock, args=(legacy_db, held, release))
    thread.start()
    assert held.wait(10)
    yield release
    release.set()
    thread.join(10)


def waiting_notices(events) -> list[str]:
    return [e.text for e in events if isinstance(e, Notice) and "waiting" in e.text]


def test_a_held_write_lock_past_the_timeout_is_refused_and_changes_nothing(legacy_db, lock_holder):
    before = legacy_db.read_bytes()
    events = []
    began = time.monotonic()
    with pytest.raises(DatabaseLocked) as locked:
        api.upgrade(legacy_db, backup=False, lock_timeout=0.5, on_event=events.append)
    assert 0.5 <= time.monotonic() - began < 5
    assert "not changed" in str(locked.value)
    assert len(waiting_notices(events)) == 1
    lock_holder.set()
    assert legacy_db.read_bytes() == before


def test_an_upgrade_waits_for_a_lock_released_in_time(legacy_db, lock_holder):
    events = []
    timer = threading.Timer(0.4, lock_holder.set)
    timer.start()
    try:
        result = api.upgrade(legacy_db, backup=False, lock_timeout=20, on_event=events.append)
    finally:
        timer.cancel()
    assert result.to_version == SHIPPED_COUNT
    assert len(waiting_notices(events)) == 1
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("Notice") < kinds.index("MigrationStarted")


def test_the_version_is_read_again_once_the_lock_is_ours(legacy_db):
    """A newer tool upgraded the file while we waited: refuse, don't re-apply."""
    held, release = threading.Event(), threading.Event()
    newer = SHIPPED_COUNT + 5
    holder = threading.Thread(
        target=hold_write_lock,
        args=(legacy_db, held, release, f"PRAGMA user_version = {newer}", "COMMIT"),
    )
    holder.start()
    assert held.wait(10)
    timer = threading.Timer(0.3, release.set)
    timer.start()
    events = []
    try:
        with pytest.raises(DatabaseTooNew):
            api.upgrade(legacy_db, backup=False, lock_timeout=20, on_event=events.append)
    finally:
        release.set()
        timer.cancel()
        holder.join(10)
    assert events[0].current_version == 0, "the plan was made before the newer tool finished"
    assert snapshot.version(legacy_db) == newer
    assert not [e for e in events if type(e).__name__ == "MigrationStarted"]
