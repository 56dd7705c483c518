"""The run log: where it is, what one line says, and that it never holds personal data."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest

from core import runlog
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
