"""Each migration runs once, even on tables holding old orphans; old and new still told apart."""

from __future__ import annotations

import sqlite3

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT, write_migration

from core import api
from core.errors import MigrationFailed
from core.events import MigrationApplied, Notice

NEXT = SHIPPED_COUNT + 1


def counting_migration(folder, calls_file, body: str) -> None:
    """A migration that notes each of its runs on the file (outside the rolled-back database).

    Runs on the in-memory database that gives each version's expected schema
    (:mod:`core.expected`) are not runs on the file, so they are not counted.
    """
    on_file = "__import__('os').path.isfile(conn.execute('PRAGMA database_list').fetchone()[2])"
    write_migration(
        folder,
        NEXT,
        "counted",
        f"if {on_file}:\n"
        f"    with open({str(calls_file)!r}, 'a') as calls:\n        calls.write('run\\n')\n{body}",
    )


@pytest.fixture
def current_db(legacy_db, migrations_dir):
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    return legacy_db


@pytest.mark.parametrize("backup", [False, True], ids=["counted-in-lock", "from-the-backup"])
def test_a_step_writing_a_table_with_old_orphans_runs_once(
    current_db, migrations_dir, tmp_path, backup
):
    calls = tmp_path / "calls.txt"
    counting_migration(
        migrations_dir, calls, "conn.execute(\"UPDATE ledger SET description = 'x' || id\")"
    )
    events: list = []
    api.upgrade(current_db, migrations_dir=migrations_dir, backup=backup, on_event=events.append)
    assert calls.read_text().splitlines() == ["run"]
    notices = [e.text for e in events if isinstance(e, Notice)]
    assert any("rows in ledger point to missing residents" in n for n in notices)
    assert snapshot.version(current_db) == NEXT


@pytest.mark.parametrize("backup", [False, True], ids=["counted-in-lock", "from-the-backup"])
def test_a_new_orphan_beside_old_ones_still_fails_after_one_run(
    current_db, migrations_dir, tmp_path, backup
):
    calls = tmp_path / "calls.txt"
    counting_migration(
        migrations_dir,
        calls,
        "conn.execute(\"INSERT INTO ledger (transaction_id, flat_no) VALUES ('X', 'NOWHERE')\")",
    )
    before = snapshot.content(current_db)
    with pytest.raises(MigrationFailed, match="1 row in ledger point to missing residents"):
        api.upgrade(current_db, migrations_dir=migrations_dir, backup=backup)
    assert calls.read_text().splitlines() == ["run"]
    snapshot.assert_same_content(before, snapshot.content(current_db))


def test_another_program_writing_between_steps_is_counted_again(current_db, migrations_dir):
    """Once the backup no longer shows the file as it is, the file itself is counted."""
    write_migration(migrations_dir, NEXT, "nothing", "pass")
    write_migration(
        migrations_dir,
        NEXT + 1,
        "touch_ledger",
        "conn.execute(\"UPDATE ledger SET description = 'y' || id\")",
    )

    def app_writes_between_steps(event) -> None:
        if isinstance(event, MigrationApplied) and event.step.version == NEXT:
            app = sqlite3.connect(current_db)
            app.execute("INSERT INTO ledger (transaction_id, flat_no) VALUES ('TXN-APP', 'GHOST')")
            app.commit()
            app.close()

    api.upgrade(current_db, migrations_dir=migrations_dir, on_event=app_writes_between_steps)
    assert snapshot.version(current_db) == NEXT + 1
