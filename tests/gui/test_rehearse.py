"""Test on a copy: what an upgrade would do, shown in full, with the real file untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import (
    ENDLESS_ROWS,
    SLOW_ROWS,
    UPGRADE_TIMEOUT_MS,
    click,
    open_file,
    shipped_plus_slow,
    statuses,
    trigger,
)
from helpers.migration_files import ENGINE_BASE, SHIPPED_COUNT, copy_shipped, fail_after_real_work
from PySide6.QtWidgets import QMessageBox, QProgressBar

from core import api
from gui.jobs.rehearse import JOB as TEST_ON_A_COPY
from samples.legacy import Shape, build

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def fingerprint(path: Path) -> tuple[bytes, int, list[str]]:
    """The file's bytes, its modification time and everything beside it."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


def open_in_own_folder(qtbot, make_window, tmp_path: Path, folder: Path, shape: Shape):
    """A window with its migrations, on a file alone in its folder, and the file's fingerprint."""
    data = tmp_path / "data"
    data.mkdir()
    path = build(data / "society.db", shape, residents=5, ledger_rows=20)
    window = make_window(migrations_dir=folder)
    open_file(qtbot, window, path)
    return window, path, fingerprint(path)


def rehearse(qtbot, window):
    upgrade_on_meanwhile: list[bool] = []  # as the test reports its progress
    window.jobs.progress.connect(
        lambda _: upgrade_on_meanwhile.append(window.upgrade_action.isEnabled())
    )
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, window, "rehearseButton")
    assert upgrade_on_meanwhile and not any(upgrade_on_meanwhile)
    (outcome,) = blocker.args
    assert outcome.job is TEST_ON_A_COPY and outcome.error is None
    return outcome.result


def assert_reported_as_stopped(window, outcome) -> None:
    """A stopped test is neither a success nor “a migration would fail”."""
    assert outcome.cancelled and not outcome.ok and outcome.error is None
    rehearsal = outcome.result
    assert rehearsal.cancelled and not rehearsal.succeeded
    box = window.findChild(QMessageBox, "rehearsalDialog")
    assert box is not None and box.windowTitle() == "Test on a copy: stopped before the end"
    assert box.icon() is QMessageBox.Icon.Information
    assert "migrations after it were not tried" in box.informativeText()
    assert "Tables on the copy when it was stopped" in box.detailedText()
    log = window.log.text()
    assert "stopped as asked" in log and "⚠ Rehearsal" not in log
    assert "would fail" not in log and "would succeed" not in log
    assert "would fail" not in box.windowTitle()


def test_test_on_a_copy_reports_each_migration_and_the_schema_and_touches_nothing(
    qtbot, window, tmp_path
):
    path = build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=10, ledger_rows=40)
    before = fingerprint(path)
    open_file(qtbot, window, path)

    rehearsal = rehearse(qtbot, window)

    assert rehearsal.succeeded
    assert [s.version for s in rehearsal.steps] == list(range(1, SHIPPED_COUNT + 1))
    assert fingerprint(path) == before  # bytes, mtime, and nothing left beside it
    assert statuses(window) == ["Pending"] * SHIPPED_COUNT  # the real file's rows are not marked
    bar = window.findChild(QProgressBar, "progressBar")
    assert bar.value() == bar.maximum() == SHIPPED_COUNT
    log = window.log.text()
    assert "On the copy: Applying migration 001" in log
    n = SHIPPED_COUNT
    assert f"Rehearsal on a copy: all {n} migrations would succeed (version 0 to {n}" in log
    assert "The real file was not touched." in log
    for step in rehearsal.steps:
        assert f"{step.version:03d}  {step.description}: succeeded in " in log
    assert "Tables the file would have afterwards" in log
    assert "sessions (" in log  # the table migration 004 creates, with its columns
    box = window.findChild(QMessageBox, "rehearsalDialog")
    assert box is not None and box.windowTitle() == "Test on a copy: all would succeed"
    assert "001" in box.informativeText() and "sessions" in box.detailedText()
    assert window.upgrade_action.isEnabled()  # and now for real, if the person wants


