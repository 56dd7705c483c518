"""Before and after a job: what the window asks first, and what it says once the job ended.

An upgrade, a test on a copy and a restore each start the same way: check
that the file allows it, ask the person (``confirm``, which tests replace),
and name the worker with the log line that introduces it, as a
:class:`JobRequest`. The window starts the request on its
:class:`~gui.job_controller.JobController` and, when the job has ended,
hands the :class:`~gui.job_controller.JobOutcome` to :func:`report_outcome`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QLabel, QWidget

from core.discovery import Catalog
from core.rehearse import Rehearsal
from core.restore import BackupInfo, RestoreResult
from core.runner import UpgradeResult
from core.status import DatabaseStatus, State
from gui.dialogs import new_database_text, plan_text, restore_text, tell
from gui.job_controller import JobOutcome
from gui.log_panel import LogPanel
from gui.rehearsal_report import log_rehearsal, show_rehearsal
from gui.worker import JobWorker, RehearseWorker, RestoreWorker, UpgradeWorker

CAN_UPGRADE = frozenset({State.NEW, State.UNVERSIONED, State.PENDING})

# confirm(title, question, yes_label) -> True to go ahead. Tests replace it.
Confirm = Callable[[str, str, str], bool]


@dataclass(frozen=True)
class JobRequest:
    """A job the person agreed to: its worker, and the log line that introduces it."""

    worker: JobWorker
    intro: str


def can_rehearse(status: DatabaseStatus | None) -> bool:
    """Migrations are pending and the file's state lets them run (a copy will do)."""
    return status is not None and status.state in CAN_UPGRADE and bool(status.pending)


def can_upgrade(status: DatabaseStatus | None) -> bool:
    """As :func:`can_rehearse`, and the file itself can be written."""
    return can_rehearse(status) and status is not None and status.writable


def crash_backup(status: DatabaseStatus | None) -> Path | None:
    """The safety copy taken before an upgrade that was cut short, if the file has one."""
    note = status.interrupted if status is not None else None
    return Path(note.backup) if note and note.backup else None


def ask_upgrade(
    path: Path, status: DatabaseStatus, catalog: Catalog | None, confirm: Confirm, log: LogPanel
) -> JobRequest | None:
    """Upgrade ``path`` (just read as ``status``) if it can be and the person says yes."""
    if status.state not in CAN_UPGRADE or not status.writable:
        return None
    if status.state is State.NEW:
        asked = confirm("Set up a new database?", new_database_text(status), "Set it up")
        declined = "Not set up; the file was not changed (it is still empty)."
    else:
        asked = confirm("Upgrade the database?", plan_text(status), "Upgrade")
        declined = "Upgrade not started; the file was not changed."
    if not asked:
        log.add(declined)
        return None
    return JobRequest(UpgradeWorker(path, catalog=catalog), f"Upgrading {status.path.name}…")


def rehearsal_request(
    path: Path, status: DatabaseStatus, catalog: Catalog | None
) -> JobRequest | None:
    """Test the upgrade of ``path`` on a copy (nothing to ask: the file is not touched)."""
    if status.state not in CAN_UPGRADE:
        return None
    return JobRequest(
        RehearseWorker(path, catalog=catalog),
        f"Testing the upgrade on a temporary copy of {status.path.name}; "
        "the real file is not touched…",
    )


def ask_restore(
    backup: BackupInfo,
    path: Path,
    migrations_dir: Path | str | None,
    confirm: Confirm,
    log: LogPanel,
) -> JobRequest | None:
    """Put ``backup`` back in place of ``path`` if the person says yes."""
    if not confirm("Restore this backup?", restore_text(backup, path), "Restore"):
        log.add("Restore not started; the file was not changed.")
        return None
    return JobRequest(
        RestoreWorker(backup.path, path, migrations_dir),
        f"Restoring {path.name} from {backup.path}…",
    )


def report_outcome(
    parent: QWidget, outcome: JobOutcome, log: LogPanel, label: QLabel, *, closing: bool
) -> None:
    """Say how a job ended in the log, and in a box unless the window is ``closing``."""
    match outcome.result:
        case UpgradeResult(backup=Path() as backup):
            log.add(f"The safety copy from before the upgrade is kept at {backup}")
        case RestoreResult(restored_version=version, replaced_kept_at=kept):
            kept_text = f" The file it replaced is kept at {kept}" if kept else ""
            log.add(f"Restore finished: the database is at version {version}.{kept_text}")
        case Rehearsal() as report:
            label.setText(report.text)
            log_rehearsal(log, report)
            if not closing:
                show_rehearsal(parent, report)
    if outcome.error is not None and not closing:
        tell(parent, f"The {outcome.kind} did not finish", outcome.error)
