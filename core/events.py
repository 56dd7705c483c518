"""Typed progress events: the one channel from the engine to the GUI and CLI.

The engine takes a plain ``on_event`` callable; the CLI prints each event and
the GUI re-emits it as a Qt signal. Every event is a frozen dataclass with a
``text`` property that states the fact in plain words for staff.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StepInfo:
    """A migration as the plan names it (no code, safe to pass across threads)."""

    version: int
    name: str
    description: str


@dataclass(frozen=True)
class PlanReady:
    current_version: int
    target_version: int
    steps: tuple[StepInfo, ...]

    @property
    def text(self) -> str:
        if not self.steps:
            return f"The database is at version {self.current_version}; nothing to do."
        n = len(self.steps)
        return (
            f"The database is at version {self.current_version}; "
            f"{n} migration{'s' if n != 1 else ''} will bring it to version "
            f"{self.target_version}."
        )


@dataclass(frozen=True)
class Notice:
    """Something worth saying that changes nothing (waiting for a lock, old orphans)."""

    message: str

    @property
    def text(self) -> str:
        return self.message


@dataclass(frozen=True)
class BackupStarted:
    destination: Path

    @property
    def text(self) -> str:
        return f"Making a safety copy of the database: {self.destination}"


@dataclass(frozen=True)
class BackupProgress:
    pages_done: int
    pages_total: int

    @property
    def text(self) -> str:
        return f"Safety copy: {self.pages_done} of {self.pages_total} pages copied."


@dataclass(frozen=True)
class BackupDone:
    destination: Path
    seconds: float

    @property
    def text(self) -> str:
        return f"Safety copy made and checked: {self.destination}"


@dataclass(frozen=True)
class MigrationStarted:
    step: StepInfo
    index: int  # 1-based position among this run's steps
    total: int

    @property
    def text(self) -> str:
        return (
            f"Applying migration {self.step.version:03d} "
            f"({self.index} of {self.total}): {self.step.description}"
        )


@dataclass(frozen=True)
class MigrationApplied:
    step: StepInfo
    index: int
    total: int
    seconds: float

    @property
    def text(self) -> str:
        return (
            f"Applied migration {self.step.version:03d} in {self.seconds * 1000:.0f} ms; "
            f"the database is now at version {self.step.version}."
        )


@dataclass(frozen=True)
class MigrationRolledBack:
    step: StepInfo
    reason: str
    version_now: int
    cancelled: bool = False

    @property
    def text(self) -> str:
        what = "was cancelled" if self.cancelled else f"failed: {self.reason}"
        return (
            f"Migration {self.step.version:03d} ({self.step.description}) {what}. "
            f"It was rolled back; the database is still at version {self.version_now}."
        )


@dataclass(frozen=True)
class UpgradeFinished:
    from_version: int
    to_version: int
    applied: int
    cancelled: bool = False

    @property
    def text(self) -> str:
        if self.cancelled:
            return f"Upgrade stopped at version {self.to_version} as asked."
        if self.applied == 0:
            return f"The database is up to date at version {self.to_version}."
        return (
            f"Upgrade finished: version {self.from_version} to {self.to_version}, "
            f"{self.applied} migration{'s' if self.applied != 1 else ''} applied."
        )


@dataclass(frozen=True)
class RowsCopied:
    """A table rebuild inside the running migration: rows copied so far (for the bar)."""

    table: str
    done: int
    total: int

    @property
    def text(self) -> str:
        return f"Rebuilding {self.table}: {self.done:,} of {self.total:,} rows copied."


Event = (
    PlanReady
    | Notice
    | BackupStarted
    | BackupProgress
    | BackupDone
    | MigrationStarted
    | MigrationApplied
    | MigrationRolledBack
    | RowsCopied
    | UpgradeFinished
)
EventHandler = Callable[[Event], None]


def ignore_event(event: Event) -> None:
    """The default observer: library callers that don't care about progress."""
