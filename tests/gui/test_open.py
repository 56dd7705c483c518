"""Opening every kind of file: the status in words, the rows, and a window that stays usable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from gui_helpers import open_file, settle, statuses, trigger
from helpers.migration_files import SHIPPED_COUNT
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QToolButton

from core import api
from gui.settings import Settings
from gui.status_panel import PROMPT
from samples.legacy import Shape, build


def label(window, name: str) -> str:
    return window.findChild(type(window.status_panel.status), name).text()


def test_window_without_a_file_asks_for_one(window):
    assert label(window, "statusLabel") == PROMPT
    assert window.model.rowCount() == 0
    assert not window.upgrade_action.isEnabled()
    assert window.open_action.isEnabled()


@pytest.mark.parametrize("shape", [s for s in Shape if s is not Shape.EMPTY_FILE])
def test_legacy_file_shows_unversioned_and_all_pending(qtbot, window, tmp_path, shape):
    path = build(tmp_path / "society.db", shape, residents=5, ledger_rows=10)
    open_file(qtbot, window, path)
    pending = f"unversioned database from an older install: {SHIPPED_COUNT} migrations pending"
    assert pending in label(window, "statusLabel")
    assert label(window, "stateBadge") == "Unversioned (older install)"
    assert label(window, "versionLabel") == f"Version 0 · latest {SHIPPED_COUNT}"
    assert statuses(window) == ["Pending"] * SHIPPED_COUNT
    assert window.upgrade_action.isEnabled()


def test_empty_file_is_a_new_database(qtbot, window, tmp_path):
    open_file(qtbot, window, build(tmp_path / "new.db", Shape.EMPTY_FILE))
    assert label(window, "statusLabel").startswith("An empty database")
    assert statuses(window) == ["Pending"] * SHIPPED_COUNT
    assert window.upgrade_action.isEnabled()


def test_up_to_date_file_shows_applied_rows_with_history(qtbot, window, tmp_path):
    path = build(tmp_path / "society.db", Shape.VEHICLES, residents=5, ledger_rows=10)
    api.upgrade(path, backup=False)
    open_file(qtbot, window, path)
    assert label(window, "statusLabel") == f"Up to date at version {SHIPPED_COUNT}."
    assert label(window, "stateBadge") == "Up to date"
    assert statuses(window) == ["Applied"] * SHIPPED_COUNT
    model = window.model
    assert all(model.data(model.index(row, 3)) for row in range(SHIPPED_COUNT))  # applied at
    assert all(model.data(model.index(row, 4)).endswith("ms") for row in range(SHIPPED_COUNT))
    assert not window.upgrade_action.isEnabled()


def _text_file(folder: Path) -> Path:
    path = folder / "notes.db"
    path.write_text("shopping list, not a database\n", encoding="utf-8")
    return path


def _folder(folder: Path) -> Path:
    path = folder / "looks_like.db"
    path.mkdir()
    return path


def _missing(folder: Path) -> Path:
    return folder / "nowhere.db"


def _too_new(folder: Path) -> Path:
    path = build(folder / "future.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    api.upgrade(path, backup=False)  # our history: 99 is our numbering, beyond this tool
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    return path


def _other_program(folder: Path) -> Path:
    path = folder / "photos.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE albums (id INTEGER PRIMARY KEY, title TEXT)")
    conn.close()
    return path


@pytest.mark.parametrize(
    ("make", "words", "badge"),
    [
        (_text_file, "not a database", "Not a database"),
        (_folder, "is a folder, not a database file", "Not found"),
        (_missing, "There is no file at", "Not found"),
        (_too_new, "made by a newer version of the tool", "Newer than this tool"),
        (_other_program, "some other program", "Not a society database"),
    ],
)
def test_bad_file_is_explained_and_window_stays_usable(qtbot, window, tmp_path, make, words, badge):
    bad = make(tmp_path)
    open_file(qtbot, window, bad)
    assert words in label(window, "statusLabel")
    assert label(window, "stateBadge") == badge
    assert window.model.rowCount() == 0
    assert not window.upgrade_action.isEnabled()
    assert window.open_action.isEnabled()

    good = build(tmp_path / "good.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    open_file(qtbot, window, good)
    assert statuses(window) == ["Pending"] * SHIPPED_COUNT
    assert window.upgrade_action.isEnabled()


def test_file_locked_by_another_program_says_so(qtbot, window, tmp_path):
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        open_file(qtbot, window, path)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "Another program is writing to this database" in label(window, "statusLabel")
    assert label(window, "stateBadge") == "Locked by another program"
    assert not window.upgrade_action.isEnabled()
    assert not window.restore_action.isEnabled()  # the state table: a held file is not touched
    trigger(qtbot, window, window.reload_action)  # once the other program lets go, look again
    assert statuses(window) == ["Pending"] * SHIPPED_COUNT


def test_broken_migrations_folder_is_text_not_a_traceback(qtbot, make_window, tmp_path):
    window = make_window(migrations_dir=tmp_path / "no_such_folder")
    open_file(qtbot, window, build(tmp_path / "society.db", Shape.FIRST_RELEASE))
    assert "does not exist" in label(window, "statusLabel")
    assert "Traceback" not in window.log.text()
    assert not window.upgrade_action.isEnabled()


def test_dropping_a_file_opens_it(qtbot, window, tmp_path):
    path = build(tmp_path / "dropped.db", Shape.LOGIN_SECURITY, residents=3, ledger_rows=3)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    how = Qt.DropAction.CopyAction
    button, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(5, 5), how, mime, button, keys)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), how, mime, button, keys)
    window.dropEvent(drop)
    settle(qtbot, window)
    assert window.path == path
    assert statuses(window) == ["Pending"] * SHIPPED_COUNT


def test_recent_files_and_last_folder_are_remembered_outside_the_database(
    qtbot, window, tmp_path, private_settings
):
    first = build(tmp_path / "first.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    second = build(tmp_path / "second.db", Shape.VEHICLES, residents=3, ledger_rows=3)
    open_file(qtbot, window, first)
    open_file(qtbot, window, second)
    settings = Settings()
    assert settings.recent_files == [str(second), str(first)]
    assert settings.last_folder == str(tmp_path)
    assert any(private_settings.rglob("*.ini"))

    recent = window.recent_menu.actions()
    assert [a.text() for a in recent] == [str(second), str(first)]
    recent[1].trigger()
    assert window.path == first


def test_closing_remembers_the_window_geometry(window):
    window.close()
    assert Settings().geometry() is not None


def test_buttons_have_shortcuts_and_tooltips(window):
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert window.upgrade_action.shortcut().toString() == "Ctrl+U"
    for name in ("openButton", "reloadButton", "upgradeButton", "cancelButton"):
        button = window.findChild(QToolButton, name)
        assert button is not None and button.toolTip(), name
    assert "Ctrl+U" in window.findChild(QToolButton, "upgradeButton").toolTip()
