"""The Society app's start-up line works unchanged but for its import.

The newest app's ``database.py`` builds the folder as
``os.path.join(os.path.dirname(__file__), 'ai_agent_utils', 'migrations')``
and calls ``MigrationManager(self.db_path, migrations_dir)`` with plain
strings, then ``apply_pending_migrations()``; it wraps any exception in its
own error and shows its text. These tests call it that way on real files.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT, copy_shipped, write_migration

from core.app_manager import MigrationManager
from core.errors import MigrationError
from core.version import HISTORY_TABLE
from samples.legacy import Shape, build

# What the app's own, unpublished folder held (its manager numbered them its own way).
APPS_OWN_FILES = {
    "__init__.py": "",
    "migration_manager.py": "class MigrationManager:\n    pass\n",
    "001_initial_schema.py": "",
    "002_sessions.py": "",
    "008_add_totp_columns.py": "",
    "008_template.py": "",
}


def app_folder(tmp_path: Path) -> str:
    """The app's checkout: ``database.py``'s folder, as the app computes it."""
    root = tmp_path / "society_mgmt"
    root.mkdir()
    return os.path.join(str(root), "ai_agent_utils", "migrations")


def imported_marker(tmp_path: Path) -> Path:
    return tmp_path / "APP-FILE-WAS-IMPORTED"


def fill_with_apps_own_files(folder: str, marker: Path) -> None:
    Path(folder).mkdir(parents=True)
    trap = f"open({str(marker)!r}, 'w').close()\n"
    for name, body in APPS_OWN_FILES.items():
        (Path(folder) / name).write_text(trap + body, encoding="utf-8")


def backups_of(db: Path) -> list[Path]:
    folder = db.parent / "backups"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_an_older_install_is_backed_up_then_upgraded_when_the_apps_folder_is_missing(tmp_path):
    db = build(tmp_path / "society_management.db", Shape.MERGED_BY_HAND, residents=12)
    rows_before = snapshot.rows(db, "residents")

    result = MigrationManager(str(db), app_folder(tmp_path)).apply_pending_migrations()

    assert (result.from_version, result.to_version) == (0, SHIPPED_COUNT)
    assert snapshot.version(db) == SHIPPED_COUNT
    assert len(snapshot.rows(db, HISTORY_TABLE)) == SHIPPED_COUNT
    assert snapshot.rows(db, "residents", snapshot.columns_of(db)["residents"][:15]) == rows_before
    (backup,) = backups_of(db)
    assert result.backup == backup and snapshot.version(backup) == 0
    assert snapshot.rows(backup, "residents") == rows_before


def test_the_apps_own_unrelated_files_are_never_imported_and_ours_are_used(tmp_path):
    db = build(tmp_path / "society_management.db", Shape.LATEST_CODE, residents=5)
    folder = app_folder(tmp_path)
    fill_with_apps_own_files(folder, imported_marker(tmp_path))

    manager = MigrationManager(str(db), folder)
    result = manager.apply_pending_migrations()

    assert not imported_marker(tmp_path).exists(), "a file of the app's folder was imported"
    assert manager.migrations_dir is None  # the shipped ones
    assert result.to_version == SHIPPED_COUNT == snapshot.version(db)
    assert "audit_log" in snapshot.columns_of(db)


def test_a_folder_holding_our_migrations_and_the_apps_next_one_is_used(tmp_path):
    db = build(tmp_path / "society_management.db", Shape.VEHICLES, residents=5)
    folder = copy_shipped(Path(app_folder(tmp_path)))
    write_migration(
        folder,
        SHIPPED_COUNT + 1,
        "add_notice_board",
        "conn.execute('CREATE TABLE notices (id INTEGER PRIMARY KEY)')",
    )

    MigrationManager(str(db), str(folder)).apply_pending_migrations()

    assert snapshot.version(db) == SHIPPED_COUNT + 1
    assert "notices" in snapshot.columns_of(db)


def test_a_first_run_creates_and_sets_up_the_file_without_a_backup(tmp_path):
    db = tmp_path / "data" / "society_management.db"

    result = MigrationManager(str(db), app_folder(tmp_path)).apply_pending_migrations()

    assert result.to_version == SHIPPED_COUNT == snapshot.version(db)
    assert {"residents", "users", "audit_log"} <= set(snapshot.columns_of(db))
    assert backups_of(db) == []


def test_the_next_start_returns_at_once_and_touches_nothing(tmp_path):
    db = build(tmp_path / "society_management.db", Shape.FIRST_RELEASE, residents=5)
    folder = app_folder(tmp_path)
    MigrationManager(str(db), folder).apply_pending_migrations()
    before, backups = db.read_bytes(), backups_of(db)

    result = MigrationManager(str(db), folder).apply_pending_migrations()

    assert result.applied == () and result.from_version == SHIPPED_COUNT
    assert db.read_bytes() == before and backups_of(db) == backups


def test_a_file_of_another_program_is_a_plain_error_the_app_can_show_and_stays_as_it_was(tmp_path):
    db = tmp_path / "society_management.db"
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    before = db.read_bytes()

    with pytest.raises(MigrationError) as caught:
        MigrationManager(str(db), app_folder(tmp_path)).apply_pending_migrations()

    text = str(caught.value)  # what the app's DatabaseError wrapper shows
    assert "not changed" in text and "Traceback" not in text and "sqlite3" not in text
    assert db.read_bytes() == before and backups_of(db) == []


def test_a_place_where_no_file_can_be_made_is_a_plain_error(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the app expects a folder\n")

    with pytest.raises(MigrationError) as caught:
        MigrationManager(str(blocker / "society_management.db")).apply_pending_migrations()

    assert "can't be created there" in str(caught.value)  # the engine's own error
    assert blocker.read_text() == "a file where the app expects a folder\n"


def test_status_reads_without_writing(tmp_path):
    db = build(tmp_path / "society_management.db", Shape.BANK_RECONCILIATION, residents=5)
    before = db.read_bytes()
    found = MigrationManager(db).status()
    assert found.current_version == 0 and found.latest_version == SHIPPED_COUNT
    assert db.read_bytes() == before
