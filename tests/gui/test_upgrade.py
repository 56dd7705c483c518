"""Upgrading from the window: progress, failure, cancel, closing, and a responsive window."""

from __future__ import annotations

import pytest
from gui_helpers import (
    ENDLESS_ROWS,
    SLOW_ROWS,
    UPGRADE_TIMEOUT_MS,
    Answers,
    Offered,
    TickGaps,
    click,
    open_file,
    shipped_plus_slow,
    statuses,
    trigger,
    user_version,
)
from helpers.migration_files import ENGINE_BASE, SHIPPED_COUNT, copy_shipped, fail_after_real_work
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit, QProgressBar, QToolButton

from core import api, wording
from samples.legacy import Shape, build

# The offscreen platform warns so when a window is shown; it is not a problem of ours.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def button(window, name: str) -> QToolButton:
    return window.findChild(QToolButton, name)


def start_upgrade(qtbot, window) -> dict[str, bool]:
    """Click Upgrade; what the window offered once it had started."""
    offered = Offered(window)
    click(qtbot, window, "upgradeButton")  # the file is read again, the question answered
    return offered.only


def wait_until_running(qtbot, window, version: int) -> None:
    row = version - 1
    qtbot.waitUntil(lambda: window.model.status_text(row) == "Running…", timeout=5000)


@pytest.mark.parametrize("shape", list(Shape))
def test_upgrade_applies_every_migration_and_fills_the_bar(qtbot, window, tmp_path, shape):
    path = build(tmp_path / "society.db", shape, residents=10, ledger_rows=50)
    open_file(qtbot, window, path)
    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        offered = start_upgrade(qtbot, window)
    assert not offered["open"] and not offered["upgrade"]  # the file can't be changed meanwhile
    assert blocker.args == [True]
    qtbot.waitUntil(lambda: statuses(window) == ["Applied"] * SHIPPED_COUNT)
    bar = window.findChild(QProgressBar, "progressBar")
    assert bar.value() == bar.maximum() == SHIPPED_COUNT
    assert window.status_panel.status.text() == f"Up to date at version {SHIPPED_COUNT}."
    log = window.findChild(QPlainTextEdit, "logView").toPlainText()
    assert f"Upgrade finished: version 0 to {SHIPPED_COUNT}" in log
    assert user_version(path) == SHIPPED_COUNT
    assert window.open_action.isEnabled()


def test_confirmation_names_what_will_run_and_no_leaves_the_file_alone(qtbot, window, tmp_path):
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    window.confirm = Answers(yes=False)
    open_file(qtbot, window, path)
    before = path.read_bytes()
    trigger(qtbot, window, window.upgrade_action)
    ((title, question),) = window.confirm.questions
    assert title == "Upgrade the database?"
    assert f"from version 0 to version {SHIPPED_COUNT}" in question
    assert "001" in question and "004  Create the login sessions table" in question
    assert not window.is_busy
    assert path.read_bytes() == before
    assert "Upgrade not started" in window.log.text()


def test_failing_migration_is_marked_rolled_back_and_leaves_the_file_as_it_was(
    qtbot, make_window, tmp_path
):
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    fail_after_real_work(folder, 3)
    path = build(tmp_path / "society.db", Shape.VEHICLES, residents=10, ledger_rows=50)
    api.upgrade(path, migrations_dir=folder, target=2, backup=False)
    before = path.read_bytes()
    window = make_window(migrations_dir=folder)
    open_file(qtbot, window, path)

    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        start_upgrade(qtbot, window)
    assert blocker.args == [False]
    assert statuses(window) == ["Applied", "Applied", "Failed, rolled back", "Pending"]
    log = window.log.text()
    assert "Migration 003" in log and "deliberate failure in migration 3" in log
    assert log.count("It was rolled back; the database is still at version 2.") == 1  # once
    assert "Traceback" not in log
    assert path.read_bytes() == before
    assert window.status_panel.status.text() == "At version 2: 2 migrations pending."

    dialog = window.findChild(QMessageBox, "errorDialog")
    assert dialog is not None and "still at version 2" in dialog.text()
    details = window.findChild(QPlainTextEdit, "detailsView")
    assert details.isHidden()
    qtbot.mouseClick(window.log.details_button, Qt.MouseButton.LeftButton)
    assert not details.isHidden()
    assert "Traceback" in details.toPlainText() and "RuntimeError" in details.toPlainText()


def test_cancel_twice_interrupts_the_running_migration_and_rolls_it_back(
    qtbot, make_window, tmp_path
):
    folder = shipped_plus_slow(tmp_path / "migrations", ENDLESS_ROWS)
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=5, ledger_rows=10)
    window = make_window(migrations_dir=folder)
    open_file(qtbot, window, path)
    start_upgrade(qtbot, window)
    wait_until_running(qtbot, window, 5)
    cancel = button(window, "cancelButton")
    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        assert cancel.text() == "Stop now"
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert blocker.args == [False]
    assert statuses(window) == ["Applied"] * 4 + ["Rolled back"]
    assert "was cancelled. It was rolled back; the database is still at version 4" in (
        window.log.text()
    )
    assert user_version(path) == 4


