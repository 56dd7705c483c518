"""Nothing slow on the window thread: a held file, F5 and a restore keep it responsive.

Each test counts the ticks of a 10 ms timer on the window thread while the
window looks at something slow: a file that a real second process holds with
``BEGIN EXCLUSIVE`` (SQLite waits for it), a migrations folder whose import
takes half a second, a restore list with a held backup in it, and the restore's question
(it names both files, so it opens them). The longest
gap between ticks must stay under 100 ms; reading on the window thread would
freeze it for the whole wait.
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from gui_helpers import (
    CHECK_TIMEOUT_MS,
    Answers,
    TickGaps,
    click,
    open_file,
    statuses,
    trigger,
)
from helpers.migration_files import ENGINE_BASE, SHIPPED_COUNT, copy_shipped
from PySide6.QtWidgets import QListWidget

from core import api
from gui.restore_dialog import RestoreDialog
from gui.status_panel import CHECKING
from samples.legacy import Shape, build

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

LONGEST_GAP = 0.1  # seconds without a single event processed
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("holding", flush=True)
sys.stdin.read()  # until the test closes our stdin
conn.execute("ROLLBACK")
conn.close()
"""


@contextmanager
def held_exclusively(path: Path) -> Iterator[None]:
    """Another program holds ``path`` with ``BEGIN EXCLUSIVE`` until the block ends."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    said: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: said.put(child.stdout.readline()), daemon=True).start()
    try:
        assert said.get(timeout=10) == "holding\n", "the other program never took the lock"
        yield
    finally:
        child.stdin.close()
        child.wait(timeout=10)
        child.stdout.close()


def wait_for_the_look(qtbot, window, gaps: TickGaps) -> None:
    """The window says "Checking…" at once, stays usable, and shows the answer in time."""
    assert window.status_panel.status.text() == CHECKING
    assert window.open_action.isEnabled() and not window.upgrade_action.isEnabled()
    with qtbot.waitSignal(window.checked, timeout=CHECK_TIMEOUT_MS):
        pass
    gaps.stop()


def assert_responsive(gaps: TickGaps) -> None:
    assert gaps.ticks > 20, "the slow read was not slow: the test proves nothing"
    assert gaps.longest < LONGEST_GAP, f"the window froze for {gaps.longest * 1000:.0f} ms"


@pytest.mark.slow
def test_opening_a_file_another_program_holds_never_blocks_the_window(qtbot, window, tmp_path):
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    open_file(qtbot, window, build(tmp_path / "other.db", Shape.VEHICLES))  # catalog loaded
    with held_exclusively(path):
        gaps = TickGaps()
        window.open_database(path)
        wait_for_the_look(qtbot, window, gaps)
    assert_responsive(gaps)
    assert window.status_panel.badge.text() == "Locked by another program"
    assert not window.upgrade_action.isEnabled()
    trigger(qtbot, window, window.reload_action)  # the other program has let go
    assert statuses(window) == ["Pending"] * SHIPPED_COUNT


def test_check_again_reads_the_migrations_without_blocking_the_window(qtbot, make_window, tmp_path):
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    (folder / "005_import_slowly.py").write_text(
        '"""Take half a second to import (a test migration)"""\n\n'
        "import time\n\ntime.sleep(0.5)\n\n\n"
        "def upgrade(conn):\n"
        '    conn.execute("SELECT 1")\n',
        encoding="utf-8",
    )
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    window = make_window(migrations_dir=folder)
    gaps = TickGaps()
    window.open_database(path)  # the first look imports the folder too
    wait_for_the_look(qtbot, window, gaps)
    assert_responsive(gaps)

    gaps = TickGaps()
    window.reload_action.trigger()  # F5 imports it again
    wait_for_the_look(qtbot, window, gaps)
    assert_responsive(gaps)
    assert statuses(window) == ["Pending"] * 5


@pytest.mark.slow
def test_the_restore_list_and_question_are_read_without_blocking_the_window(
    qtbot, window, tmp_path
):
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    held = api.backup(path)
    api.upgrade(path, backup=False)
    newer = api.backup(path)
    open_file(qtbot, window, path)
    with held_exclusively(held):
        gaps = TickGaps()
        window.restore_action.trigger()
        dialog = window.findChild(RestoreDialog, "restoreDialog")
        assert dialog is not None and dialog.busy
        assert [dialog.list.item(0).text()] == ["Reading the backups…"]
        qtbot.waitUntil(lambda: not dialog.busy, timeout=CHECK_TIMEOUT_MS)
        gaps.stop()
        backups = dialog.findChild(QListWidget, "backupList")
        listed = [backups.item(row).text() for row in range(backups.count())]

        window.confirm = Answers(yes=False)  # the question names both files: read them first
        assert dialog.select(held)
        asking = TickGaps()
        click(qtbot, dialog, "restoreChosenButton")
        asking.stop()
    assert_responsive(gaps)
    assert len(listed) == 2 and newer.name in listed[0] and f"version {SHIPPED_COUNT}" in listed[0]
    assert held.name in listed[1]  # it could not be read while held, but it is there
    assert_responsive(asking)
    ((title, _),) = window.confirm.questions
    assert title == "Restore this backup?" and not window.is_busy
