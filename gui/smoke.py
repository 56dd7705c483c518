"""Unattended runs of the window, for ``packaging/smoke.sh`` on the built program.

``--quit-after MS`` proves the window opens; ``--smoke-upgrade-copies FILE...``
has the window upgrade several copies exactly as a person would (the
"Upgrade several copies" list, its Upgrade button, the question answered
yes), then print the summary table and end with the worst exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from core import batch
from gui.copies_dialog import CopiesDialog
from gui.jobs import several
from gui.jobs.spec import JobOutcome
from gui.main_window import MainWindow

GIVE_UP_MS = 120_000  # never a wait without end, even in a smoke test


def say(text: str) -> None:
    if sys.stdout is not None:  # a windowed Windows build has no console
        print(text, flush=True)


def quit_after(app: QApplication, window: MainWindow, msecs: int) -> None:
    """Say the window was up and what it showed, then quit."""

    def done() -> None:
        say(f"Window shown: {window.windowTitle()} ({window.status_panel.status.text()})")
        app.quit()

    QTimer.singleShot(msecs, done)


def upgrade_copies(app: QApplication, window: MainWindow, paths: Sequence[Path]) -> None:
    """Open the copies list with ``paths``, press Upgrade once they are read, say yes."""
    window.confirm = lambda _title, _question, _yes: True

    def ended(outcome: JobOutcome) -> None:
        if outcome.job is not several.JOB:
            return
        outcomes = outcome.result if isinstance(outcome.result, list) else []
        say(batch.summary_table(outcomes) if outcomes else f"Not upgraded: {outcome.error}")
        app.exit(batch.worst_exit_code(outcomes) if outcomes else 1)

    def start() -> None:
        several.ask(window, window.file_view())
        dialog = window.findChild(CopiesDialog, "copiesDialog")
        if dialog is None:
            give_up("The copies dialog did not open.")
            return
        dialog.states_read.connect(dialog.upgrade_button.click)
        dialog.add_paths(list(paths))

    window.job_finished.connect(ended)
    QTimer.singleShot(0, start)

    def give_up(why: str) -> None:
        say(why)
        app.exit(1)

    QTimer.singleShot(GIVE_UP_MS, lambda: give_up("Gave up waiting for the copies."))
