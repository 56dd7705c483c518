"""The upgrade job: apply the pending migrations to the open file, a safety copy first."""

from __future__ import annotations

from pathlib import Path

from core import api, wording
from core.discovery import Catalog
from core.events import EventHandler
from core.runner import CancelToken, UpgradeResult
from core.state import Action, State
from gui.dialogs import new_database_text, plan_text, tell
from gui.jobs.spec import ActionText, FileView, JobHost, JobOutcome, JobSpec, Run, stop_and_close
from gui.worker import Work

UNEXPECTED = (
    "The upgrade stopped because of an unexpected problem inside this tool. "
    "Each migration runs all-or-nothing, so the database is at the last version "
    "the log shows as applied. The technical details below help whoever maintains the tool."
)


def can_test(file: FileView) -> bool:
    """Migrations are pending and the file's state lets them run (a copy will do)."""
    return file.status is not None and file.status.can(Action.REHEARSE)


def can_upgrade(file: FileView) -> bool:
    """Migrations are pending, the file's state lets them run, and it can be written."""
    return file.status is not None and file.status.can(Action.UPGRADE)


def upgrade_work(path: Path, catalog: Catalog | None) -> Work:
    """The worker's call: upgrade ``path`` with the migrations the window showed."""

    def work(on_event: EventHandler, cancel: CancelToken) -> UpgradeResult:
        return api.upgrade(path, catalog=catalog, on_event=on_event, cancel=cancel)

    return work


def ask(host: JobHost, file: FileView) -> None:
    """Upgrade the open file if it can be and the person says yes."""
    status = file.status
    if status is None or file.path is None or not can_upgrade(file):
        return
    if status.state is State.NEW:
        agreed = host.confirm("Set up a new database?", new_database_text(status), "Set it up")
        declined = "Not set up; the file was not changed (it is still empty)."
    else:
        agreed = host.confirm("Upgrade the database?", plan_text(status), "Upgrade")
        declined = "Upgrade not started; the file was not changed."
    if not agreed:
        host.say(declined)
        return
    work = upgrade_work(file.path, file.catalog)
    host.start_job(Run(JOB, work, f"Upgrading {status.path.name}…"))


def report(host: JobHost, outcome: JobOutcome, closing: bool) -> None:
    """Where the safety copy is; a warning when the file still differs from its version."""
    result = outcome.result
    if not isinstance(result, UpgradeResult):
        return
    if result.backup is not None:
        host.say(wording.backup_kept(result.backup))
    if result.differences and not closing:  # a warning, never a success
        tell(
            host.widget,
            "The upgrade finished, but the file still differs",
            wording.still_differs(result.differences, result.to_version, len(result.applied)),
            name="schemaDiffersDialog",
        )


JOB = JobSpec(
    key="upgrade",
    name="upgrade",
    action=ActionText(
        "&Upgrade",
        "Apply the pending migrations; a safety copy of the file is made first",
        "Ctrl+U",
    ),
    enabled=can_upgrade,
    ask=ask,
    report=report,
    unexpected=UNEXPECTED,
    closing=stop_and_close("upgrade"),
    marks_rows=True,
)
