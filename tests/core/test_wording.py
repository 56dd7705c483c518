"""Errors carry facts, and their one sentence is made from them once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers.migration_files import SHIPPED_COUNT, write_migration

from core import api, wording
from core.errors import (
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
    MigrationError,
    MigrationFailed,
    NotADatabase,
    Refusal,
)


def raised(verb) -> MigrationError:  # type: ignore[no-untyped-def]
    with pytest.raises(MigrationError) as caught:
        verb()
    return caught.value


def test_a_refusal_says_why_and_that_nothing_changed(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("shopping list\n" * 20)
    exc = raised(lambda: api.upgrade(notes))
    assert isinstance(exc, NotADatabase) and exc.refusal is Refusal.STATE
    assert not exc.file_changed and exc.found is not None and exc.found.state == "not_sqlite"
    assert (
        str(exc)
        == exc.args[0]
        == ("This file is not a database (it is not an SQLite file). " + wording.UNCHANGED)
    )


def test_no_file_is_not_said_to_be_unchanged(tmp_path: Path) -> None:
    exc = raised(lambda: api.upgrade(tmp_path / "nowhere.db"))
    assert isinstance(exc, DatabaseMissing) and not exc.outcome.file_exists
    assert str(exc) == f"There is no file at {tmp_path / 'nowhere.db'}."


def test_a_failed_step_after_others_names_the_version_and_the_steps_applied(
    legacy_db: Path, migrations_dir: Path
) -> None:
    write_migration(migrations_dir, SHIPPED_COUNT + 1, "boom", "raise RuntimeError('no')")
    exc = raised(lambda: api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False))
    assert isinstance(exc, MigrationFailed)
    assert (exc.version, exc.version_now) == (SHIPPED_COUNT + 1, SHIPPED_COUNT)
    assert str(exc) == exc.args[0] and "RuntimeError: no" in str(exc)


def test_an_error_met_after_some_steps_is_a_new_error_with_those_facts(tmp_path: Path) -> None:
    first = DatabaseReadOnly(tmp_path / "x.db", Refusal.READ_ONLY)
    later = first.after_steps((1, 2))
    assert type(later) is DatabaseReadOnly and later.path == first.path
    assert (first.outcome.applied, later.outcome.applied) == ((), (1, 2))
    assert wording.UNCHANGED in str(first) and wording.UNCHANGED not in str(later)
    assert str(later) == later.args[0] and "stopped at version 2" in str(later)


def test_a_newer_file_is_refused_with_its_version_and_ours(legacy_db: Path) -> None:
    api.upgrade(legacy_db, backup=False)  # our history: the number above is ours, too high
    conn = sqlite3.connect(legacy_db)
    conn.execute(f"PRAGMA user_version = {SHIPPED_COUNT + 9}")
    conn.close()
    exc = raised(lambda: api.upgrade(legacy_db))
    assert isinstance(exc, DatabaseTooNew)
    assert (exc.version, exc.latest) == (SHIPPED_COUNT + 9, SHIPPED_COUNT)
    assert str(exc) == exc.args[0] and str(exc).endswith(wording.UNCHANGED)


def test_the_command_line_and_the_window_name_columns_alike() -> None:
    assert wording.table_columns("notes", ["x"]) == "notes (1 column): x"
    assert wording.table_columns("t", ["a", "b"]) == "t (2 columns): a, b"
