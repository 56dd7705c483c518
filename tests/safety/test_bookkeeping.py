"""Version numbers and history the tool didn't write are refused, untouched, in plain words.

- A negative ``user_version`` is not a version: never "pending", never
  "up to date" after skipping migrations, never a backup then a crash.
- A ``migration_history`` of another shape (or a view so named), or one with
  empty or text versions, is said to be not the tool's and refused.
- A trigger in the file on the tool's own tables would run on the engine's
  writes (one emptied the ledger): refused before anything is written, and a
  migration that makes one fails its step, rolled back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers.migration_files import SHIPPED_COUNT
from helpers.snapshot import version

from core import api
from core.errors import MigrationFailed

from .support import add_migration, assert_clean_refusal, folder_state, run_cli, sha

NEXT = SHIPPED_COUNT + 1


def _sql(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def _ledger_rows(db: Path) -> int:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM ledger").fetchone()[0])
    finally:
        conn.close()


def _refused_untouched(db: Path, *words: str) -> None:
    """status and upgrade both refuse with exit 2; the file and its folder stay the same."""
    before = folder_state(db.parent)
    for command in ("status", "upgrade"):
        message = assert_clean_refusal(run_cli(command, db))
        for word in words:
            assert word in message, f"{command}: {message!r} does not say {word!r}"
        assert "Nothing will be done to this file" in message
    assert folder_state(db.parent) == before, "the file or its folder changed (a backup?)"


@pytest.mark.parametrize("number", [-1, -3, -2147483648])
def test_a_negative_version_is_refused_untouched(legacy_db: Path, number: int) -> None:
    _sql(legacy_db, f"PRAGMA user_version = {number}")
    _refused_untouched(legacy_db, f"version number is {number}", "never negative")
    assert version(legacy_db) == number


@pytest.mark.parametrize(
    "made",
    [
        "CREATE TABLE migration_history (id INTEGER PRIMARY KEY, script TEXT, ran_on TEXT)",
        "CREATE VIEW migration_history AS SELECT 1 AS version, 'x' AS name",
    ],
    ids=["table", "view"],
)
def test_a_history_table_of_another_shape_is_said_to_be_not_ours(
    legacy_db: Path, made: str
) -> None:
    api.upgrade(legacy_db, target=2, backup=False)
    _sql(legacy_db, "DROP TABLE migration_history", made)
    _refused_untouched(legacy_db, "migration_history", "didn't make")


@pytest.mark.parametrize("bad", ["NULL", "'three'", "2.5"])
def test_a_history_row_without_a_whole_number_version_is_a_plain_refusal(
    legacy_db: Path, bad: str
) -> None:
    api.upgrade(legacy_db, target=2, backup=False)
    _sql(
        legacy_db,
        "CREATE TABLE h2 AS SELECT * FROM migration_history",  # keep the same shape
        "DROP TABLE migration_history",
        "CREATE TABLE migration_history (version, name TEXT NOT NULL, description TEXT, "
        "checksum TEXT, applied_at TEXT, duration_ms REAL, tool_version TEXT)",
        "INSERT INTO migration_history SELECT * FROM h2",
        "DROP TABLE h2",
        f"INSERT INTO migration_history (version, name) VALUES ({bad}, 'odd')",
    )
    _refused_untouched(legacy_db, "not a whole number")


EMPTY_THE_LEDGER = "CREATE TRIGGER {name} AFTER INSERT ON {table} BEGIN DELETE FROM ledger; END"


@pytest.mark.parametrize("table", ["migration_history", "MIGRATION_ADOPTION"])
def test_a_trigger_on_the_tools_tables_is_refused_before_any_write(
    legacy_db: Path, table: str
) -> None:
    api.upgrade(legacy_db, target=2, backup=False)
    if table != "migration_history":
        _sql(legacy_db, f"CREATE TABLE {table} (adopted_version INTEGER)")
    _sql(legacy_db, EMPTY_THE_LEDGER.format(name="tidy_up", table=table))
    rows = _ledger_rows(legacy_db)

    _refused_untouched(legacy_db, "trigger (tidy_up)", "own code")
    assert _ledger_rows(legacy_db) == rows and version(legacy_db) == 2


def test_a_migration_that_makes_such_a_trigger_fails_its_step(
    legacy_db: Path, migrations_dir: Path
) -> None:
    add_migration(
        migrations_dir,
        f"{NEXT:03d}_add_a_trap.py",
        f'''
        """Add a trigger on the history table"""


        def upgrade(conn):
            conn.execute("{EMPTY_THE_LEDGER.format(name="trap", table="migration_history")}")
        ''',
    )
    api.upgrade(legacy_db, migrations_dir=migrations_dir, target=SHIPPED_COUNT, backup=False)
    rows, before = _ledger_rows(legacy_db), sha(legacy_db)

    with pytest.raises(MigrationFailed, match=r"trigger \(trap\)") as caught:
        api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)

    assert f"still at version {SHIPPED_COUNT}" in str(caught.value)
    assert _ledger_rows(legacy_db) == rows and version(legacy_db) == SHIPPED_COUNT
    assert sha(legacy_db) == before


@pytest.mark.parametrize(
    "made",
    ["CREATE VIEW sessions AS SELECT 1 AS id", "CREATE TABLE sessions (id INTEGER, note TEXT)"],
    ids=["view", "other-shape"],
)
def test_an_upgrade_says_when_sessions_is_not_what_its_version_promises(
    legacy_db: Path, made: str
) -> None:
    """A view named sessions, or a sessions table of another shape, is said, not passed over."""
    api.upgrade(legacy_db, target=3, backup=False)
    _sql(legacy_db, "DROP TABLE IF EXISTS sessions", made)

    result = run_cli("upgrade", legacy_db, "--no-backup")

    said = result.stdout + result.stderr
    assert "Traceback" not in said
    assert "sessions" in said, "the upgrade passed over the sessions that isn't version's"
    assert "Up to date" not in result.stdout
