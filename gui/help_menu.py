"""The Help menu: About (versions, where the log and the backups are) and Save diagnostics.

About says which tool this is and where to look after a run: the run log
(:mod:`core.runlog`) and the open file's ``backups`` folder. Save
diagnostics writes the zip of :mod:`core.diagnostics` on the window's
background worker (it reads the open file) and says where it went.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QFileDialog, QMenuBar, QMessageBox, QWidget

from core import diagnostics, runlog
from core.backup import default_backup_dir
from core.version import TOOL_VERSION
from gui.background import Background, Problem
from gui.dialogs import reason_of, tell
from gui.jobs.spec import ActionText, FileView
from gui.window_layout import make_action

ABOUT = ActionText("&About", "The tool's version, and where its log and the backups are", "F1")
DIAGNOSTICS = ActionText(
    "Save &diagnostics…",
    "Save one zip for whoever supports you: the run log, versions, and the open file's "
    "version, history and schema (never its rows)",
    "Ctrl+Shift+D",
)
UNEXPECTED = "The diagnostics could not be saved because of an unexpected problem in this tool."


class HelpHost(Protocol):
    """What the Help menu needs of the window."""

    background: Background

    def file_view(self) -> FileView: ...

    def say(self, text: str, *, failure: bool = False) -> None: ...


def qt_versions() -> dict[str, str]:
    return {"Qt": qVersion(), "PySide6": PySide6.__version__}


def about_text(file: FileView) -> str:
    """The About box's words: versions, the latest schema, the log and backups folders."""
    latest = file.catalog.latest if file.catalog is not None else "not read yet"
    backups = (
        f"In a backups folder beside each database; for the open file: "
        f"{default_backup_dir(file.path)}"
        if file.path is not None
        else "In a backups folder beside each database."
    )
    found = diagnostics.versions(qt_versions())
    return (
        f"Society DB Migrator {TOOL_VERSION}\n\n"
        f"Latest database version it knows: {latest}\n"
        f"Run log: {runlog.log_path()}\n"
        f"Backups: {backups}\n\n"
        f"Python {found['Python']}, Qt {found['Qt']}, SQLite {found['SQLite']}"
    )


def diagnostics_name() -> str:
    return f"society-migrator-diagnostics-{datetime.now():%Y%m%d-%H%M%S}.zip"


class HelpMenu:
    """Makes the two actions, puts them in a Help menu, and does what they say."""

    def __init__(self, window: QWidget, host: HelpHost) -> None:
        self.window, self.host = window, host
        self.about_action = make_action(window, ABOUT, self.show_about)
        self.diagnostics_action = make_action(window, DIAGNOSTICS, self.save_diagnostics)
        # Replaceable in tests: where to save the zip ("" to cancel).
        self.choose_zip: Callable[[str], str] = self._pick_zip

    def install(self, bar: QMenuBar) -> None:
        menu = bar.addMenu("&Help")
        menu.addAction(self.diagnostics_action)
        menu.addSeparator()
        menu.addAction(self.about_action)

    def show_about(self) -> QMessageBox:
        return tell(
            self.window,
            "About Society DB Migrator",
            about_text(self.host.file_view()),
            name="aboutDialog",
            warning=False,
        )

    def save_diagnostics(self) -> None:
        file = self.host.file_view()
        start = file.path.parent if file.path is not None else Path.home()
        chosen = self.choose_zip(str(start / diagnostics_name()))
        if not chosen:
            return
        out = Path(chosen)

        def write() -> Path | str:
            try:
                return diagnostics.save(
                    out, database=file.path, catalog=file.catalog, extra_versions=qt_versions()
                )
            except OSError as exc:
                return f"The diagnostics could not be saved ({reason_of(exc)})."

        self.host.background.run(write, self._on_saved, UNEXPECTED)

    def _on_saved(self, result: object) -> None:
        if isinstance(result, Path):
            self.host.say(f"Diagnostics saved to {result}: send this file to whoever supports you.")
            return
        text = result.text if isinstance(result, Problem) else str(result)
        self.host.say(text, failure=True)
        tell(self.window, "Diagnostics not saved", text)

    def _pick_zip(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save diagnostics", suggested, "Zip files (*.zip)"
        )
        return path