def test_a_failing_migration_in_the_test_is_shown_and_the_file_is_unchanged(
    qtbot, make_window, tmp_path
):
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    fail_after_real_work(folder, 3)
    window, path, before = open_in_own_folder(qtbot, make_window, tmp_path, folder, Shape.VEHICLES)

    rehearsal = rehearse(qtbot, window)

    assert not rehearsal.succeeded
    assert [s.version for s in rehearsal.steps] == [1, 2]
    assert "deliberate failure in migration 3" in rehearsal.error
    assert fingerprint(path) == before
    assert statuses(window) == ["Pending"] * ENGINE_BASE
    log = window.log.text()
    assert "On the copy: Migration 003" in log and "It was rolled back" in log
    assert "The real file was not touched." in log
    box = window.findChild(QMessageBox, "rehearsalDialog")
    assert box is not None and box.windowTitle() == "Test on a copy: a migration would fail"
    assert "deliberate failure in migration 3" in box.informativeText()
    assert "Traceback" not in log


def test_test_on_a_copy_is_off_when_nothing_is_pending(qtbot, window, tmp_path):
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    open_file(qtbot, window, path)
    assert window.rehearse_action.isEnabled()
    api.upgrade(path, backup=False)
    trigger(qtbot, window, window.reload_action)
    assert not window.rehearse_action.isEnabled()


def test_cancel_stops_the_test_on_a_copy_and_the_file_is_untouched(qtbot, make_window, tmp_path):
    folder = shipped_plus_slow(tmp_path / "migrations", ENDLESS_ROWS)
    window, path, before = open_in_own_folder(
        qtbot, make_window, tmp_path, folder, Shape.FIRST_RELEASE
    )
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, window, "rehearseButton")
        qtbot.waitUntil(lambda: "On the copy: Applying migration 005" in window.log.text())
        click(qtbot, window, "cancelButton")
        click(qtbot, window, "cancelButton")  # Stop now: interrupt the endless count
    (outcome,) = blocker.args
    assert_reported_as_stopped(window, outcome)
    assert [s.version for s in outcome.result.steps] == [1, 2, 3, 4]
    assert fingerprint(path) == before
    assert statuses(window) == ["Pending"] * 5


def test_cancel_between_migrations_is_reported_as_stopped_not_as_success(
    qtbot, make_window, tmp_path
):
    folder = shipped_plus_slow(tmp_path / "migrations", SLOW_ROWS, then_noop=True)
    window, path, before = open_in_own_folder(
        qtbot, make_window, tmp_path, folder, Shape.FIRST_RELEASE
    )
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, window, "rehearseButton")
        qtbot.waitUntil(lambda: "On the copy: Applying migration 005" in window.log.text())
        click(qtbot, window, "cancelButton")  # once: 005 finishes, 006 is not started
    (outcome,) = blocker.args
    assert_reported_as_stopped(window, outcome)
    assert [s.version for s in outcome.result.steps] == [1, 2, 3, 4, 5]
    assert "after 5 migrations" in window.progress_label.text()
    assert fingerprint(path) == before


def test_one_pending_migration_is_counted_in_the_singular(qtbot, make_window, tmp_path):
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    window, path, _ = open_in_own_folder(qtbot, make_window, tmp_path, folder, Shape.FIRST_RELEASE)
    api.upgrade(path, migrations_dir=folder, target=3, backup=False)
    trigger(qtbot, window, window.reload_action)
    bar = window.findChild(QProgressBar, "progressBar")
    assert window.progress_label.text() == "Ready to apply 1 migration."
    assert bar.text() == "0 of 1 migration done"

    rehearsal = rehearse(qtbot, window)

    assert rehearsal.succeeded and [s.version for s in rehearsal.steps] == [4]
    assert bar.text() == "1 of 1 migration done"
    log = window.log.text()
    assert "1 migrations" not in log and "1 migration would succeed" in log
    assert "columns):" in log and "(1 columns)" not in log
