"""Adding a window job is one spec and one entry in the list: the window does the rest.

The job here is made up for the test (count the residents) and lives in this
file, as a new job would live in its own module of ``gui/jobs``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from gui_helpers import UPGRADE_TIMEOUT_MS, click, open_file
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton

from core.events import EventHandler
from core.runner import CancelToken
from core.status import State
from gui.jobs import JOBS
from gui.jobs.spec import (
    ActionText,
    FileView,
    JobHost,
    JobOutcome,
    JobSpec,
    Place,
    Run,
    close_when_done,
)
from gui.worker import Work
from samples.legacy import Shape, build

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def count_work(path: Path) -> Work:
    def work(on_event: EventHandler, cancel: CancelToken) -> int:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM residents").fetchone()[0])
        finally:
            conn.close()

    return work


def ask(host: JobHost, file: FileView) -> None:
    assert file.path is not None
    host.start_job(Run(COUNT, count_work(file.path), "Counting the residents…"))


def report(host: JobHost, outcome: JobOutcome, closing: bool) -> None:
    host.say(f"{outcome.result} residents.")


COUNT = JobSpec(
    key="count",
    name="count",
    action=ActionText("Co&unt residents", "Count the residents of this file", "Ctrl+Shift+C"),
    enabled=lambda file: file.status is not None and file.status.state is State.UNVERSIONED,
    ask=ask,
    report=report,
    unexpected="The count stopped because of an unexpected problem inside this tool.",
    closing=close_when_done("count", "it takes a moment"),
    cancellable=False,
    place=Place.FILES,
)


def test_a_new_job_gets_its_action_menu_entry_and_button_and_runs(qtbot, make_window, tmp_path):
    window = make_window(jobs=(*JOBS, COUNT))
    button = window.findChild(QToolButton, "countButton")
    assert button is not None and not button.isEnabled()  # no file yet
    (database,) = (m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Database")
    entries = [a.text() for a in database.actions() if isinstance(a, QAction)]
    assert entries[-1] == "Co&unt residents" and "&Upgrade" in entries

    open_file(qtbot, window, build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=7))
    assert button.isEnabled() and "Ctrl+Shift+C" in button.toolTip()
    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, window, "countButton")
    (outcome,) = blocker.args
    assert outcome.job is COUNT and outcome.ok and outcome.result == 7
    assert "Counting the residents…" in window.log.text() and "7 residents." in window.log.text()
