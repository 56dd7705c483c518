"""Upgrade several copies from the window: each listed with its state, upgraded in turn."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from gui_helpers import CHECK_TIMEOUT_MS, UPGRADE_TIMEOUT_MS, open_file, user_version
from helpers.migration_files import SHIPPED_COUNT, copy_shipped, fail_where_marked, mark_to_fail
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit, QPushButton

from core import api, runlog, wording
from core.discovery import load_catalog
from core.state import State
from gui.copies_dialog import STATE, CopiesDialog
from gui.summary_dialog import SummaryDialog
from samples.legacy import Shape, build

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def legacy_copies(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    shape = Shape.MERGED_BY_HAND
    return [build(folder / f"{n}.db", shape, residents=8, ledger_rows=20) for n in names]


def open_copies(qtbot, window) -> CopiesDialog:
    window.job_actions["several"].trigger()
    dialog = window.findChild(CopiesDialog, "copiesDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def add(qtbot, dialog: CopiesDialog, *paths: Path) -> None:
    with qtbot.waitSignal(dialog.states_read, timeout=CHECK_TIMEOUT_MS):
        dialog.add_paths(paths)


def states(dialog: CopiesDialog) -> dict[str, str]:
    table = dialog.table
    return {
        Path(table.item(r, 0).text()).name: table.item(r, STATE).text()
        for r in range(table.rowCount())
    }


def upgrade_and_wait(qtbot, window, dialog: CopiesDialog) -> SummaryDialog:
    button = dialog.findChild(QPushButton, "upgradeCopiesButton")
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS * 3):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    summary = window.findChild(SummaryDialog, "summaryDialog")
    assert summary is not None
    return summary


def test_three_copies_are_upgraded_in_one_go(qtbot, window, tmp_path):
    office, laptop, stick = legacy_copies(tmp_path, "office", "laptop", "stick")
    open_file(qtbot, window, office)
    dialog = open_copies(qtbot, window)
    add(qtbot, dialog, office, laptop, stick)
    assert set(states(dialog).values()) == {f"pending: {SHIPPED_COUNT} migrations"}
    assert dialog.upgrade_button.text() == "&Upgrade 3 copies"

    summary = upgrade_and_wait(qtbot, window, dialog)

    for path in (office, laptop, stick):
        assert user_version(path) == SHIPPED_COUNT  # the files themselves
        (backup,) = (tmp_path / "backups").glob(f"{path.stem}_v0_*.db")
        assert user_version(backup) == 0
    assert [summary.table.item(r, 2).text() for r in range(3)] == ["upgraded"] * 3
    assert summary.table.item(0, 1).text() == f"0 -> {SHIPPED_COUNT}"
    summary.findChild(QPushButton, "copySummaryButton").click()
    copied = QGuiApplication.clipboard().text()
    assert copied == summary.text and copied.splitlines()[0].split() == [
        "File",
        "Version",
        "Result",
        "Backup",
    ]
    assert all(str(p) in copied for p in (office, laptop, stick))
    lines = runlog.log_path().read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and all(f"version 0 -> {SHIPPED_COUNT}" in line for line in lines)
    assert window.status_panel.status.text() == f"Up to date at version {SHIPPED_COUNT}."


def test_every_state_is_listed_and_only_the_upgradable_are_upgraded(qtbot, window, tmp_path):
    office, current = legacy_copies(tmp_path, "office", "current")
    open_file(qtbot, window, office)
    api.upgrade(current, backup=False)
    notes = tmp_path / "notes.db"
    notes.write_text("not a database", encoding="utf-8")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.close()
    newer = legacy_copies(tmp_path, "newer")[0]
    api.upgrade(newer, backup=False)  # our history: the number below is ours, too high
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SHIPPED_COUNT + 5}")
    conn.close()
    differs = legacy_copies(tmp_path, "differs")[0]
    api.upgrade(differs, target=4, backup=False)
    with sqlite3.connect(differs) as conn:
        conn.execute("DROP INDEX idx_ledger_date")  # version 4 owns it
    conn.close()
    dialog = open_copies(qtbot, window)
    add(qtbot, dialog, tmp_path)  # the folder: every database file in it

    assert states(dialog) == {
        "current.db": "up to date",
        "differs.db": f"differs; pending: {SHIPPED_COUNT - 4} migrations",
        "newer.db": "newer than this tool",
        "notes.db": "not a database",
        "office.db": f"pending: {SHIPPED_COUNT} migrations",
        "other.db": "not a society database",
    }
    found = {p.name: api.status(p) for p in (office, current, notes, other, newer, differs)}
    assert states(dialog) == {name: wording.state_words(s) for name, s in found.items()}
    assert dialog.upgrade_button.text() == "&Upgrade 2 copies"
    before = {p: p.read_bytes() for p in (notes, other, newer)}
    summary = upgrade_and_wait(qtbot, window, dialog)
    rows = {
        Path(summary.table.item(r, 0).text()).name: summary.table.item(r, 2).text()
        for r in range(summary.table.rowCount())
    }
    assert rows == {  # the upgraded first, then those left alone
        "office.db": "upgraded",
        "differs.db": "still differs from its version",  # migrated, its index still missing
        "current.db": "up to date",
        "newer.db": "not upgraded",
        "notes.db": "not upgraded",
        "other.db": "not upgraded",
    }
    assert list(rows)[:2] == ["differs.db", "office.db"]
    assert user_version(office) == user_version(differs) == SHIPPED_COUNT
    assert all(p.read_bytes() == b for p, b in before.items())


def test_every_state_has_its_words_in_the_wording_module_only():
    import gui.copies_dialog

    assert set(wording.STATE_WORDS) == set(State)
    assert not hasattr(gui.copies_dialog, "STATE_WORDS")  # no list of its own to drift


def test_a_failure_is_rolled_back_and_the_others_go_on(qtbot, make_window, tmp_path):
    folder = copy_shipped(tmp_path / "migrations")
    fail_where_marked(folder, SHIPPED_COUNT + 1)
    window = make_window(folder)
    first, marked, last = legacy_copies(tmp_path, "first", "marked", "last")
    mark_to_fail(marked)
    open_file(qtbot, window, first)
    dialog = open_copies(qtbot, window)
    add(qtbot, dialog, first, marked, last)

    summary = upgrade_and_wait(qtbot, window, dialog)

    results = [summary.table.item(r, 2).text() for r in range(3)]
    assert results == ["upgraded", "failed, rolled back", "upgraded"]
    assert summary.table.item(1, 1).text() == f"0 -> {SHIPPED_COUNT}"
    assert user_version(marked) == SHIPPED_COUNT  # the failed one rolled back, whole
    assert user_version(first) == user_version(last) == SHIPPED_COUNT + 1
    assert load_catalog(folder).latest == SHIPPED_COUNT + 1
    log = window.findChild(QPlainTextEdit, "logView").toPlainText()
    assert "marked.db: Migration" in log and "rolled back" in log
