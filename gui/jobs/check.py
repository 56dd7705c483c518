"""The schema check: compare the open file with what its version must have; read-only.

The report (every difference, the extras no migration made, migrations changed
since they ran) is made by :func:`core.wording.check_report`; the window puts it
in the log and in a box whose details can be selected and copied.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from core import api, wording
from core.check import CheckReport
from core.discovery import Catalog
from core.runner import CancelToken
from core.state import Action, State
from gui.dialogs import tell
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
from gui.worker import Reporter, Work

UNEXPECTED = (
    "The schema check stopped because of an unexpected problem inside this tool. "
    "It only reads the file, so nothing was changed. The technical details below help "
    "whoever maintains the tool."
)


def can_check(file: FileView) -> bool:
    """A society file this tool can read (an empty one has nothing to check)."""
    status = file.status
    return (
        status is not None and status.state.allows(Action.UPGRADE) and status.state is not State.NEW
    )


def check_work(path: Path, catalog: Catalog | None) -> Work:
    def work(_on_event: Reporter, _cancel: CancelToken) -> CheckReport:
        return api.check(path, catalog=catalog)

    return work


def ask(host: JobHost, file: FileView) -> None:
    """Nothing to ask: the check only reads the file."""
    if file.path is None or not can_check(file):
        return
    intro = f"Checking the schema of {file.path.name} against what its version must have…"
    host.start_job(Run(JOB, check_work(file.path, file.catalog), intro))


def report(host: JobHost, outcome: JobOutcome, closing: bool) -> None:
    """The report in the log and, unless closing, in a box to read and copy."""
    result = outcome.result
    if not isinstance(result, CheckReport):
        return
    text = wording.check_report(result)
    differs = not result.clean
    for line in text.splitlines():
        host.say(line, failure=differs and line.startswith("- ") and "no migration" not in line)
    if not closing:
        show_report(host, result, text)


def show_report(host: JobHost, result: CheckReport, text: str) -> QMessageBox:
    differs = not result.clean
    box = tell(
        host.widget,
        "Schema check: the file differs" if differs else "Schema check: nothing missing",
        result.status.summary,
        name="schemaCheckDialog",
        warning=differs,
    )
    box.setDetailedText(text)  # selectable and copyable under "Show Details…"
    return box


JOB = JobSpec(
    key="check",
    name="schema check",
    action=ActionText(
        "Check the &schema",
        "Compare the file with the schema its version must have and list every difference; "
        "the file is only read",
        "Ctrl+K",
    ),
    enabled=can_check,
    ask=ask,
    report=report,
    unexpected=UNEXPECTED,
    closing=close_when_done("schema check", "it only reads the file and ends in a moment"),
    cancellable=False,
    place=Place.FILES,
)
