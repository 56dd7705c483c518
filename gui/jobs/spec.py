"""What a window job is: a small typed spec that the window builds itself from.

Each job (upgrade, test on a copy, restore, …) lives in one module of
:mod:`gui.jobs` and is described there by one :class:`JobSpec`: the words
and shortcut of its action, when that action is on, what it asks before it
starts, how it says the outcome, whether Cancel can stop it and what closing
the window mid-job asks. The window makes one action, menu entry and button
per spec in :data:`gui.jobs.JOBS`; the job controller runs the :class:`Run`
a spec's ``ask`` hands to :meth:`JobHost.start_job`, on a worker thread.

A job is known by its ``key`` (``"upgrade"``), never by its words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from core.discovery import Catalog
from core.status import DatabaseStatus
from gui.background import Background
from gui.worker import Failure, Work

# confirm(title, question, yes_label) -> True to go ahead. Tests replace it.
Confirm = Callable[[str, str, str], bool]


@dataclass(frozen=True)
class ActionText:
    """An action's words: its label, the tip that says what it does, and its shortcut."""

    text: str
    tip: str
    shortcut: QKeySequence.StandardKey | str


@dataclass(frozen=True)
class FileView:
    """What the window knows of the open file when a job asks whether it can run."""

    path: Path | None
    status: DatabaseStatus | None  # None: no file, or it could not be read
    catalog: Catalog | None  # the migrations the window shows
    migrations_dir: Path | str | None


@dataclass(frozen=True)
class Run:
    """A job the person agreed to: what runs on the worker, and the log line that says so."""

    job: JobSpec
    work: Work
    intro: str


@dataclass(frozen=True)
class JobOutcome:
    """How a job ended: what the engine returned, or why it did not."""

    job: JobSpec
    result: object | None = None  # the engine's result, when it returned one
    failure: Failure | None = None
    # Stopped as asked: between migrations, in the middle of one (rolled back),
    # or a test on a copy that did not get to the end. Neither success nor failure.
    cancelled: bool = False

    @property
    def kind(self) -> str:
        """The job's key: ``"upgrade"``, ``"rehearse"``, ``"restore"``."""
        return self.job.key

    @property
    def error(self) -> str | None:
        """The failure in words for staff, if it failed."""
        return self.failure.message if self.failure is not None else None

    @property
    def ok(self) -> bool:
        """Ran to the end: no failure, no cancel (not even between migrations)."""
        return self.failure is None and not self.cancelled


@dataclass(frozen=True)
class CloseRule:
    """What closing the window while the job runs asks, and what then happens."""

    title: str
    question: str
    yes: str
    then: str  # the log line once the person said yes
    interrupt: bool  # True: stop the job now (rolled back); False: let it finish first


def stop_and_close(name: str) -> CloseRule:
    """Closing interrupts the job: the running migration is rolled back, then the window goes."""
    return CloseRule(
        f"Stop the {name} and close?",
        f"The {name} is running. If you close now, the migration that is running "
        "is rolled back and the ones already finished stay; the window closes as "
        "soon as the database is safe.",
        "Stop and close",
        f"Stopping the {name}; the window closes when the database is safe.",
        interrupt=True,
    )


def close_when_done(name: str, why: str) -> CloseRule:
    """Closing waits: the job is not stopped half way (``why`` says why in a clause)."""
    return CloseRule(
        f"Close when the {name} has finished?",
        f"A {name} is running; {why}. The window closes as soon as it has finished.",
        "Close when done",
        f"The window closes when the {name} has finished.",
        interrupt=False,
    )


class Place(Enum):
    """Where a job's action sits: with the migrations (before Cancel), or after them."""

    MIGRATIONS = "migrations"
    FILES = "files"


class JobHost(Protocol):
    """What a job may use of the window: questions, the log, the progress line, starting."""

    confirm: Confirm
    background: Background

    @property
    def widget(self) -> QWidget:
        """The parent of the job's dialogs and message boxes."""
        ...

    def say(self, text: str, *, failure: bool = False) -> None:
        """One line in the log."""
        ...

    def say_details(self, title: str, details: str) -> None:
        """A traceback for the details view."""
        ...

    def say_in_progress(self, text: str) -> None:
        """Put ``text`` on the line above the progress bar."""
        ...

    def start_job(self, run: Run) -> None:
        """Run it on the job controller (the window's file can't change meanwhile)."""
        ...


@dataclass(frozen=True)
class JobSpec:
    """One window job. Its action, button (``<key>Button``) and menu entry are made from it."""

    key: str  # its identity, e.g. "upgrade"; objectNames and tests use it, never the words
    name: str  # how sentences name it: "the {name} is running"
    action: ActionText
    enabled: Callable[[FileView], bool]  # from the open file's state (never while busy)
    ask: Callable[[JobHost, FileView], None]  # asks first; calls host.start_job if agreed
    # Says what it did (a failure's box is the window's); the bool: the window is closing.
    report: Callable[[JobHost, JobOutcome, bool], None]
    unexpected: str  # the failure in words when something unforeseen broke inside the tool
    closing: CloseRule  # closing the window while it runs
    cancellable: bool = True
    place: Place = Place.MIGRATIONS
    reads_first: bool = True  # read the file's state again before ``ask``
    marks_rows: bool = False  # its events are the open file's own migrations running
    keeps_marks: bool = True  # rows keep Failed / Rolled back when the file is read after it
    log_prefix: str = ""  # put before each event's text in the log
