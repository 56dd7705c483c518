"""Cancelling between or during migrations, and the events a run reports."""

from __future__ import annotations

import threading
import time

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT, write_migration

from core import api
from core.errors import MigrationFailed, UpgradeCancelled
from core.events import (
    MigrationApplied,
    MigrationRolledBack,
    MigrationStarted,
    PlanReady,
    UpgradeFinished,
)
from core.runner import CancelToken

# A recursive CTE that keeps SQLite busy for many seconds unless interrupted.
SLOW_STEP = """
conn.execute("UPDATE residents SET remarks = 'slow step ran'")
conn.execute(
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000000) "
    "SELECT count(*) FROM n"
).fetchone()
"""


def names(events) -> list[str]:
    return [type(e).__name__ for e in events]


def test_a_normal_run_reports_plan_each_step_and_the_end(legacy_db):
    events = []
    api.upgrade(legacy_db, backup=False, on_event=events.append)
    assert names(events) == [
        "PlanReady",
        *["MigrationStarted", "MigrationApplied"] * SHIPPED_COUNT,
        "UpgradeFinished",
    ]
    plan = events[0]
    assert isinstance(plan, PlanReady)
    assert (plan.current_version, plan.target_version) == (0, SHIPPED_COUNT)
    assert [s.version for s in plan.steps] == list(range(1, SHIPPED_COUNT + 1))
    started = [e for e in events if isinstance(e, MigrationStarted)]
    assert [(e.index, e.total) for e in started] == [
        (i, SHIPPED_COUNT) for i in range(1, SHIPPED_COUNT + 1)
    ]
    assert all(e.seconds >= 0 for e in events if isinstance(e, MigrationApplied))
    end = events[-1]
    assert isinstance(end, UpgradeFinished)
    assert (end.from_version, end.to_version, end.applied, end.cancelled) == (
        0,
        SHIPPED_COUNT,
        SHIPPED_COUNT,
        False,
    )
    assert all(e.text for e in events)


def test_a_run_with_backup_reports_the_backup_before_the_first_step(legacy_db):
    events = []
    api.upgrade(legacy_db, on_event=events.append)
    kinds = names(events)
    assert kinds.index("BackupDone") < kinds.index("PlanReady")
    assert kinds[0] == "BackupStarted" and "BackupProgress" in kinds


def test_an_up_to_date_file_reports_an_empty_plan_and_the_end(legacy_db):
    api.upgrade(legacy_db, backup=False)
    events = []
    api.upgrade(legacy_db, on_event=events.append)
    assert names(events) == ["PlanReady", "UpgradeFinished"]
    assert events[0].steps == () and events[1].applied == 0


def test_a_failure_reports_the_rollback_and_no_finish(legacy_db, migrations_dir):
    write_migration(migrations_dir, 3, "boom", "raise RuntimeError('deliberate')")
    for path in migrations_dir.glob("003_add*.py"):
        path.unlink()
    for later in range(4, SHIPPED_COUNT + 1):
        next(migrations_dir.glob(f"{later:03d}_*.py")).unlink()
    events = []
    with pytest.raises(MigrationFailed):
        api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False, on_event=events.append)
    assert names(events) == [
        "PlanReady",
        *["MigrationStarted", "MigrationApplied"] * 2,
        "MigrationStarted",
        "MigrationRolledBack",
    ]
    rolled = events[-1]
    assert isinstance(rolled, MigrationRolledBack)
    assert rolled.step.version == 3 and rolled.version_now == 2 and not rolled.cancelled
    assert "deliberate" in rolled.reason and "still at version 2" in rolled.text


def test_no_event_text_carries_personal_data(legacy_db, migrations_dir):
    """Residents' names, phones and e-mails must never reach the log or the window."""
    personal = {
        v
        for row in snapshot.rows(legacy_db, "residents", ["name", "mobile_no", "email"])
        for v in row
    }
    write_migration(
        migrations_dir,
        SHIPPED_COUNT + 1,
        "boom",
        "conn.execute('INSERT INTO residents (flat_no) VALUES (\\'101\\')')",
    )
    events = []
    with pytest.raises(MigrationFailed) as failed:
        api.upgrade(legacy_db, migrations_dir=migrations_dir, on_event=events.append)
    texts = [e.text for e in events] + [str(failed.value)]
    assert not [v for v in personal for t in texts if v and v in t]


