"""The window's questions and messages: what they say, and the small boxes that say it.

``ask`` is the one blocking question (the window's ``confirm``, which tests
replace); ``tell`` never blocks, so the window stays usable behind it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from core import wording
from core.restore import BackupInfo, FileSide
from core.status import DatabaseStatus

FILE_FILTERS = "SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"
CLOSE_SOFTLY = "Close the Society Management System before you start."


def ask(parent: QWidget, title: str, question: str, yes: str) -> bool:
    """A modal question with ``yes`` and Cancel; True if the person chose ``yes``."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(go)
    box.exec()
    return box.clickedButton() is go


def tell(
    parent: QWidget, title: str, message: str, *, name: str = "errorDialog", warning: bool = True
) -> QMessageBox:
    """Show a message without blocking; it deletes itself when closed."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, message, parent=parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def reason_of(exc: BaseException) -> str:
    """Why something failed, in a clause: the system's words for a file error, else its text."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return reason.rstrip(".")


def plan_text(status: DatabaseStatus) -> str:
    steps = "\n".join(f"  • {m.version:03d}  {m.description}" for m in status.pending)
    n = len(status.pending)
    return (
        f"Upgrade {status.path.name} from version {status.current_version} to version "
        f"{status.latest_version}?\n\n"
        f"{'This migration' if n == 1 else f'These {n} migrations'} will run, "
        f"each all-or-nothing:\n{steps}\n\n"
        "A safety copy of the file is made first, in the “backups” folder beside it. "
        f"{CLOSE_SOFTLY}"
    )


def new_database_text(status: DatabaseStatus) -> str:
    n = len(status.pending)
    return (
        "This file is empty. Set it up as a new society database?\n\n"
        f"{status.path}\n\ngets the tables of version {status.latest_version}: "
        f"{wording.count(n, 'migration')} run, each all-or-nothing. "
        "Choose Cancel if you meant to open another file."
    )


def restore_text(backup: BackupInfo, db: Path, sides: tuple[FileSide, FileSide]) -> str:
    """The question before a restore: both files, as a person tells them apart."""
    incoming, current = sides
    return (
        f"Put back {backup.path.name} in place of {db.name}?\n\n"
        f"The backup: {incoming.text}.\nThe file it replaces: {current.text}.\n\n"
        "The current file will be kept aside in backups/ first, so it can be put back too. "
        f"The backup is checked before anything is replaced. {CLOSE_SOFTLY}"
    )
