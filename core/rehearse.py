"""Rehearse an upgrade on a temporary copy: what would happen, nothing touched.

The copy is made with SQLite's backup API from a read-only connection, in a
private temporary folder that is removed afterwards, so the real file is
never opened for writing and nothing is left behind.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.cancel import CancelToken
from core.connection import open_readonly
from core.discovery import Catalog
from core.errors import MigrationFailed, UpgradeCancelled
from core.events import Event, EventHandler, MigrationApplied, ignore_event
from core.schema import columns, user_tables
from core.status import State, inspect_database, require_upgradable
from core.upgrade import upgrade_file


@dataclass(frozen=True)
class StepOutcome:
    version: int
    description: str
    seconds: float


@dataclass(frozen=True)
class Rehearsal:
    """The outcome on the copy: applied steps, the error if one failed, the final schema."""

    from_version: int
    to_version: int
    steps: tuple[StepOutcome, ...]
    error: str | None
    schema: dict[str, list[str]]  # table -> its columns, after the rehearsal
    cancelled: bool = False  # stopped by the person before it finished

    @property
    def succeeded(self) -> bool:
        return self.error is None and not self.cancelled

    @property
    def text(self) -> str:
        untouched = "The real file was not touched."
        if self.error:
            return f"Rehearsal on a copy: {self.error} {untouched}"
        n = len(self.steps)
        done = f"{n} migration{'s' if n != 1 else ''}"
        if self.cancelled:
            return f"Rehearsal on a copy: stopped as asked after {done}. {untouched}"
        if not self.steps:
            return f"Rehearsal on a copy: nothing to do. {untouched}"
        total = sum(s.seconds for s in self.steps)
        return (
            f"Rehearsal on a copy: {'all ' if n != 1 else ''}{done} would succeed "
            f"(version {self.from_version} to {self.to_version}, {total * 1000:.0f} ms). "
            f"{untouched}"
        )


def rehearse_upgrade(
    path: Path | str,
    catalog: Catalog,
    *,
    target: int | None = None,
    on_event: EventHandler = ignore_event,
    cancel: CancelToken | None = None,
) -> Rehearsal:
    """Run the pending migrations on a throwaway copy of ``path`` and report."""
    original = Path(path)
    found = inspect_database(original, catalog)
    require_upgradable(found)
    steps: list[StepOutcome] = []

    def collect(event: Event) -> None:
        if isinstance(event, MigrationApplied):
            steps.append(StepOutcome(event.step.version, event.step.description, event.seconds))
        on_event(event)

    with tempfile.TemporaryDirectory(prefix="society-rehearsal-") as folder:
        copy = Path(folder) / (original.name or "copy.db")
        if found.state is State.NEW:
            copy.touch()
        else:
            _copy(original, copy)
        error: str | None = None
        cancelled = False
        try:
            result = upgrade_file(  # the real pipeline, on the copy
                copy, catalog, target=target, backup=False, on_event=collect, cancel=cancel
            )
            cancelled = result.cancelled
        except UpgradeCancelled:
            cancelled = True
        except MigrationFailed as exc:
            error = str(exc)
        schema = _schema(copy)
    start = found.current_version or 0
    end = steps[-1].version if steps else start
    return Rehearsal(start, end, tuple(steps), error, schema, cancelled)


def _copy(original: Path, copy: Path) -> None:
    src = open_readonly(original)
    dst = sqlite3.connect(copy)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _schema(path: Path) -> dict[str, list[str]]:
    conn = open_readonly(path)
    try:
        return {t: columns(conn, t) for t in user_tables(conn)}
    finally:
        conn.close()
