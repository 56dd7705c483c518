"""The progress line and bar: the one place that writes them.

The job controller says how far a job has got as :class:`Progress` values
(its signal ``progress``); the window says what is about to happen
(:meth:`ProgressView.ready`, :meth:`ProgressView.say`). Only
:class:`ProgressView` touches the bar (``progressBar``) and the line above it
(``progressLabel``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from core import wording
from gui.named import named


@dataclass(frozen=True)
class Bar:
    """What the bar shows: Qt's format (``%v``, ``%m``, ``%p``), value and maximum (0: busy)."""

    format: str
    value: int
    maximum: int


@dataclass(frozen=True)
class Progress:
    """One step forward: the bar and/or the line above it (None keeps what is shown)."""

    bar: Bar | None = None
    line: str | None = None


STEP_SHARE = 1000  # a step's share of the bar while it copies rows: steps of 0.1%


def _steps_text(done: str, total: int, shown: str) -> str:
    """``done of shown migrations done``: Qt's ``%v``/``%m``, or the counts themselves."""
    plural = "s" if total != 1 else ""
    return f"{done} of {shown} migration{plural} done" if total else "Nothing to do"


def steps_bar(done: int, total: int) -> Bar:
    """The bar while migrations run: ``done`` of ``total``."""
    return Bar(_steps_text("%v", total, "%m"), done, max(total, 1))


def rows_bar(index: int, total: int, rows_done: int, rows_total: int) -> Bar:
    """Step ``index`` of ``total`` is copying rows: it fills its share of the bar as it goes."""
    share = STEP_SHARE * rows_done // rows_total if rows_total else STEP_SHARE
    value = (index - 1) * STEP_SHARE + min(share, STEP_SHARE)
    return Bar(_steps_text(str(index - 1), total, str(total)), value, max(total, 1) * STEP_SHARE)


def ready_line(steps: int) -> str:
    return f"Ready to apply {wording.count(steps, 'migration')}." if steps else ""


BACKUP_STARTED = Bar("Making a safety copy…", 0, 0)
BACKUP_DONE = Bar("Safety copy made", 1, 1)


def backup_bar(pages_done: int, pages_total: int) -> Bar:
    return Bar("Safety copy: %p%", pages_done, max(pages_total, 1))


class ProgressView(QWidget):
    """The line that says what is happening, above the bar that says how far it has got.

    Signals: none.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = named(QLabel(wordWrap=True), "progressLabel")
        self.bar = named(QProgressBar(), "progressBar")
        self.bar.setToolTip("How far the safety copy, or the migrations, have got")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.ready(0)

    def ready(self, steps: int) -> None:
        """Nothing running: ``steps`` migrations wait to be applied."""
        self.show_progress(Progress(steps_bar(0, steps), ready_line(steps)))

    def say(self, text: str) -> None:
        """Put ``text`` on the line above the bar."""
        self.label.setText(text)

    @Slot(object)
    def show_progress(self, progress: Progress) -> None:
        if progress.bar is not None:
            bar = progress.bar
            self.bar.setFormat(bar.format)
            self.bar.setRange(0, bar.maximum)
            self.bar.setValue(bar.value)
        if progress.line is not None:
            self.label.setText(progress.line)
