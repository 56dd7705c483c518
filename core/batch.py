"""Upgrade several copies of a society database one after another.

A society keeps copies on the office PC, the treasurer's laptop and USB
sticks. Each copy is upgraded on its own (its own backup, its own run-log
line); one that fails or can't be used doesn't stop the others. Only a
cancel stops the rest, since it means "stop now". What happened to each is a
:class:`FileOutcome`: facts for the summary table and the exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from core import api
from core.cancel import CancelToken
from core.discovery import Catalog
from core.errors import MigrationError, MigrationFailed, UpgradeCancelled
from core.events import EventHandler, ignore_event
from core.runlog import RunFacts


class Result(StrEnum):
    """How one copy's upgrade ended, and the exit code each means on the command line."""

    UPGRADED = "upgraded"
    UP_TO_DATE = "up to date"
    DIFFERS = "still differs from its version"  # the migrations committed; the file isn't in shape
    FAILED = "failed, rolled back"
    NOT_UPGRADED = "not upgraded"  # the file can't be used: not a society database, locked...
    STOPPED = "stopped part way"  # e.g. locked after some migrations, each one complete
    CANCELLED = "cancelled"
    NOT_STARTED = "not started"  # after a cancel

    @property
    def exit_code(self) -> int:
        codes = {Result.FAILED: 1, Result.NOT_UPGRADED: 2, Result.STOPPED: 2, Result.DIFFERS: 3}
        return codes.get(self, 130 if self in (Result.CANCELLED, Result.NOT_STARTED) else 0)


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    from_version: int | None
    to_version: int | None
    result: Result
    backup: Path | None = None
    reason: str = ""  # the engine's words for staff when it didn't go through


def worst_exit_code(outcomes: Sequence[FileOutcome]) -> int:
    """The highest exit code of them: 130 over 3 over 2 over 1 over 0."""
    return max((o.result.exit_code for o in outcomes), default=0)


FileStarted = Callable[[int, Path], None]  # (index from 0, path): a copy's upgrade begins


def upgrade_each(
    paths: Sequence[Path],
    catalog: Catalog,
    *,
    target: int | None = None,
    backup: bool = True,
    on_file: FileStarted = lambda _i, _p: None,
    on_event: EventHandler = ignore_event,
    cancel: CancelToken | None = None,
) -> list[FileOutcome]:
    """Upgrade every path in turn; never raises for one file's problem."""
    token = cancel or CancelToken()
    outcomes: list[FileOutcome] = []
    for index, path in enumerate(paths):
        if token.requested:
            outcomes.append(FileOutcome(path, None, None, Result.NOT_STARTED))
            continue
        on_file(index, path)
        outcomes.append(_upgrade_one(path, catalog, target, backup, on_event, token))
    return outcomes


def _upgrade_one(
    path: Path,
    catalog: Catalog,
    target: int | None,
    backup: bool,
    on_event: EventHandler,
    cancel: CancelToken,
) -> FileOutcome:
    start = api.status(path, catalog=catalog).current_version
    seen = RunFacts(start)
    try:
        result = api.upgrade(
            path,
            catalog=catalog,
            target=target,
            backup=backup,
            on_event=seen.watching(on_event),
            cancel=cancel,
        )
    except UpgradeCancelled as exc:
        return FileOutcome(path, start, seen.version, Result.CANCELLED, seen.backup, str(exc))
    except MigrationFailed as exc:
        return FileOutcome(path, start, seen.version, Result.FAILED, seen.backup, str(exc))
    except MigrationError as exc:
        ended = Result.STOPPED if seen.version != start else Result.NOT_UPGRADED
        return FileOutcome(path, start, seen.version, ended, seen.backup, str(exc))
    if result.cancelled:
        ended = Result.CANCELLED
    elif result.differences:  # never "upgraded" or "up to date" for a file that isn't
        ended = Result.DIFFERS
    else:
        ended = Result.UPGRADED if result.applied else Result.UP_TO_DATE
    return FileOutcome(path, result.from_version, result.to_version, ended, result.backup)


HEADERS = ("File", "Version", "Result", "Backup")


def summary_rows(outcomes: Sequence[FileOutcome]) -> list[tuple[str, str, str, str]]:
    """One row of words per copy: file, old -> new version, result, backup."""

    def v(version: int | None) -> str:
        return "?" if version is None else str(version)

    return [
        (
            str(o.path),
            f"{v(o.from_version)} -> {v(o.to_version)}",
            o.result.value,
            str(o.backup) if o.backup else "none",
        )
        for o in outcomes
    ]


def summary_table(outcomes: Sequence[FileOutcome]) -> str:
    """The rows as a plain-text table with aligned columns (for a terminal or the clipboard)."""
    rows = [HEADERS, *summary_rows(outcomes)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
