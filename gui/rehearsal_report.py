"""What a test on a copy found, in words: for the log and for a message box.

:func:`core.api.rehearse` returns a :class:`~core.rehearse.Rehearsal`; this
module only words it: each migration's result and duration, the failure if
there was one, and the tables the file would have afterwards. A test the
person stopped is neither a success nor a failure: it says so, and no more.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from core import wording
from core.rehearse import Rehearsal
from gui.dialogs import tell
from gui.migrations_model import duration_text

NOT_TRIED = "Stopped here, as asked: the migrations after it were not tried."


def verdict_title(rehearsal: Rehearsal) -> str:
    """The message box's title: the verdict in a few words."""
    if rehearsal.cancelled:
        return "Test on a copy: stopped before the end"
    if rehearsal.succeeded:
        return "Test on a copy: all would succeed"
    return "Test on a copy: a migration would fail"


def step_lines(rehearsal: Rehearsal) -> list[str]:
    """One line per migration that ran on the copy, then the failure or the stop if any."""
    lines = [
        f"{s.version:03d}  {s.description}: succeeded in {duration_text(s.seconds * 1000)}"
        for s in rehearsal.steps
    ]
    if rehearsal.error:
        lines.append(f"Stopped: {rehearsal.error}")
    elif rehearsal.cancelled:
        lines.append(NOT_TRIED)
    return lines


def schema_heading(rehearsal: Rehearsal) -> str:
    n = len(rehearsal.schema)
    tables = wording.count(n, "table")
    if rehearsal.cancelled:
        return f"Tables on the copy when it was stopped ({tables}):"
    return f"Tables the file would have afterwards ({tables}):"


def schema_lines(rehearsal: Rehearsal) -> list[str]:
    """The tables after the rehearsal, each with its columns."""
    lines = []
    for table, columns in rehearsal.schema.items():
        lines.append(wording.table_columns(table, columns))
    return lines


def log_rehearsal(say: Callable[..., None], rehearsal: Rehearsal) -> None:
    """The whole report, line by line through ``say(text, failure=…)``: verdict, steps, schema."""
    failed = not rehearsal.succeeded and not rehearsal.cancelled
    say(rehearsal.text, failure=failed)
    for line in step_lines(rehearsal):
        say("  " + line)
    say(schema_heading(rehearsal))
    for line in schema_lines(rehearsal):
        say("  " + line)


def show_rehearsal(parent: QWidget, rehearsal: Rehearsal) -> QMessageBox:
    """Tell without blocking (``rehearsalDialog``); the schema is under “Show Details…”."""
    failed = not rehearsal.succeeded and not rehearsal.cancelled
    box = tell(
        parent, verdict_title(rehearsal), rehearsal.text, name="rehearsalDialog", warning=failed
    )
    steps = step_lines(rehearsal)
    box.setInformativeText("\n".join(steps) if steps else "No migration is pending.")
    details = "\n".join([schema_heading(rehearsal), *schema_lines(rehearsal)])
    box.setDetailedText(details)
    return box
