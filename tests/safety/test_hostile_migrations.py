"""Migrations that can't have run are never reported as run; escapes fail their step.

- ``async def upgrade`` or a generator ``upgrade``: nothing in it would run,
  so the catalog refuses it, naming the file; one that returns a coroutine at
  run time fails its step.
- ``sys.exit()`` inside a migration fails the step (exit 1, a true message),
  the file as it was; it no longer ends the program with exit 0 and no word.
- Calling the base class to remove the guard (``sqlite3.Connection
  .set_authorizer(conn, None)``, then its ``commit``) fails the step: nothing is
  committed and the message that says it was rolled back is true.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.migration_files import SHIPPED_COUNT
from helpers.snapshot import assert_same_content, columns_of, content, version

from core import api
from core.errors import MigrationFailed

from .support import add_migration, assert_clean_refusal, folder_state, run_cli

NEXT = SHIPPED_COUNT + 1
LATE = f"{NEXT:03d}_add_late.py"


@pytest.fixture
def at_latest(legacy_db: Path, migrations_dir: Path) -> Path:
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    return legacy_db


NOT_PLAIN = {
    "async": ("async def upgrade(conn):\n    conn.execute('CREATE TABLE late (x)')", "async"),
    "generator": (
        "def upgrade(conn):\n    conn.execute('CREATE TABLE late (x)')\n    yield",
        "generator",
    ),
    "object": (
        "class _Step:\n    def __call__(self, conn):\n        pass\n\n\nupgrade = _Step()",
        "not a function",
    ),
}


@pytest.mark.parametrize("kind", NOT_PLAIN, ids=NOT_PLAIN.keys())
def test_an_upgrade_that_is_not_a_plain_function_is_a_catalog_error(
    at_latest: Path, migrations_dir: Path, kind: str
) -> None:
    code, words = NOT_PLAIN[kind]
    add_migration(migrations_dir, LATE, f'"""Add a late table"""\n\n\n{code}\n')
    before = folder_state(at_latest.parent)

    for command in ("status", "upgrade"):
        message = assert_clean_refusal(run_cli(command, at_latest, "--migrations", migrations_dir))
        assert LATE in message and words in message
        assert "plain function" in message

    assert folder_state(at_latest.parent) == before


def test_an_upgrade_that_returns_a_coroutine_fails_its_step(
    at_latest: Path, migrations_dir: Path
) -> None:
    add_migration(
        migrations_dir,
        LATE,
        '''
        """Add a late table"""


        async def _later(conn):
            conn.execute("CREATE TABLE late (x)")


        def upgrade(conn):
            return _later(conn)
        ''',
    )
    before = content(at_latest)

    with pytest.raises(MigrationFailed, match="returned a coroutine") as caught:
        api.upgrade(at_latest, migrations_dir=migrations_dir, backup=False)

    assert f"still at version {SHIPPED_COUNT}" in str(caught.value)
    assert_same_content(before, content(at_latest))


EXIT = '''
"""Add a late table, then leave"""

import sys


def upgrade(conn):
    conn.execute("CREATE TABLE late (x)")
    sys.exit({code})
'''


@pytest.mark.parametrize("code", ["", "0", "3"])
def test_sys_exit_in_a_migration_fails_the_step_with_a_true_message(
    at_latest: Path, migrations_dir: Path, code: str
) -> None:
    add_migration(migrations_dir, LATE, EXIT.format(code=code))
    before = content(at_latest)

    result = run_cli("upgrade", at_latest, "--no-backup", "--migrations", migrations_dir)

    message = assert_clean_refusal(result, code=1)
    assert f"Migration {NEXT:03d}" in message and "sys.exit()" in message
    assert "rolled back" in message and f"still at version {SHIPPED_COUNT}" in message
    assert_same_content(before, content(at_latest))
    with pytest.raises(MigrationFailed):  # the window's worker calls the same engine
        api.upgrade(at_latest, migrations_dir=migrations_dir, backup=False)


ESCAPES = {
    "base_set_authorizer": (
        "sqlite3.Connection.set_authorizer(conn, None)\n    sqlite3.Connection.commit(conn)"
    ),
    "base_execute_commit": 'sqlite3.Connection.execute(conn, "COMMIT")',
    "base_cursor": "sqlite3.Connection.cursor(conn).execute('COMMIT')",
    "cursor_connection": (
        "sqlite3.Connection.set_authorizer(conn.execute('SELECT 1').connection, None)"
    ),
}


@pytest.mark.parametrize("swallowed", [False, True], ids=["raised", "swallowed"])
@pytest.mark.parametrize("escape", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_migration_that_calls_the_base_class_to_escape_the_guard_fails(
    at_latest: Path, migrations_dir: Path, escape: str, swallowed: bool
) -> None:
    attempt = (
        f"try:\n        {escape.replace(chr(10) + '    ', chr(10) + '        ')}\n"
        "    except Exception:\n        pass"
        if swallowed
        else escape
    )
    add_migration(
        migrations_dir,
        LATE,
        f'"""Add a late table behind the guard\'s back"""\n\nimport sqlite3\n\n\n'
        f"def upgrade(conn):\n    conn.execute('CREATE TABLE late (x)')\n    {attempt}\n"
        "    conn.execute('CREATE TABLE later (x)')\n",
    )
    before = content(at_latest)

    if swallowed:  # the escape failed, so nothing slipped past: the step is whole, with its version
        api.upgrade(at_latest, migrations_dir=migrations_dir, backup=False)
        tables = columns_of(at_latest)
        assert version(at_latest) == NEXT and "late" in tables and "later" in tables
        return
    with pytest.raises(MigrationFailed) as caught:
        api.upgrade(at_latest, migrations_dir=migrations_dir, backup=False)

    message = str(caught.value)
    assert f"It was rolled back; the database is still at version {SHIPPED_COUNT}" in message
    assert_same_content(before, content(at_latest))  # so the message is true
    assert "late" not in columns_of(at_latest) and version(at_latest) == SHIPPED_COUNT
