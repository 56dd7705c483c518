"""Starting the window as ``python main.py [--migrations DIR] [DB]`` does."""

from __future__ import annotations

import pytest
from gui_helpers import open_file, settle, statuses
from helpers.migration_files import SHIPPED_COUNT

from gui.app import SAMPLE_NAME, create_window, parse_args
from gui.status_panel import PROMPT
from samples.legacy import Shape, build


@pytest.fixture
def started(qtbot):
    """Windows made by create_window, registered for clean-up."""

    def start(args, **kwargs):
        window = create_window(args, **kwargs)
        qtbot.addWidget(window)
        settle(qtbot, window)
        return window

    return start


def test_file_on_the_command_line_is_opened(started, tmp_path):
    path = build(tmp_path / "society.db", Shape.BANK_RECONCILIATION, residents=3, ledger_rows=5)
    window = started([str(path)])
    assert window.path == path
    assert statuses(window) == ["Pending"] * SHIPPED_COUNT
    assert window.status_panel.sample.isHidden()


def test_no_file_opens_a_sample_and_says_so(started, tmp_path):
    window = started([], sample_dir=tmp_path / "appdata")
    assert window.path == tmp_path / "appdata" / SAMPLE_NAME
    assert statuses(window) == ["Pending"] * SHIPPED_COUNT
    assert not window.status_panel.sample.isHidden()
    assert "sample database with made-up data" in window.status_panel.sample.text()


def test_a_sample_sqlite_cannot_make_is_a_message_and_is_tried_again_next_time(started, tmp_path):
    appdata = tmp_path / "appdata"
    (appdata / f"{SAMPLE_NAME}-journal").mkdir(parents=True)  # SQLite can't write its journal

    window = started([], sample_dir=appdata)

    assert window.path is None
    assert window.status_panel.status.text() == PROMPT
    log = window.log.text()
    assert "The sample database could not be made" in log and "unable to open" in log
    assert "Traceback" not in log
    assert not (appdata / SAMPLE_NAME).exists()  # no half-made sample shown next time

    (appdata / f"{SAMPLE_NAME}-journal").rmdir()
    again = started([], sample_dir=appdata)
    assert again.path == appdata / SAMPLE_NAME
    assert statuses(again) == ["Pending"] * SHIPPED_COUNT


def test_migrations_folder_is_passed_through(started, tmp_path):
    options = parse_args(["--migrations", str(tmp_path), "x.db"])
    assert (options.migrations, options.database.name) == (tmp_path, "x.db")
    window = started(["--migrations", str(tmp_path / "none"), str(tmp_path / "x.db")])
    assert window.migrations_dir == tmp_path / "none"
    assert "does not exist" in window.status_panel.status.text()


def test_once_a_real_file_was_picked_it_is_reopened_instead_of_the_sample(qtbot, started, tmp_path):
    real = build(tmp_path / "society.db", Shape.VEHICLES, residents=3, ledger_rows=5)
    first = started([], sample_dir=tmp_path / "appdata")
    open_file(qtbot, first, real)  # the person picks their own file

    again = started([], sample_dir=tmp_path / "appdata")

    assert again.path == real
    assert again.status_panel.sample.isHidden()


def test_a_recent_file_that_is_gone_falls_back_to_the_sample(qtbot, started, tmp_path):
    (tmp_path / "usb").mkdir()
    real = build(tmp_path / "usb" / "society.db", Shape.VEHICLES, residents=3, ledger_rows=5)
    open_file(qtbot, started([], sample_dir=tmp_path / "appdata"), real)
    real.unlink()  # the USB stick was taken out

    again = started([], sample_dir=tmp_path / "appdata")

    assert again.path == tmp_path / "appdata" / SAMPLE_NAME
