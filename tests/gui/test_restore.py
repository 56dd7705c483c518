"""Restoring from the window: pick a backup, confirm, and the file is back as it was."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from gui_helpers import (
    UPGRADE_TIMEOUT_MS,
    Answers,
    Offered,
    click,
    open_file,
    statuses,
    user_version,
)
from helpers.migration_files import SHIPPED_COUNT
from PySide6.QtWidgets import QLabel, QListWidget, QMessageBox

from core import api
from core.restore import BackupInfo
from gui.restore_dialog import MAX_LISTED, RestoreDialog, describe
from samples.legacy import Shape, build

# The offscreen platform warns so when a window is shown; it is not a problem of ours.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

DAY = 24 * 3600


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def aged(path: Path, days: float) -> Path:
    """Date a backup file ``days`` back, as if it had been taken then."""
    when = time.time() - days * DAY
    os.utime(path, (when, when))
    return path


@pytest.fixture
def history(tmp_path) -> tuple[Path, Path, Path]:
    """A file now at the latest version, with backups from last week (v0) and yesterday (v2)."""
    path = build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=8, ledger_rows=30)
    last_week = aged(api.backup(path), 7)
    api.upgrade(path, target=2, backup=False)
    yesterday = aged(api.backup(path), 1)
    api.upgrade(path, backup=False)
    return path, last_week, yesterday


def open_restore_dialog(qtbot, window) -> RestoreDialog:
    click(qtbot, window, "restoreButton")
    dialog = window.findChild(RestoreDialog, "restoreDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def items(dialog: RestoreDialog) -> list[str]:
    backups = dialog.findChild(QListWidget, "backupList")
    return [backups.item(row).text() for row in range(backups.count())]


def test_yesterdays_backup_is_restored_in_a_few_clicks(qtbot, window, history):
    path, last_week, yesterday = history
    expected = dump(yesterday)
    window.show()
    open_file(qtbot, window, path)
    assert statuses(window) == ["Applied"] * SHIPPED_COUNT

    dialog = open_restore_dialog(qtbot, window)
    listed = items(dialog)
    assert len(listed) == 2
    assert "version 2" in listed[0] and yesterday.name in listed[0]  # newest first, chosen
    assert "version 0" in listed[1] and last_week.name in listed[1]
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, dialog, "restoreChosenButton")
    (outcome,) = blocker.args
    assert outcome.ok and outcome.result.restored_version == 2

    ((title, question),) = window.confirm.questions
    assert title == "Restore this backup?"
    assert yesterday.name in question and "version 2" in question
    assert f"The file it replaces: society.db: version {SHIPPED_COUNT}" in question
    assert "8 residents" in question and "ledger rows" in question
    assert "The current file will be kept aside in backups/ first" in question
    assert user_version(path) == 2 and dump(path) == expected
    kept = outcome.result.replaced_kept_at
    assert kept.parent == path.parent / "backups" and user_version(kept) == SHIPPED_COUNT
    log = window.log.text()
    finished = [line for line in log.splitlines() if "at version 2" in line]
    assert len(finished) == 1 and "back at version 2" in finished[0]  # said once
    assert f"The file that was replaced is kept at {kept}" in log  # as the CLI says it
    assert statuses(window) == ["Applied"] * 2 + ["Pending"] * (SHIPPED_COUNT - 2)
    pending = f"At version 2: {SHIPPED_COUNT - 2} migrations pending."
    assert window.status_panel.status.text() == pending


def test_a_backup_from_elsewhere_can_be_chosen(qtbot, window, history, tmp_path):
    path, last_week, _ = history
    elsewhere = tmp_path / "usb stick" / "copy for the auditor.db"
    elsewhere.parent.mkdir()
    last_week.rename(elsewhere)
    open_file(qtbot, window, path)
    dialog = open_restore_dialog(qtbot, window)
    dialog.choose_file = lambda parent, start: str(elsewhere)
    click(qtbot, dialog, "chooseBackupButton")
    assert "version 0" in items(dialog)[0] and elsewhere.name in items(dialog)[0]
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, dialog, "restoreChosenButton")
    assert blocker.args[0].ok
    assert user_version(path) == 0 and dump(path) == dump(elsewhere)


def test_a_damaged_backup_is_refused_and_the_database_is_unchanged(qtbot, window, history):
    path, _, yesterday = history
    data = yesterday.read_bytes()
    yesterday.write_bytes(data[:100] + b"\xff" * (len(data) - 100))  # header kept, pages gone
    before = path.read_bytes()
    folder = sorted(p.name for p in (path.parent / "backups").iterdir())
    open_file(qtbot, window, path)

    dialog = open_restore_dialog(qtbot, window)
    assert yesterday.name in items(dialog)[0]
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, dialog, "restoreChosenButton")
    (outcome,) = blocker.args
    assert not outcome.ok
    assert f"{yesterday.name} can't be restored" in outcome.error
    assert "The database file was not changed." in outcome.error
    box = window.findChild(QMessageBox, "errorDialog")
    assert box is not None and "can't be restored" in box.text()
    assert "can't be restored" in window.log.text()
    assert path.read_bytes() == before
    assert sorted(p.name for p in (path.parent / "backups").iterdir()) == folder
    assert statuses(window) == ["Applied"] * SHIPPED_COUNT


def test_declining_the_confirmation_changes_nothing(qtbot, window, history):
    path, _, _ = history
    window.confirm = Answers(yes=False)
    before = path.read_bytes()
    open_file(qtbot, window, path)
    dialog = open_restore_dialog(qtbot, window)
    click(qtbot, dialog, "restoreChosenButton")
    assert not window.is_busy
    assert path.read_bytes() == before
    assert "Restore not started; the file was not changed." in window.log.text()


def test_restore_is_off_during_an_upgrade_and_without_a_file(qtbot, window, history):
    path, _, _ = history
    assert not window.restore_action.isEnabled()
    api.restore(history[1], path)  # back to version 0, so there is something to upgrade
    open_file(qtbot, window, path)
    assert window.restore_action.isEnabled()
    offered = Offered(window)
    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS):
        click(qtbot, window, "upgradeButton")
    assert not offered.only["restore"] and not offered.only["restore dialog"]
    assert window.restore_action.isEnabled()


def test_a_file_without_backups_says_so(qtbot, window, tmp_path):
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    open_file(qtbot, window, path)
    dialog = open_restore_dialog(qtbot, window)
    assert items(dialog) == ["No backups of this file yet: none in the “backups” folder beside it."]
    assert not dialog.restore_button.isEnabled()


def test_only_the_newest_backups_are_read_and_the_dialog_says_there_are_more(
    qtbot, window, tmp_path
):
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    first = api.backup(path)
    total = MAX_LISTED + 3
    for n in range(1, total):  # one a day, back to nearly two months ago
        aged(shutil.copy(first, first.with_name(f"{first.stem}-{n:03d}.db")), n)
    newest = aged(first, 0)
    open_file(qtbot, window, path)

    dialog = open_restore_dialog(qtbot, window)

    listed = items(dialog)
    assert len(listed) == MAX_LISTED
    assert newest.name in listed[0] and "version 0" in listed[0]
    assert f"{first.stem}-{MAX_LISTED - 1:03d}.db" in listed[-1]
    assert not any(f"-{n:03d}.db" in line for line in listed for n in range(MAX_LISTED, total))
    note = dialog.findChild(QLabel, "olderBackupsNote")
    assert note is not None and note.isVisible()
    assert f"Only the {MAX_LISTED} newest of the {total} backups are listed" in note.text()
    assert str(path.parent / "backups") in note.text()


def test_a_few_backups_are_all_listed_without_a_note(qtbot, window, history):
    path, _, _ = history
    open_file(qtbot, window, path)
    dialog = open_restore_dialog(qtbot, window)
    assert len(items(dialog)) == 2
    assert not dialog.findChild(QLabel, "olderBackupsNote").isVisible()


def test_a_chosen_file_that_cannot_be_looked_at_is_a_message(qtbot, window, history, tmp_path):
    path, _, _ = history
    open_file(qtbot, window, path)
    dialog = open_restore_dialog(qtbot, window)
    refused = tmp_path / ("a name longer than the file system allows " * 8 + ".db")
    dialog.choose_file = lambda parent, start: str(refused)

    click(qtbot, dialog, "chooseBackupButton")

    box = dialog.findChild(QMessageBox, "errorDialog")
    assert box is not None and box.windowTitle() == "That file can't be used"
    assert "can't be restored: File name too long." in box.text()
    assert "The database was not changed." in box.text()
    assert "Traceback" not in box.text() and not box.detailedText()
    assert len(items(dialog)) == 2 and "version 2" in items(dialog)[0]  # still as it was
    assert dialog.restore_button.isEnabled()


@pytest.mark.parametrize(
    ("taken", "words"),
    [
        (datetime(2024, 5, 2, 14, 3), "Today 14:03"),
        (datetime(2024, 5, 1, 23, 59), "Yesterday 23:59"),
        (datetime(2024, 4, 30, 9, 0), "2024-04-30 09:00"),
    ],
)
def test_backups_are_listed_by_day_in_words(taken, words):
    info = BackupInfo(Path("society_v3_x.db"), 3, taken)
    line = describe(info, today=date(2024, 5, 2))
    assert line.split() == [*words.split(), "version", "3", "society_v3_x.db"]
