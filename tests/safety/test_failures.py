"""A migration that fails, fills the disk or breaks a link leaves the file as it was, and says so.

Each case starts from the realistic 20k-row file brought to version 4 by the
first four shipped migrations, adds a bad migration 005 and runs ``main.py upgrade``
(with its backup, as staff would). The file must be byte-for-byte what it was,
its content the same, the exit code 1 and the message "still at version 4".
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import snapshot
from helpers.migration_files import ENGINE_BASE, copy_shipped

from core import api

from .support import (
    EXTRA_MIGRATIONS,
    add_migration,
    fingerprint,
    integrity,
    run_cli,
    sha,
    user_version,
)

REBUILD = textwrap.dedent(EXTRA_MIGRATIONS["005_rebuild_ledger.py"])

# Migration 005 bodies that raise at different points of their work.
RAISING = {
    "before any work": """
        def upgrade(conn):
            raise RuntimeError("stopped before doing anything")
        """,
    "after creating and filling a table": """
        def upgrade(conn):
            conn.execute("CREATE TABLE ledger_archive AS SELECT * FROM ledger")
            conn.execute("INSERT INTO ledger_archive SELECT * FROM ledger")
            raise RuntimeError("stopped after the archive was filled")
        """,
    "after altering a table and updating every row": """
        def upgrade(conn):
            conn.execute("ALTER TABLE ledger ADD COLUMN month TEXT")
            conn.execute("UPDATE ledger SET month = substr(date, 1, 7)")
            conn.execute("UPDATE residents SET remarks = 'changed'")
            raise ValueError("stopped after the backfill")
        """,
    "after deleting rows": """
        def upgrade(conn):
            conn.execute("DELETE FROM ledger WHERE id % 2 = 0")
            conn.execute("DELETE FROM transaction_reversals")
            raise KeyError("stopped after deleting")
        """,
    "after dropping and renaming the ledger": REBUILD
    + textwrap.dedent(
        """

        _rebuild = upgrade


        def upgrade(conn):
            _rebuild(conn)
            raise RuntimeError("stopped after the rebuild")
        """
    ),
    "in the middle of a script (an SQL error)": """
        def upgrade(conn):
            conn.executescript(
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);"
                "INSERT INTO notes (text) SELECT description FROM ledger;"
                "UPDATE ledger SET category = 'Other';"
                "INSERT INTO no_such_table VALUES (1);"
                "UPDATE residents SET status = 'Gone';"
            )
        """,
}

# Fill the "disk": max_page_count is per connection, and the guard leaves it to the
# migration, so the migration caps the file a few pages above its size, then grows it.
DISK_FULL = {
    "copying the ledger": """
        def upgrade(conn):
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages + 8}")
            conn.execute("CREATE TABLE ledger_copy AS SELECT * FROM ledger")
        """,
    "backfilling every row": """
        def upgrade(conn):
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages + 8}")
            conn.execute("ALTER TABLE ledger ADD COLUMN notes TEXT")
            conn.execute("UPDATE ledger SET notes = printf('%.500c', 'x')")
        """,
    "and carrying on after the error": """
        import sqlite3


        def upgrade(conn):
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute("CREATE TABLE started (x)")
            conn.execute(f"PRAGMA max_page_count = {pages + 8}")
            try:
                conn.execute("INSERT INTO started VALUES (randomblob(4000000))")
            except sqlite3.OperationalError:
                pass  # a careless author: SQLite may have ended the transaction here
            conn.execute("UPDATE residents SET remarks = 'written after the disk was full'")
            conn.execute("CREATE TABLE after_full (x)")
        """,
}

FOREIGN_KEY = """
    def upgrade(conn):
        conn.execute(
            "INSERT INTO ledger (transaction_id, date, flat_no, transaction_type, credit) "
            "VALUES ('TXN-NEW-1', '2025-04-01', 'NO-SUCH-FLAT', 'Payment', 500.0)"
        )
        conn.execute("DELETE FROM residents WHERE id IN (SELECT id FROM residents LIMIT 3)")
    """


@pytest.fixture
def at_v4(legacy_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The big file at version 4, and a migrations folder holding 001-004."""
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    api.upgrade(legacy_copy, migrations_dir=folder, backup=False)
    assert user_version(legacy_copy) == 4
    return legacy_copy, folder


