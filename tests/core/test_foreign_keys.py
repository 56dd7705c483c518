"""A migration fails only on broken links it creates; old ones are reported and kept."""

from __future__ import annotations

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT, write_migration

from core import api
from core.errors import MigrationFailed
from core.events import Notice

NEXT = SHIPPED_COUNT + 1

REBUILD_LEDGER = '''
conn.executescript("""
    CREATE TABLE ledger_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT, transaction_id TEXT UNIQUE, date DATE,
        flat_no TEXT, transaction_type TEXT, category TEXT, description TEXT,
        debit REAL DEFAULT 0.0, credit REAL DEFAULT 0.0, balance REAL DEFAULT 0.0,
        payment_mode TEXT, entered_by TEXT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
        reconciliation_status TEXT DEFAULT 'Unreconciled',
        FOREIGN KEY (flat_no) REFERENCES residents (flat_no));
    INSERT INTO ledger_new SELECT id, transaction_id, date, flat_no, transaction_type,
        category, description, debit, credit, balance, payment_mode, entered_by,
        created_at, reconciliation_status FROM ledger;
    DROP TABLE ledger;
    ALTER TABLE ledger_new RENAME TO ledger;
    CREATE INDEX idx_ledger_date ON ledger(date);
    CREATE INDEX idx_ledger_flat ON ledger(flat_no);
    CREATE INDEX idx_ledger_type ON ledger(transaction_type);
    CREATE INDEX idx_ledger_txn_id ON ledger(transaction_id);
""")
'''


def orphan_counts(db) -> dict[str, int]:
    conn = snapshot.connect_ro(db)
    try:
        return {
            "ledger->residents": conn.execute(
                "SELECT count(*) FROM ledger WHERE flat_no IS NOT NULL AND flat_no NOT IN "
                "(SELECT flat_no FROM residents)"
            ).fetchone()[0],
            "bank_statements->ledger": conn.execute(
                "SELECT count(*) FROM bank_statements WHERE matched_ledger_id IS NOT NULL "
                "AND matched_ledger_id NOT IN (SELECT id FROM ledger)"
            ).fetchone()[0],
            "sessions->users": conn.execute(
                "SELECT count(*) FROM sessions WHERE username NOT IN (SELECT username FROM users)"
            ).fetchone()[0],
        }
    finally:
        conn.close()


@pytest.fixture
def current_db(legacy_db, migrations_dir):
    """The legacy file at the latest shipped version, its old orphans still there."""
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    assert all(orphan_counts(legacy_db).values()), "the fixture must hold old orphans"
    return legacy_db


def upgrade_collecting(db, folder):
    events = []
    result = api.upgrade(db, migrations_dir=folder, backup=False, on_event=events.append)
    return result, events


def test_a_migration_that_adds_an_orphan_fails_and_rolls_back(current_db, migrations_dir):
    write_migration(
        migrations_dir,
        NEXT,
        "bad_insert",
        'conn.execute("INSERT INTO ledger (transaction_id, flat_no) "\n'
        "             \"VALUES ('TXN-X', 'NOWHERE')\")",
    )
    before = snapshot.content(current_db)
    with pytest.raises(MigrationFailed, match="ledger point to missing residents") as failed:
        api.upgrade(current_db, migrations_dir=migrations_dir, backup=False)
    assert failed.value.version_now == SHIPPED_COUNT
    snapshot.assert_same_content(before, snapshot.content(current_db))


def test_rebuilding_a_table_with_old_orphans_succeeds_reports_and_keeps_them(
    current_db, migrations_dir
):
    write_migration(migrations_dir, NEXT, "rebuild_ledger", REBUILD_LEDGER)
    orphans = orphan_counts(current_db)
    ledger = snapshot.rows(current_db, "ledger")

    result, events = upgrade_collecting(current_db, migrations_dir)

    assert result.to_version == NEXT
    assert orphan_counts(current_db) == orphans
    assert snapshot.rows(current_db, "ledger") == ledger
    notices = [e.text for e in events if isinstance(e, Notice)]
    assert len(notices) == 1
    assert f"{orphans['ledger->residents']} rows in ledger point to missing residents" in notices[0]
    assert "bank_statements point to missing ledger" in notices[0]
    assert "left as they are" in notices[0]


def test_deleting_parent_rows_that_children_still_name_fails(current_db, migrations_dir):
    write_migration(
        migrations_dir,
        NEXT,
        "delete_residents",
        'conn.execute("DELETE FROM residents WHERE flat_no IN '
        '(SELECT flat_no FROM ledger WHERE flat_no IS NOT NULL)")',
    )
    before = snapshot.content(current_db)
    with pytest.raises(MigrationFailed, match="ledger point to missing residents"):
        api.upgrade(current_db, migrations_dir=migrations_dir, backup=False)
    snapshot.assert_same_content(before, snapshot.content(current_db))


def test_deleting_a_user_who_has_a_session_fails(current_db, migrations_dir):
    write_migration(
        migrations_dir,
        NEXT,
        "delete_admin",
        "conn.execute(\"DELETE FROM users WHERE username = 'admin'\")",
    )
    with pytest.raises(MigrationFailed, match="sessions point to missing users"):
        api.upgrade(current_db, migrations_dir=migrations_dir, backup=False)
    assert snapshot.version(current_db) == SHIPPED_COUNT


def test_a_migration_may_fix_old_orphans_itself(current_db, migrations_dir):
    write_migration(
        migrations_dir,
        NEXT,
        "drop_stale_sessions",
        'conn.execute("DELETE FROM sessions WHERE username NOT IN (SELECT username FROM users)")',
    )
    result, events = upgrade_collecting(current_db, migrations_dir)
    assert result.to_version == NEXT
    assert orphan_counts(current_db)["sessions->users"] == 0
    assert not [e for e in events if isinstance(e, Notice)]


def test_enforcement_is_off_during_steps_and_restored_after(current_db, migrations_dir):
    """A rebuild that drops a parent table works on a connection that enforces keys."""
    from core.cancel import CancelToken
    from core.connection import open_readwrite
    from core.discovery import load_catalog
    from core.plan import plan_upgrade
    from core.status import inspect_database
    from core.upgrade import CrashNote, Progress, run_steps

    write_migration(migrations_dir, NEXT, "rebuild_ledger", REBUILD_LEDGER)
    catalog = load_catalog(migrations_dir)
    plan = plan_upgrade(inspect_database(current_db, catalog), catalog, NEXT, backup=False)
    conn = open_readwrite(current_db)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        progress = Progress([].append, CancelToken(), catalog.latest, 1.0)
        result = run_steps(conn, current_db, plan, CrashNote(current_db, None), progress, catalog)
        assert result.to_version == NEXT
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        conn.close()


def test_upgrading_field_files_reports_no_orphans_the_shipped_steps_did_not_touch(legacy_db):
    """The shipped migrations write no rows, so they have nothing to report."""
    _, events = upgrade_collecting(legacy_db, None)
    assert not [e for e in events if isinstance(e, Notice)]
