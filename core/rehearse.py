"""Rehearse an upgrade on a temporary copy: what would happen, nothing touched.

The copy is made with SQLite's backup API from a read-only connection, in a
private temporary folder that is removed afterwards, so the real file is
never opened for writing and nothing is left behind. The folder is named for
the process (``society-rehearsal-<pid>-...``): one left by a killed rehearsal,
a full copy of residents' data, is removed by the next rehearsal.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core import wording
from core.cancel import CancelToken
from core.connection import open_readonly
from core.discovery import Catalog
from core.errors import ON_A_COPY, DatabaseUnusable, MigrationFailed, Refusal, UpgradeCancelled
from core.events import Event, EventHandler, MigrationApplied, ignore_event
from core.marker import process_alive
from core.schema import columns, user_tables
from core.schemadiff import Difference
from core.status import State, inspect_database, require_upgradable
from core.upgrade import upgrade_file

PREFIX = "society-rehearsal-"
_OWN_FOLDER = re.compile(rf"^{PREFIX}(?P<pid>\d+)-[A-Za-z0-9_]+$")
SPACE_MARGIN = 1.1


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
    # What the copy still lacked or had otherwise than to_version owns, at the end.
    differences: tuple[Difference, ...] = ()

    @property
    def succeeded(self) -> bool:
        return self.error is None and not self.cancelled

    @property
    def text(self) -> str:
        return wording.rehearsal(self)


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

    remove_stale_rehearsals()
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-") as folder:
        copy = Path(folder) / (original.name or "copy.db")
        if found.state is State.NEW:
            copy.touch()
        else:
            _copy(original, copy)
        error: str | None = None
        differences: tuple[Difference, ...] = ()
        cancelled = False
        try:
            result = upgrade_file(  # the real pipeline, on the copy
                copy, catalog, target=target, backup=False, on_event=collect, cancel=cancel
            )
            cancelled, differences = result.cancelled, result.differences
        except UpgradeCancelled:
            cancelled = True
        except MigrationFailed as exc:
            error = str(exc)
        schema = _schema(copy)
    start = found.current_version or 0
    end = steps[-1].version if steps else start
    return Rehearsal(start, end, tuple(steps), error, schema, cancelled, differences)


def remove_stale_rehearsals(temp: Path | None = None) -> None:
    """Remove rehearsal folders whose process is gone: only ours, only folders, only our user's."""
    base = temp or Path(tempfile.gettempdir())
    try:
        entries = list(os.scandir(base))
    except OSError:
        return
    for entry in entries:
        match = _OWN_FOLDER.match(entry.name)
        if match is None or not entry.is_dir(follow_symlinks=False):
            continue
        pid = int(match["pid"])
        mine = os.name == "nt" or entry.stat(follow_symlinks=False).st_uid == os.getuid()
        if mine and pid != os.getpid() and os.name != "nt" and not process_alive(pid):
            shutil.rmtree(entry.path, ignore_errors=True)


def _copy(original: Path, copy: Path) -> None:
    """The copy to rehearse on; no room for it is a plain refusal, not a traceback."""
    folder = copy.parent
    size = original.stat().st_size
    free = shutil.disk_usage(folder).free
    if free < size * SPACE_MARGIN:
        raise _no_room(
            original, folder, f"{size // 1_048_576 + 1} MB needed, {free // 1_048_576} MB free"
        )
    src = open_readonly(original)
    try:
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except (OSError, sqlite3.Error) as exc:
        raise _no_room(original, folder, str(exc)) from exc
    finally:
        src.close()


def _no_room(original: Path, folder: Path, why: str) -> DatabaseUnusable:
    return DatabaseUnusable(
        original, Refusal.NO_ROOM_FOR_REHEARSAL, where=folder, detail=why, outcome=ON_A_COPY
    )


def _schema(path: Path) -> dict[str, list[str]]:
    conn = open_readonly(path)
    try:
        return {t: columns(conn, t) for t in user_tables(conn)}
    finally:
        conn.close()
