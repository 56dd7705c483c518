"""The run log: where it is, what one line says, and that it never holds personal data."""

from __future__ import annotations

import sqlite3
import sys
from datetime import datetime
from pathlib import Path

import pytest
from helpers.migration_files import SHIPPED_COUNT, write_migration

from core import api, runlog
from core.errors import MigrationFailed, UpgradeCancelled


def test_the_log_is_in_the_users_data_folder(private_data_folder):
    if sys.platform.startswith("linux"):
        expected = private_data_folder / "SocietyDBMigrator" / "Society DB Migrator" / "logs"
        assert runlog.log_folder() == expected
    assert runlog.log_path().name == "runs.log"


def test_a_relative_xdg_data_home_is_ignored_as_qt_does(monkeypatch):
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG is Linux's")
    monkeypatch.setenv("XDG_DATA_HOME", "relative/place")
    assert runlog.data_folder().is_relative_to(Path.home() / ".local" / "share")


def test_one_line_with_every_fact():
    record = runlog.RunRecord(
        "upgrade",
        Path("/data/society.db"),
        0,
        4,
        Path("/data/backups/society_v0.db"),
        "done",
        when=datetime(2026, 12, 1, 9, 30).astimezone(),
    )
    line = record.line()
    assert line.startswith("2026-12-01 09:30:00 ")
    assert line.endswith(
        " | upgrade | /data/society.db | version 0 -> 4 | backup: /data/backups/society_v0.db"
        " | done"
    )


def test_a_path_cannot_forge_a_second_line(tmp_path):
    record = runlog.RunRecord("upgrade", Path("/x/a\nb | c.db"), 1, 2, None, "done")
    path = runlog.append(record, tmp_path / "runs.log")
    assert path is not None
    assert path.read_text(encoding="utf-8").count("\n") == 1
    assert "/x/a?b ? c.db" in path.read_text(encoding="utf-8")


def test_lines_are_appended(tmp_path):
    log = tmp_path / "logs" / "runs.log"
    for outcome in ("done", "failed"):
        runlog.append(runlog.RunRecord("upgrade", Path("a.db"), 0, 1, None, outcome), log)
    assert [line.rsplit(" | ", 1)[1] for line in log.read_text().splitlines()] == [
        "done",
        "failed",
    ]


def test_a_log_that_cannot_be_written_is_no_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    record = runlog.RunRecord("upgrade", Path("a.db"), 0, 1, None, "done")
    assert runlog.append(record, blocker / "runs.log") is None


def test_a_failure_is_logged_by_kind_never_by_its_text():
    try:
        try:
            raise ValueError("resident Zyxqua Marvellous, 98765 01234")
        except ValueError as cause:
            raise MigrationFailed(3, "Add lockout", str(cause), 2) from cause
    except MigrationFailed as exc:
        outcome, detail, version = runlog.outcome_of(exc)
    assert (outcome, version) == ("failed", 2)
    assert detail == "migration 003 rolled back (ValueError)"
    assert runlog.outcome_of(UpgradeCancelled(1))[0::2] == ("cancelled", 1)


# --- runs through the facade ----------------------------------------------------------

RESIDENT = {
    "name": "Zyxqua Marvellous",
    "mobile_no": "98765 01234",
    "email": "zyxqua.marvellous@example.invalid",
}
PASSWORD_HASH = "5f4dcc3b5aa765d61d8327deb882cf99zyxq"


def with_personal_data(db: Path) -> Path:
    """The legacy file, plus one resident and one user whose values are easy to look for."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT INTO residents (flat_no, name, mobile_no, email) VALUES ('Z-999', ?, ?, ?)",
            tuple(RESIDENT.values()),
        )
        conn.execute(
            "INSERT INTO users (username, password_hash, role) VALUES ('zyxq', ?, 'Admin')",
            (PASSWORD_HASH,),
        )
    conn.close()
    return db


def log_lines() -> list[str]:
    path = runlog.log_path()
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_an_upgrade_leaves_one_line_with_versions_backup_and_outcome(legacy_db):
    result = api.upgrade(legacy_db)
    (line,) = log_lines()
    assert result.backup is not None and result.backup.is_file()
    assert f" | upgrade | {legacy_db} | version 0 -> {result.to_version} | " in line
    assert f" | backup: {result.backup} | done: {result.to_version} migrations applied" in line
    assert api.status(legacy_db).current_version == result.to_version  # the line tells true


def test_a_file_already_up_to_date_is_not_a_run(legacy_db):
    api.upgrade(legacy_db, backup=False)
    api.upgrade(legacy_db)
    (line,) = log_lines()
    assert "backup: none | done" in line


def test_a_failed_upgrade_is_logged_without_the_residents_data(legacy_db, migrations_dir):
    with_personal_data(legacy_db)
    write_migration(
        migrations_dir,
        SHIPPED_COUNT + 1,
        "quote_a_resident",
        """
        name, phone, email = conn.execute(
            "SELECT name, mobile_no, email FROM residents WHERE flat_no = 'Z-999'").fetchone()
        (pw,) = conn.execute("SELECT password_hash FROM users WHERE username = 'zyxq'").fetchone()
        raise ValueError(f"bad row {name} {phone} {email} {pw}")
        """,
    )
    with pytest.raises(MigrationFailed, match="Zyxqua"):  # the error text quotes the row...
        api.upgrade(legacy_db, migrations_dir=migrations_dir)
    text = runlog.log_path().read_text(encoding="utf-8")
    (line,) = text.splitlines()
    assert f"version 0 -> {SHIPPED_COUNT} | backup: " in line
    assert line.endswith(f"failed: migration {SHIPPED_COUNT + 1:03d} rolled back (ValueError)")
    assert api.status(legacy_db, migrations_dir).current_version == SHIPPED_COUNT
    for value in (*RESIDENT.values(), PASSWORD_HASH, "Zyxqua", "98765"):  # ...the log never
        assert value not in text


def test_a_restore_leaves_a_line(legacy_db):
    result = api.upgrade(legacy_db)
    assert result.backup is not None
    restored = api.restore(result.backup, legacy_db)
    line = log_lines()[-1]
    assert f" | restore | {legacy_db} | version {result.to_version} -> 0 | " in line
    assert f"backup: {result.backup} | done: the replaced file is kept at " in line
    assert str(restored.replaced_kept_at) in line
