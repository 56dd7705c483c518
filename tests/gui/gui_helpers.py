"""Helpers for the window's tests: test migrations, answers to questions, reading rows."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from helpers.migration_files import ENGINE_BASE, ROOT, copy_shipped, write_migration
from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QWidget

from gui.main_window import MainWindow
from gui.migrations_model import STATUS
from gui.restore_dialog import RestoreDialog

UPGRADE_TIMEOUT_MS = 15_000
CHECK_TIMEOUT_MS = 5_000  # a look at a file: at most SQLite's lock waits, on the worker
SLOW_ROWS = 3_000_000  # about a second of SQLite work
ENDLESS_ROWS = 500_000_000  # minutes: only an interrupt ends it within a test


def add_slow_migration(folder: Path, version: int, rows: int) -> Path:
    """A migration that keeps SQLite busy (a recursive count), so it can be interrupted."""
    return write_migration(
        folder,
        version,
        "count_slowly",
        f"""
        conn.execute(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {rows}) "
            "SELECT count(*) FROM c"
        ).fetchone()
        """,
        doc="Count for a while in SQL (a test migration)",
    )


def shipped_plus_slow(folder: Path, rows: int, *, then_noop: bool = False) -> Path:
    """The first four shipped migrations, then a slow 005 (and a quick 006 if asked)."""
    copy_shipped(folder, upto=ENGINE_BASE)
    add_slow_migration(folder, 5, rows)
    if then_noop:
        write_migration(folder, 6, "do_nothing", 'conn.execute("SELECT 1")', doc="Do nothing")
    return folder


class TickGaps(QObject):
    """Measures the longest wait between ticks of a 10 ms timer in the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.last = time.perf_counter()
        self.longest = 0.0
        self.ticks = 0
        self.timer = QTimer(self, interval=10)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now
        self.ticks += 1

    def stop(self) -> None:
        self.timer.stop()


class Answers:
    """Stands in for the confirmation dialog: records each question, answers ``yes``."""

    def __init__(self, yes: bool = True) -> None:
        self.yes = yes
        self.questions: list[tuple[str, str]] = []

    def __call__(self, title: str, question: str, yes_label: str) -> bool:
        self.questions.append((title, question))
        return self.yes


def statuses(window: MainWindow) -> list[str]:
    model = window.model
    return [model.data(model.index(row, STATUS)) for row in range(model.rowCount())]


def start_cli(*args: str | Path) -> subprocess.Popen:
    """``python main.py ARGS`` in a child process; stdout and stderr as one stream of lines."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def click(qtbot, parent: QWidget, name: str) -> QAbstractButton:
    """Click the button called ``name`` inside ``parent``, as a person would."""
    button = parent.findChild(QAbstractButton, name)
    assert button is not None, name
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    if isinstance(parent, MainWindow):  # a job reads the file again before it asks
        settle(qtbot, parent)
    for dialog in [*parent.findChildren(RestoreDialog), parent]:  # the backups are read
        if isinstance(dialog, RestoreDialog):
            qtbot.waitUntil(lambda d=dialog: not d.busy, timeout=CHECK_TIMEOUT_MS)
    owner = parent.parentWidget()
    if isinstance(owner, MainWindow):  # a restore looks at both files before it asks
        qtbot.waitUntil(lambda: not owner.background.busy, timeout=CHECK_TIMEOUT_MS)
    return button


def user_version(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


class Offered:
    """What the window offers at the moment its job starts (``jobs.started``).

    A quick job may be over before a test looks, so the look is taken then.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.seen: list[dict[str, bool]] = []
        window.jobs.started.connect(self._on_jobs_started)

    def _on_jobs_started(self, job: object) -> None:
        window = self.window
        actions = {"open": window.open_action, "reload": window.reload_action}
        actions |= window.job_actions
        seen = {name: action.isEnabled() for name, action in actions.items()}
        seen["restore dialog"] = window.open_restore_dialog() is not None
        self.seen.append(seen)

    @property
    def only(self) -> dict[str, bool]:
        """What was offered when the one job started."""
        assert len(self.seen) == 1, self.seen
        return self.seen[0]


def settle(qtbot, window: MainWindow) -> None:
    """Wait (bounded) until the window has shown its look at the file: no more "Checking…"."""
    qtbot.waitUntil(lambda: not window.is_checking, timeout=CHECK_TIMEOUT_MS)


def open_file(qtbot, window: MainWindow, path: Path, **options: bool) -> None:
    """Open ``path`` as a person would, and wait until its state is shown."""
    window.open_database(path, **options)
    settle(qtbot, window)


def trigger(qtbot, window: MainWindow, action: QAction) -> None:
    """Trigger one of the window's actions, and wait until the file's state is shown."""
    action.trigger()
    settle(qtbot, window)
