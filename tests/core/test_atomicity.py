"""One migration is one transaction: a failure, or a migration that tries to end
the engine's transaction, leaves the file exactly as the previous step left it."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT, fail_after_real_work, write_migration

from core import api
from core.errors import MigrationFailed
from core.marker import marker_path
from samples.legacy import Shape, build

POSITIONS = list(range(1, SHIPPED_COUNT + 2))  # each shipped step, and one added after them


def at_version(db: Path, version: int, folder: Path, tmp_path: Path) -> tuple[bytes, object]:
    """Upgrade ``db`` to ``version``; return its bytes and content as the reference."""
    if version:
        api.upgrade(db, migrations_dir=folder, target=version, backup=False)
    shutil.copy(db, tmp_path / f"at_v{version}.db")
    return db.read_bytes(), snapshot.content(db)


def assert_unchanged(db: Path, reference: tuple[bytes, object]) -> None:
    data, content = reference
    snapshot.assert_same_content(content, snapshot.content(db))
    assert db.read_bytes() == data, "same content but the bytes differ"
    assert not marker_path(db).exists()


@pytest.mark.parametrize("shape", [Shape.MERGED_BY_HAND, Shape.EMPTY_FILE], ids=str)
@pytest.mark.parametrize("position", POSITIONS)
def test_a_failing_migration_leaves_the_file_at_the_previous_version(
    tmp_path, migrations_dir, shape, position
):
    db = build(tmp_path / "society.db", shape, residents=20, ledger_rows=100)
    if position > SHIPPED_COUNT:
        write_migration(
            migrations_dir,
            position,
            "boom",
            """
            conn.execute("DELETE FROM ledger")
            conn.execute("ALTER TABLE users ADD COLUMN boom TEXT")
            raise RuntimeError("deliberate failure")
            """,
        )
    else:
        fail_after_real_work(migrations_dir, position)
    reference = at_version(db, position - 1, migrations_dir, tmp_path)

    with pytest.raises(MigrationFailed) as failed:
        api.upgrade(db, migrations_dir=migrations_dir, backup=False)

    assert failed.value.version == position and failed.value.version_now == position - 1
    assert f"Migration {position:03d}" in str(failed.value)
    assert f"still at version {position - 1}" in str(failed.value)
    assert "deliberate failure" in str(failed.value)
    assert_unchanged(db, reference)


def test_a_script_failing_on_its_second_statement_leaves_the_file_byte_for_byte(
    tmp_path, migrations_dir, legacy_db
):
    write_migration(
        migrations_dir,
        SHIPPED_COUNT + 1,
        "script_that_fails",
        '''
        conn.executescript("""
            UPDATE residents SET monthly_charges = monthly_charges * 2;
            INSERT INTO no_such_table VALUES (1);
            CREATE TABLE never_made (x);
        """)
        ''',
    )
    reference = at_version(legacy_db, SHIPPED_COUNT, migrations_dir, tmp_path)
    with pytest.raises(MigrationFailed, match="no_such_table"):
        api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    assert_unchanged(legacy_db, reference)


def test_a_script_that_succeeds_is_part_of_the_migrations_transaction(
    tmp_path, migrations_dir, legacy_db
):
    write_migration(
        migrations_dir,
        SHIPPED_COUNT + 1,
        "script_then_failure",
        """
        conn.executescript("CREATE TABLE made (x); INSERT INTO made VALUES ('a;b'); ")
        assert conn.execute("SELECT x FROM made").fetchone() == ("a;b",)
        raise ValueError("after the script")
        """,
    )
    reference = at_version(legacy_db, SHIPPED_COUNT, migrations_dir, tmp_path)
    with pytest.raises(MigrationFailed, match="after the script"):
        api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    assert_unchanged(legacy_db, reference)


FORBIDDEN = {
    "commit_method": "conn.commit()",
    "rollback_method": "conn.rollback()",
    "commit_statement": 'conn.execute("COMMIT")',
    "end_statement": 'conn.execute("END")',
    "begin_statement": 'conn.execute("BEGIN")',
    "savepoint_release_all": 'conn.execute("ROLLBACK")',
    "raw_cursor_executescript": 'conn.cursor().executescript("CREATE TABLE late (x);")',
    "script_with_commit": 'conn.executescript("CREATE TABLE late (x); COMMIT;")',
    "set_user_version": 'conn.execute("PRAGMA user_version = 7")',
    "foreign_keys_on": 'conn.execute("PRAGMA foreign_keys = ON")',
    "journal_mode_wal": 'conn.execute("PRAGMA journal_mode = WAL")',
    "attach": "conn.execute(\"ATTACH DATABASE ':memory:' AS other\")",
    "autocommit_switch": "conn.isolation_level = None",
    "close": "conn.close()",
    "remove_the_guard": 'conn.set_authorizer(None)\nconn.execute("COMMIT")',
    "remove_the_cancel_check": "conn.set_progress_handler(None, 0)",
}


@pytest.mark.parametrize("swallowed", [False, True], ids=["raised", "swallowed"])
@pytest.mark.parametrize("call", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_a_migration_cannot_end_the_transaction_or_touch_what_the_engine_owns(
    tmp_path, migrations_dir, legacy_db, call, swallowed
):
    """Refused, rolled back, and reported with the migration and the version kept.

    Swallowing the refusal in the migration doesn't help: the step still fails.
    """
    attempt = textwrap.indent(call, "    ")
    attempt = f"try:\n{attempt}\nexcept Exception:\n    pass" if swallowed else call
    write_migration(
        migrations_dir,
        2,
        "sneaky",
        f"conn.execute(\"UPDATE ledger SET description = 'before'\")\n{attempt}\n"
        "conn.execute(\"UPDATE residents SET remarks = 'after'\")",
        doc="Try something only the engine may do",
    )
    (migrations_dir / "002_add_vehicle_numbers.py").unlink()
    for later in range(3, SHIPPED_COUNT + 1):
        next(migrations_dir.glob(f"{later:03d}_*.py")).unlink()
    reference = at_version(legacy_db, 1, migrations_dir, tmp_path)

    with pytest.raises(MigrationFailed) as failed:
        api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)

    message = str(failed.value)
    assert "Migration 002 (Try something only the engine may do)" in message
    assert "still at version 1" in message
    assert failed.value.version_now == 1
    assert_unchanged(legacy_db, reference)
    # The engine's own pragmas were not left changed on the file either.
    assert snapshot.version(legacy_db) == 1
