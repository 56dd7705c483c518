"""The test on a copy: run the pending migrations on a temporary copy and report; nothing else."""

from __future__ import annotations

from pathlib import Path

from core.discovery import Catalog, load_catalog
from core.events import EventHandler
from core.rehearse import Rehearsal, rehearse_upgrade
from core.runner import CancelToken
from gui.jobs.spec import ActionText, FileView, JobHost, JobOutcome, JobSpec, Run, stop_and_close
from gui.jobs.upgrade import can_test
from gui.rehearsal_report import log_rehearsal, show_rehearsal
from gui.worker import Work

UNEXPECTED = (
    "The test on a copy stopped because of an unexpected problem inside this tool. "
    "The real file was not touched. The technical details below help whoever maintains the tool."
)


def rehearse_work(
    path: Path, catalog: Catalog | None, migrations_dir: Path | str | None = None
) -> Work:
    """The worker's call: rehearse ``path`` with the migrations the window showed."""

    def work(on_event: EventHandler, cancel: CancelToken) -> Rehearsal:
        migrations = catalog or load_catalog(migrations_dir)
        return rehearse_upgrade(path, migrations, on_event=on_event, cancel=cancel)

    return work


def ask(host: JobHost, file: FileView) -> None:
    """Nothing to ask: the real file is not touched."""
    if file.path is None or file.status is None or not can_test(file):
        return
    intro = (
        f"Testing the upgrade on a temporary copy of {file.path.name}; "
        "the real file is not touched…"
    )
    host.start_job(Run(JOB, rehearse_work(file.path, file.catalog), intro))


def report(host: JobHost, outcome: JobOutcome, closing: bool) -> None:
    """The whole report in the log and, unless closing, in a box."""
    if isinstance(outcome.result, Rehearsal):
        host.say_in_progress(outcome.result.text)
        log_rehearsal(host.say, outcome.result)
        if not closing:
            show_rehearsal(host.widget, outcome.result)


JOB = JobSpec(
    key="rehearse",
    name="test on a copy",
    action=ActionText(
        "&Test on a copy",
        "Run the pending migrations on a temporary copy and report what would happen; "
        "the real file is not touched",
        "Ctrl+T",
    ),
    enabled=can_test,
    ask=ask,
    report=report,
    unexpected=UNEXPECTED,
    closing=stop_and_close("test on a copy"),
    log_prefix="On the copy: ",
)