def test_cancel_before_the_run_applies_nothing(legacy_db):
    token = CancelToken()
    token.cancel()
    before = legacy_db.read_bytes()
    events = []
    result = api.upgrade(legacy_db, backup=False, cancel=token, on_event=events.append)
    assert result.cancelled and result.applied == () and result.to_version == 0
    assert legacy_db.read_bytes() == before
    assert names(events) == ["PlanReady", "UpgradeFinished"] and events[-1].cancelled


def test_cancel_during_a_step_stops_after_it(legacy_db):
    token = CancelToken()

    def cancel_at_second(event):
        if isinstance(event, MigrationStarted) and event.step.version == 2:
            token.cancel()

    result = api.upgrade(legacy_db, backup=False, cancel=token, on_event=cancel_at_second)
    assert result.cancelled and result.to_version == 2 == snapshot.version(legacy_db)
    assert [s.version for s in result.applied] == [1, 2]


def _interrupt_while_running(db, migrations_dir, body):
    """Run ``body`` as the next migration and press "stop now" once it is under way."""
    write_migration(migrations_dir, SHIPPED_COUNT + 1, "slow", body, doc="A slow step")
    api.upgrade(db, migrations_dir=migrations_dir, target=SHIPPED_COUNT, backup=False)
    token = CancelToken()
    started = threading.Event()
    events = []

    def observe(event):
        events.append(event)
        if isinstance(event, MigrationStarted):
            started.set()

    def press_cancel():
        assert started.wait(10)
        time.sleep(0.3)  # let the step get well into its long query
        token.cancel(interrupt=True)

    presser = threading.Thread(target=press_cancel)
    presser.start()
    began = time.monotonic()
    try:
        with pytest.raises(UpgradeCancelled) as cancelled:
            api.upgrade(
                db, migrations_dir=migrations_dir, backup=False, cancel=token, on_event=observe
            )
    finally:
        presser.join()
    assert time.monotonic() - began < 5, "the interrupt did not stop the running query"
    return cancelled.value, events


def test_interrupting_a_slow_migration_rolls_it_back_quickly(legacy_db, migrations_dir):
    api.upgrade(legacy_db, migrations_dir=migrations_dir, target=SHIPPED_COUNT, backup=False)
    before = snapshot.content(legacy_db)
    data = legacy_db.read_bytes()

    cancelled, events = _interrupt_while_running(legacy_db, migrations_dir, SLOW_STEP)

    assert cancelled.version_now == SHIPPED_COUNT
    assert isinstance(events[-1], MigrationRolledBack) and events[-1].cancelled
    snapshot.assert_same_content(before, snapshot.content(legacy_db))
    assert legacy_db.read_bytes() == data


def test_a_migration_that_swallows_the_interrupt_is_still_rolled_back(legacy_db, migrations_dir):
    swallowing = """
    conn.execute("UPDATE residents SET remarks = 'half done'")
    try:
        conn.execute(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
            "WHERE x < 1000000000) SELECT count(*) FROM n"
        ).fetchone()
    except Exception:
        pass  # the idiom that would hide "stop now"
    """
    api.upgrade(legacy_db, migrations_dir=migrations_dir, target=SHIPPED_COUNT, backup=False)
    before = snapshot.content(legacy_db)

    cancelled, events = _interrupt_while_running(legacy_db, migrations_dir, swallowing)

    assert cancelled.version_now == SHIPPED_COUNT
    assert events[-1].cancelled
    snapshot.assert_same_content(before, snapshot.content(legacy_db))


def test_interrupting_a_long_write_is_reported_as_cancelled_not_failed(legacy_db, migrations_dir):
    long_write = """
    conn.execute(
        "CREATE TABLE counted AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL "
        "SELECT x + 1 FROM n WHERE x < 1000000000) SELECT x FROM n"
    )
    """
    cancelled, events = _interrupt_while_running(legacy_db, migrations_dir, long_write)

    assert "cancelled" in str(cancelled) and "failed" not in str(cancelled)
    assert [e for e in events if isinstance(e, MigrationRolledBack)][-1].cancelled
    assert "counted" not in snapshot.columns_of(legacy_db)
