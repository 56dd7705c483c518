"""What a test on a copy found, in words: for the log and for a message box.

:func:`core.api.rehearse` returns a :class:`~core.rehearse.Rehearsal`; this
module only words it: each migration's result and duration, the failure if
there was one, and the tables the file would have afterwards.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from core.rehearse import Rehearsal
from gui.dialogs import tell
from gui.migrations_model import duration_text


def step_lines(rehearsal: Rehearsal) -> list[str]:
    """One line per migration that ran on the copy, then the failure if any."""
    lines = [
        f"{s.version:03d}  {s.description}: succeeded in {duration_text(s.seconds * 1000)}"
        for s in rehearsal.steps
    ]
    if rehearsal.error:
        lines.append(f"Stopped: {rehearsal.error}")
    return lines


def schema_lines(rehearsal: Rehearsal) -> list[str]:
    """The tables after the rehearsal, each with its columns."""
    return [
        f"{table} ({len(columns)} columns): {', '.join(columns)}"
        for table, columns in rehearsal.schema.items()
    ]


def log_rehearsal(log, rehearsal: Rehearsal) -> None:
    """The whole report in the log: the verdict, the steps, the final schema."""
    log.add(rehearsal.text, failure=not rehearsal.succeeded)
    for line in step_lines(rehearsal):
        log.add("  " + line)
    log.add(f"Tables the file would have afterwards ({len(rehearsal.schema)}):")
    for line in schema_lines(rehearsal):
        log.add("  " + line)


def show_rehearsal(parent: QWidget, rehearsal: Rehearsal) -> QMessageBox:
    """Tell without blocking (``rehearsalDialog``); the schema is under “Show Details…”."""
    ok = rehearsal.succeeded
    title = "Test on a copy: " + ("all would succeed" if ok else "a migration would fail")
    box = tell(parent, title, rehearsal.text, name="rehearsalDialog", warning=not ok)
    steps = step_lines(rehearsal)
    box.setInformativeText("\n".join(steps) if steps else "No migration is pending.")
    box.setDetailedText("Tables afterwards:\n" + "\n".join(schema_lines(rehearsal)))
    return box