def assert_refused_and_unchanged(db: Path, folder: Path, body: str, reason: str) -> str:
    add_migration(
        folder, "005_bad_step.py", '"""A step that goes wrong"""\n' + textwrap.dedent(body)
    )
    before_bytes, before = sha(db), snapshot.content(db)
    result = run_cli("upgrade", db, "--migrations", folder)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.returncode == 1, f"exit code {result.returncode}: {result.stderr[-300:]}"
    assert "Migration 005" in result.stderr and "failed" in result.stderr
    assert "still at version 4" in result.stderr
    assert reason in result.stderr, f"the reason is not named: {result.stderr[-300:]}"
    assert sha(db) == before_bytes, "the file's bytes changed"
    snapshot.assert_same_content(before, snapshot.content(db))
    assert integrity(db) == "ok"
    assert not db.with_name(db.name + "-journal").exists()
    return result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("where", list(RAISING), ids=lambda w: w.replace(" ", "-"))
def test_a_migration_raising_at_any_point_leaves_the_file_unchanged(at_v4, where):
    db, folder = at_v4
    reason = {
        "in the middle of a script (an SQL error)": "no such table",
        "before any work": "stopped before doing anything",
    }.get(where, "stopped")
    assert_refused_and_unchanged(db, folder, RAISING[where], reason)


@pytest.mark.slow
@pytest.mark.parametrize("how", list(DISK_FULL), ids=lambda w: w.replace(" ", "-"))
def test_a_migration_that_fills_the_disk_leaves_the_file_unchanged(at_v4, how):
    db, folder = at_v4
    reason = "full disk" if how == "and carrying on after the error" else "disk is full"
    assert_refused_and_unchanged(db, folder, DISK_FULL[how], reason)
    # The cap belonged to that one connection: with a sound 005 the same file upgrades.
    add_migration(folder, "005_bad_step.py", REBUILD)
    assert run_cli("upgrade", db, "--no-backup", "--migrations", folder).returncode == 0
    assert user_version(db) == 5


@pytest.mark.slow
def test_a_migration_that_breaks_a_foreign_key_leaves_the_file_unchanged(at_v4):
    db, folder = at_v4
    message = assert_refused_and_unchanged(db, folder, FOREIGN_KEY, "broken links")
    assert "ledger" in message


@pytest.mark.slow
def test_a_later_failure_keeps_the_steps_before_it(legacy_copy, tmp_path):
    """006 fails after 001-005 succeeded: the file is exactly at version 5, nothing lost."""
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    add_migration(folder, "005_rebuild_ledger.py", REBUILD)
    add_migration(
        folder, "006_bad_step.py", RAISING["after altering a table and updating every row"]
    )
    reference = tmp_path / "reference.db"
    reference.write_bytes(legacy_copy.read_bytes())
    api.upgrade(reference, migrations_dir=folder, target=5, backup=False)
    original = fingerprint(legacy_copy)

    result = run_cli("upgrade", legacy_copy, "--migrations", folder)

    assert result.returncode == 1
    assert "Migration 006" in result.stderr and "still at version 5" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert user_version(legacy_copy) == 5
    assert (
        snapshot.logical_schema(legacy_copy).differences(snapshot.logical_schema(reference)) == []
    )
    assert snapshot.all_rows(legacy_copy).keys() == snapshot.all_rows(reference).keys()
    assert fingerprint(legacy_copy, original).keeps(original) == []
    assert integrity(legacy_copy) == "ok"
