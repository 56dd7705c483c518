"""Typed progress events: the one channel from the engine to the GUI and CLI.

The engine takes a plain ``on_event`` callable; the CLI prints each event and
the GUI re-emits it as a Qt signal. Every event is a frozen dataclass with a
``text`` property: the fact in plain words for staff, made by :mod:`core.wording`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core import wording

if TYPE_CHECKING:
    from core.schemadiff import Difference


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
        return wording.plan_ready(self)


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
        return wording.backup_started(self)


@dataclass(frozen=True)
class BackupProgress:
    pages_done: int
    pages_total: int

    @property
    def text(self) -> str:
        return wording.backup_progress(self)


@dataclass(frozen=True)
class BackupDone:
    destination: Path
    seconds: float

    @property
    def text(self) -> str:
        return wording.backup_done(self)


@dataclass(frozen=True)
class MigrationStarted:
    step: StepInfo
    index: int  # 1-based position among this run's steps
    total: int

    @property
    def text(self) -> str:
        return wording.migration_started(self)


@dataclass(frozen=True)
class MigrationApplied:
    step: StepInfo
    index: int
    total: int
    seconds: float

    @property
    def text(self) -> str:
        return wording.migration_applied(self)


@dataclass(frozen=True)
class MigrationRolledBack:
    step: StepInfo
    reason: str
    version_now: int
    cancelled: bool = False

    @property
    def text(self) -> str:
        return wording.migration_rolled_back(self)


@dataclass(frozen=True)
class UpgradeFinished:
    from_version: int
    to_version: int
    applied: int
    cancelled: bool = False
    # What the file still lacks or has otherwise than to_version owns (checked at the end).
    differences: tuple[Difference, ...] = ()

    @property
    def text(self) -> str:
        return wording.upgrade_finished(self)


@dataclass(frozen=True)
class RowsCopied:
    """A table rebuild inside the running migration: rows copied so far (for the bar)."""

    table: str
    done: int
    total: int

    @property
    def text(self) -> str:
        return wording.rows_copied(self)


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
