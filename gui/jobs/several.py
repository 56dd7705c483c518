"""The several-copies job: upgrade the office PC's, the laptop's and the USB sticks' files.

The copies are chosen and read in :class:`~gui.copies_dialog.CopiesDialog`;
those that can be upgraded are upgraded one after another on the worker by
:func:`core.batch.upgrade_each` (each its own safety copy; a failure is
rolled back and the others go on), and the job ends with the summary table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core import api, batch
from core.discovery import Catalog
from core.runner import CancelToken
from gui.copies_dialog import open_copies_dialog
from gui.jobs.spec import (
    ActionText,
    FileView,
    JobHost,
    JobOutcome,
    JobSpec,
    Place,
    Run,
    stop_and_close,
)
from gui.summary_dialog import show_summary
from gui.worker import Reporter, Work

UNEXPECTED = (
    "Upgrading the copies stopped because of an unexpected problem inside this tool. "
    "Each migration runs all-or-nothing, so every copy is at a version the log shows. "
    "The technical details below help whoever maintains the tool."
)


@dataclass(frozen=True)
class CopyStarted:
    """The next copy's upgrade begins (the job's own event, said in the log)."""

    index: int
    total: int
    path: Path

    @property
    def text(self) -> str:
        return f"Copy {self.index + 1} of {self.total}: {self.path}"


def several_work(
    paths: Sequence[Path], catalog: Catalog | None, left_alone: Sequence[batch.FileOutcome] = ()
) -> Work:
    """The worker's call: each copy in turn, with the migrations the window showed.

    The copies left alone (up to date, not a society database…) end the summary.
    """
    chosen = list(paths)

    def work(on_event: Reporter, cancel: CancelToken) -> list[batch.FileOutcome]:
        migrations = catalog or api.load_catalog()
        return [
            *batch.upgrade_each(
                chosen,
                migrations,
                on_file=lambda i, p: on_event(CopyStarted(i, len(chosen), p)),
                on_event=on_event,
                cancel=cancel,
            ),
            *left_alone,
        ]

    return work


def ask(host: JobHost, file: FileView) -> None:
    """Open the list of copies; its Upgrade button asks once more, then starts."""
    dialog = open_copies_dialog(host.widget, host.background, file.catalog)
    dialog.chosen.connect(lambda paths, others: confirm(host, file, paths, others))


def confirm(
    host: JobHost, file: FileView, paths: list[Path], others: list[batch.FileOutcome]
) -> None:
    n = len(paths)
    listed = "\n".join(f"• {p}" for p in paths)
    question = (
        f"Upgrade these {n} copies, one after another? Each gets a safety copy first, in a "
        f"backups folder beside it.\n\n{listed}\n\n"
        "Close the Society Management System on every computer that has one of them open."
    )
    if not host.confirm(f"Upgrade {n} copies?", question, "Upgrade"):
        host.say("The copies were not upgraded; no file was changed.")
        return
    work = several_work(paths, file.catalog, others)
    host.start_job(Run(JOB, work, f"Upgrading {n} copies…"))


def report(host: JobHost, outcome: JobOutcome, closing: bool) -> None:
    """The summary table in the log and, unless the window is closing, in its own box."""
    if not isinstance(outcome.result, list):
        return
    outcomes: list[batch.FileOutcome] = outcome.result
    for o in outcomes:
        if o.reason and o.result is not batch.Result.UP_TO_DATE:
            host.say(f"{o.path.name}: {o.reason}", failure=o.result is batch.Result.FAILED)
    host.say("Summary:\n" + batch.summary_table(outcomes))
    if not closing:
        show_summary(host.widget, outcomes)


JOB = JobSpec(
    key="several",
    name="upgrade of several copies",
    action=ActionText(
        "Upgrade &several copies…",
        "Upgrade several copies of the database in one go (files or a folder): the office "
        "PC's, the treasurer's laptop's, USB sticks; each gets its own safety copy",
        "Ctrl+Shift+U",
    ),
    enabled=lambda _file: True,
    ask=ask,
    report=report,
    unexpected=UNEXPECTED,
    closing=stop_and_close("upgrade of several copies"),
    place=Place.FILES,
    reads_first=False,
    keeps_marks=False,
)
