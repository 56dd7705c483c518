"""The restore job: put a chosen backup back in place of the open file, the file kept aside."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt

from core import api, wording
from core.events import EventHandler
from core.restore import BackupInfo, RestoreResult, restore_sides
from core.runner import CancelToken
from core.state import Action
from core.status import DatabaseStatus
from gui.accessibility import name_widgets
from gui.background import Problem
from gui.dialogs import restore_text
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
from gui.restore_dialog import RestoreDialog
from gui.worker import Work

UNEXPECTED_LOOK = (
    "The two files could not be compared because of an unexpected problem inside this tool, "
    "so the restore was not started. The database file was not changed."
)
UNEXPECTED = (
    "The restore stopped because of an unexpected problem inside this tool. "
    "Check the database's status again before using it; the file it was replacing was "
    "kept in the backups folder first if the log says so. The technical details below "
    "help whoever maintains the tool."
)


def can_restore(file: FileView) -> bool:
    """A backup can be put in the file's place (even a damaged or missing one's)."""
    found = file.status
    return file.catalog is not None and found is not None and found.can(Action.RESTORE_OVER)


def restore_work(backup: Path, path: Path, migrations_dir: Path | str | None) -> Work:
    """The worker's call: verify ``backup``, keep ``path`` aside, put the backup in place."""

    def work(on_event: EventHandler, cancel: CancelToken) -> RestoreResult:
        return api.restore(backup, path, migrations_dir=migrations_dir, on_event=on_event)

    return work


def ask(host: JobHost, file: FileView) -> None:
    open_dialog(host, file)


def open_dialog(host: JobHost, file: FileView, preselect: Path | None = None) -> RestoreDialog:
    """The list of the open file's backups; choosing one asks, then restores it."""
    assert file.path is not None and file.catalog is not None
    dialog = RestoreDialog(
        file.path, file.catalog, host.background, preselect=preselect, parent=host.widget
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    name_widgets(dialog)
    dialog.backup_chosen.connect(lambda backup: confirm_restore(host, file, backup))
    dialog.open()
    return dialog


def confirm_restore(host: JobHost, file: FileView, backup: BackupInfo) -> None:
    """Look at both files (on the worker: counting rows takes a moment), then ask."""
    db = file.path
    assert db is not None

    def ask_now(sides: object) -> None:
        if isinstance(sides, Problem):
            host.say(sides.text, failure=True)
            host.say_details(sides.text, sides.details)
            return
        assert isinstance(sides, tuple)
        if not host.confirm("Restore this backup?", restore_text(backup, db, sides), "Restore"):
            host.say("Restore not started; the file was not changed.")
            return
        work = restore_work(backup.path, db, file.migrations_dir)
        host.start_job(Run(JOB, work, f"Restoring {db.name} from {backup.path}…"))

    host.background.run(partial(restore_sides, backup.path, db), ask_now, UNEXPECTED_LOOK)


def report(host: JobHost, outcome: JobOutcome, closing: bool) -> None:
    """Where the replaced file is kept (the log has said the version it is back at)."""
    if isinstance(outcome.result, RestoreResult) and outcome.result.replaced_kept_at:
        host.say(wording.replaced_kept(outcome.result))


JOB = JobSpec(
    key="restore",
    name="restore",
    action=ActionText(
        "&Restore…",
        "Put a backup back in place of this database; the current file is kept aside first",
        "Ctrl+Shift+R",
    ),
    enabled=can_restore,
    ask=ask,
    report=report,
    unexpected=UNEXPECTED,
    closing=close_when_done("restore", "it takes a moment and is not stopped half way"),
    cancellable=False,  # one SQLite copy, over in moments; stopping half way helps no one
    place=Place.FILES,
    reads_first=False,
    keeps_marks=False,
)


def crash_backup(status: DatabaseStatus | None) -> Path | None:
    """The safety copy taken before an upgrade that was cut short, if the file has one."""
    note = status.interrupted if status is not None else None
    return Path(note.backup) if note and note.backup else None
