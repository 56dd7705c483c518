"""The window never shows a file that differs from its version as up to date."""

from __future__ import annotations

import pytest
from gui_helpers import UPGRADE_TIMEOUT_MS, click, open_file
from helpers.schema_files import run_sql, text_debit_file, upgraded
from PySide6.QtWidgets import QLabel, QMessageBox

from core import api
from core.status import State
from samples.legacy import build_numbered_by_app_manager

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def text_of(window, name: str) -> str:
    return window.findChild(QLabel, name).text()


def test_a_file_missing_what_its_version_owns_gets_its_own_badge(qtbot, window, tmp_path):
    db = upgraded(tmp_path / "society.db")
    run_sql(db, "DROP INDEX idx_ledger_date")
    open_file(qtbot, window, db)
    assert text_of(window, "stateBadge") == "Differs from its version"
    assert "index idx_ledger_date is missing" in text_of(window, "statusLabel")


def test_an_upgrade_that_leaves_the_file_otherwise_is_a_warning_not_a_success(
    qtbot, window, tmp_path
):
    db = text_debit_file(tmp_path / "society.db")
    open_file(qtbot, window, db)
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, window, "upgradeButton")
    (outcome,) = blocker.args
    assert outcome.ok and outcome.result.differences
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "schemaDiffersDialog") is not None)
    box = window.findChild(QMessageBox, "schemaDiffersDialog")
    assert "ledger.debit is TEXT" in box.text() and box.icon() is QMessageBox.Icon.Warning
    qtbot.waitUntil(lambda: text_of(window, "stateBadge") == "Differs from its version")
    assert api.status(db).state is State.DIFFERS


def test_a_file_numbered_by_another_tool_is_said_and_can_be_upgraded(qtbot, window, tmp_path):
    db = build_numbered_by_app_manager(tmp_path / "society.db", 9, residents=5, ledger_rows=10)
    open_file(qtbot, window, db)
    assert text_of(window, "stateBadge") == "Numbered by another tool"
    assert text_of(window, "statusLabel").startswith("Numbered 9 by another tool")
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, window, "upgradeButton")
    assert blocker.args[0].ok
    qtbot.waitUntil(lambda: text_of(window, "stateBadge") == "Up to date")


def test_the_schema_check_job_reports_every_difference_in_a_copyable_box(qtbot, window, tmp_path):
    db = upgraded(tmp_path / "society.db")
    run_sql(db, "DROP INDEX idx_ledger_date", "ALTER TABLE residents ADD COLUMN wing TEXT")
    before = db.read_bytes()
    open_file(qtbot, window, db)
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, window, "checkButton")
    assert blocker.args[0].ok
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "schemaCheckDialog") is not None)
    box = window.findChild(QMessageBox, "schemaCheckDialog")
    assert box.icon() is QMessageBox.Icon.Warning
    assert "- index idx_ledger_date is missing" in box.detailedText()
    assert "residents has an extra column `wing` that no migration made" in box.detailedText()
    assert db.read_bytes() == before  # only read


def test_a_clean_file_checks_clean(qtbot, window, tmp_path):
    db = upgraded(tmp_path / "society.db")
    open_file(qtbot, window, db)
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS):
        click(qtbot, window, "checkButton")
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "schemaCheckDialog") is not None)
    box = window.findChild(QMessageBox, "schemaCheckDialog")
    assert box.icon() is QMessageBox.Icon.Information
    assert "nothing the migrations make is missing or different" in box.detailedText()
