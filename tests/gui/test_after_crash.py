"""After a crash: the window says what happened, with Retry and Restore at hand.

The crash is real: ``python main.py upgrade`` runs in a child process on a
file with a slow migration 005 and is killed (SIGKILL) while 005 runs.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from gui_helpers import (
    ENDLESS_ROWS,
    UPGRADE_TIMEOUT_MS,
    add_slow_migration,
    click,
    open_file,
    start_cli,
    statuses,
    user_version,
)
from helpers.migration_files import ENGINE_BASE, copy_shipped, write_migration
from PySide6.QtWidgets import QLabel

from core import wording
from core.marker import marker_path
from core.marker import read as read_note
from gui.restore_dialog import RestoreDialog
from samples.legacy import Shape, build

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints"), pytest.mark.slow]


def kill_during_migration_5(path: Path, folder: Path) -> None:
    child = start_cli("upgrade", path, "--migrations", folder)
    assert child.stdout is not None
    try:
        for line in child.stdout:  # wait until migration 005 is running
            if line.startswith("Applying migration 005"):
                break
        else:
            pytest.fail("the upgrade never reached migration 005")
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()


@pytest.fixture
def crashed(tmp_path) -> tuple[Path, Path]:
    """A file whose upgrade was killed in migration 005; 005 is quick from now on."""
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    slow = add_slow_migration(folder, 5, ENDLESS_ROWS)
    path = build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=10, ledger_rows=40)
    kill_during_migration_5(path, folder)
    assert marker_path(path).exists()
    slow.unlink()
    write_migration(folder, 5, "count_slowly", 'conn.execute("SELECT 1")', doc="Count quickly")
    return path, folder


def test_crash_is_explained_and_retry_finishes_the_upgrade(qtbot, make_window, crashed):
    path, folder = crashed
    window = make_window(migrations_dir=folder)
    open_file(qtbot, window, path)

    banner = window.findChild(QLabel, "interruptedText")
    assert not window.status_panel.banner.isHidden()
    text = banner.text()
    assert "The last upgrade was cut short" in text
    assert "migration 005 (Count for a while in SQL (a test migration))" in text
    assert "the file is intact at the version shown" in text
    assert window.status_panel.version.text().startswith("Version 4 ")
    (kept,) = (path.parent / "backups").iterdir()
    assert f"The backup taken before it is {kept}." in text
    assert "cut short" not in window.status_panel.status.text()  # said once, in the banner
    assert f"⚠ {wording.interrupted(read_note(path))}" in window.log.text()  # as the CLI says
    assert statuses(window) == ["Applied"] * 4 + ["Pending"]

    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, window, "retryButton")
    assert blocker.args == [True]
    assert window.confirm.questions[0][0] == "Upgrade the database?"
    assert user_version(path) == 5
    assert window.status_panel.banner.isHidden()
    assert not marker_path(path).exists()


def test_restore_from_the_banner_offers_the_backup_taken_before_the_crash(
    qtbot, make_window, crashed
):
    path, folder = crashed
    window = make_window(migrations_dir=folder)
    open_file(qtbot, window, path)
    assert not window.status_panel.banner.isHidden()

    click(qtbot, window, "bannerRestoreButton")
    dialog = window.findChild(RestoreDialog, "restoreDialog")
    (kept,) = (path.parent / "backups").iterdir()
    assert dialog.chosen().path == kept and dialog.chosen().version == 0
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, dialog, "restoreChosenButton")
    assert blocker.args[0].ok
    assert user_version(path) == 0
    assert window.status_panel.banner.isHidden()  # the restore cleared the crash note
    assert not marker_path(path).exists()