def test_cancel_once_stops_before_the_next_migration(qtbot, make_window, tmp_path):
    folder = shipped_plus_slow(tmp_path / "migrations", SLOW_ROWS, then_noop=True)
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=5, ledger_rows=10)
    window = make_window(migrations_dir=folder)
    open_file(qtbot, window, path)
    start_upgrade(qtbot, window)
    wait_until_running(qtbot, window, 5)
    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS):
        qtbot.mouseClick(button(window, "cancelButton"), Qt.MouseButton.LeftButton)
    assert statuses(window) == ["Applied"] * 5 + ["Pending"]
    assert "Upgrade stopped at version 5 as asked." in window.log.text()
    assert user_version(path) == 5


def test_window_keeps_responding_during_a_long_migration(qtbot, make_window, tmp_path):
    folder = shipped_plus_slow(tmp_path / "migrations", SLOW_ROWS)
    path = build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=40, ledger_rows=300)
    window = make_window(migrations_dir=folder)
    open_file(qtbot, window, path)
    gaps = TickGaps()
    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS):
        start_upgrade(qtbot, window)
    gaps.timer.stop()
    assert gaps.ticks > 20
    assert gaps.longest < 0.2, f"the event loop stalled for {gaps.longest * 1000:.0f} ms"
    assert user_version(path) == 5


def test_closing_during_an_upgrade_asks_then_waits_for_the_rollback(qtbot, make_window, tmp_path):
    folder = shipped_plus_slow(tmp_path / "migrations", ENDLESS_ROWS)
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=5, ledger_rows=10)
    window = make_window(migrations_dir=folder)
    window.show()
    open_file(qtbot, window, path)
    start_upgrade(qtbot, window)
    wait_until_running(qtbot, window, 5)

    window.confirm = Answers(yes=False)
    assert not window.close()
    assert window.is_busy and window.isVisible()

    window.confirm = Answers(yes=True)
    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS):
        assert not window.close()  # not yet: the running migration is rolled back first
        assert not window.cancel_action.isEnabled()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.confirm.questions[0][0] == "Stop the upgrade and close?"
    assert user_version(path) == 4


def test_empty_file_asks_before_setting_it_up_and_no_leaves_it_empty(qtbot, window, tmp_path):
    path = build(tmp_path / "new.db", Shape.EMPTY_FILE)
    assert path.stat().st_size == 0
    window.confirm = Answers(yes=False)
    open_file(qtbot, window, path)
    trigger(qtbot, window, window.upgrade_action)
    ((title, question),) = window.confirm.questions
    assert title == "Set up a new database?"
    assert question.startswith("This file is empty. Set it up as a new society database?")
    assert not window.is_busy
    assert path.stat().st_size == 0
    assert "Not set up; the file was not changed (it is still empty)." in window.log.text()

    window.confirm = Answers(yes=True)
    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        start_upgrade(qtbot, window)
    assert blocker.args == [True]
    assert user_version(path) == SHIPPED_COUNT
    assert window.status_panel.status.text() == f"Up to date at version {SHIPPED_COUNT}."


class BarWatch(QObject):
    """Records what the progress bar says each time its value moves."""

    def __init__(self, bar: QProgressBar) -> None:
        super().__init__()
        self.bar = bar
        self.seen: list[tuple[str, int, int]] = []
        bar.valueChanged.connect(self._on_bar_value_changed)

    @Slot(int)
    def _on_bar_value_changed(self, value: int) -> None:
        self.seen.append((self.bar.format(), value, self.bar.maximum()))


def test_the_safety_copy_moves_the_bar_and_the_log_names_it(qtbot, window, tmp_path):
    path = build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=200, ledger_rows=3000)
    open_file(qtbot, window, path)
    watch = BarWatch(window.findChild(QProgressBar, "progressBar"))
    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS):
        start_upgrade(qtbot, window)
    copying = [(value, top) for text, value, top in watch.seen if text == "Safety copy: %p%"]
    assert copying and copying[-1][0] == copying[-1][1] > 1  # every page counted
    assert watch.seen[-1] == ("%v of %m migrations done", SHIPPED_COUNT, SHIPPED_COUNT)
    (backup,) = (tmp_path / "backups").iterdir()
    log = window.log.text()
    assert f"Making a safety copy of the database: {backup}" in log
    assert f"Safety copy made and checked: {backup}" in log
    assert wording.backup_kept(backup) in log  # as the command line says it
