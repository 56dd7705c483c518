"""Help → About and Save diagnostics, and a window that works from the keyboard alone."""

from __future__ import annotations

import json
import zipfile

import pytest
from gui_helpers import CHECK_TIMEOUT_MS, open_file
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QMenu, QMessageBox, QPlainTextEdit, QWidget

from core import api, runlog
from core.backup import default_backup_dir
from core.batch import FileOutcome, Result
from core.discovery import load_catalog
from core.version import TOOL_VERSION
from gui.copies_dialog import CopiesDialog
from gui.summary_dialog import SummaryDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_about_names_the_version_the_latest_schema_the_log_and_the_backups(
    qtbot, window, legacy_db
):
    open_file(qtbot, window, legacy_db)
    window.help.about_action.trigger()
    box = window.findChild(QMessageBox, "aboutDialog")
    assert box is not None
    text = box.text()
    assert f"Society DB Migrator {TOOL_VERSION}" in text
    assert f"Latest database version it knows: {load_catalog().latest}" in text
    assert f"Run log: {runlog.log_path()}" in text
    assert str(default_backup_dir(legacy_db)) in text
    box.close()


def test_save_diagnostics_writes_a_zip_without_row_values(qtbot, window, legacy_db, tmp_path):
    api.upgrade(legacy_db)
    open_file(qtbot, window, legacy_db)
    out = tmp_path / "sent" / "diagnostics.zip"
    window.help.choose_zip = lambda suggested: str(out)
    window.help.diagnostics_action.trigger()
    log = window.findChild(QPlainTextEdit, "logView")
    qtbot.waitUntil(lambda: f"Diagnostics saved to {out}" in log.toPlainText(), timeout=5000)
    with zipfile.ZipFile(out) as zf:
        text = {n: zf.read(n).decode("utf-8") for n in zf.namelist()}
    about = json.loads(text["about.json"])
    assert {"Qt", "PySide6", "Python", "SQLite", "Society DB Migrator"} <= set(about["versions"])
    assert json.loads(text["database.json"])["current_version"] == load_catalog().latest
    assert str(legacy_db) in text["runs.log"]
    everything = "".join(text.values())
    assert "Sample Resident" not in everything and "@example.invalid" not in everything


def test_cancelling_the_file_picker_saves_nothing(qtbot, window, legacy_db, tmp_path):
    open_file(qtbot, window, legacy_db)
    window.help.choose_zip = lambda suggested: ""
    window.help.diagnostics_action.trigger()
    assert not window.background.busy
    assert not list(tmp_path.rglob("*.zip"))


def menu_actions(window):
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if not action.isSeparator() and menu.title():
                yield menu, action


def test_every_menu_entry_has_a_shortcut_or_a_mnemonic(window):
    titles = {menu.title() for menu, _ in menu_actions(window)}
    assert titles >= {"&File", "&Database", "&Help"} and all("&" in t for t in titles)
    for _menu, action in menu_actions(window):
        assert not action.shortcut().isEmpty() or "&" in action.text(), action.text()
    jobs = [window.job_actions[k] for k in ("upgrade", "rehearse", "restore", "several")]
    helps = [window.help.about_action, window.help.diagnostics_action]
    assert all(not a.shortcut().isEmpty() for a in [*jobs, *helps])


def focusable(root: QWidget) -> list[QWidget]:
    return [
        w
        for w in root.findChildren(QWidget)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(root) and w.window() is root
    ]


def accessible_name(widget: QWidget) -> str:
    face = QAccessible.queryAccessibleInterface(widget)
    return face.text(QAccessible.Text.Name) if face is not None else ""


def in_tab_chain(root: QWidget) -> set[QWidget]:
    seen, widget = set(), root.nextInFocusChain()
    while widget is not root and widget not in seen:
        seen.add(widget)
        widget = widget.nextInFocusChain()
    return seen


def test_every_control_is_reached_by_tab_and_has_a_name(qtbot, window, legacy_db, tmp_path):
    open_file(qtbot, window, legacy_db)
    window.show()
    window.job_actions["several"].trigger()
    copies = window.findChild(CopiesDialog, "copiesDialog")
    with qtbot.waitSignal(copies.states_read, timeout=CHECK_TIMEOUT_MS):
        copies.add_paths([legacy_db])
    summary = SummaryDialog([FileOutcome(legacy_db, 0, 4, Result.UPGRADED)], window)
    summary.show()
    restore = window.open_restore_dialog()
    assert restore is not None
    for root in (window, copies, summary, restore):
        controls = focusable(root)
        assert len(controls) >= 3
        chain = in_tab_chain(root)
        for widget in controls:
            assert accessible_name(widget), f"{widget.objectName() or widget} has no name"
            assert widget in chain, f"{widget.objectName()} can't be reached with Tab"
    names = {w.objectName() for w in focusable(window)}
    assert {"openButton", "upgradeButton", "severalButton", "migrationsView", "logView"} <= names
    for dialog in (summary, copies, restore):
        dialog.close()
