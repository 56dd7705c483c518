"""The run log: one plain-text line for every run that changed, or tried to change, a file.

It answers "what happened to our database on Tuesday?": when, which file,
what was done, from which version to which, where the backup is, and how it
ended. A line holds only those facts, never a message text, so no resident's
name, phone, e-mail or password hash can reach it (a migration's error text
might quote a row; the log names only the error's kind).

The log lives in the user's own data folder, the very folder Qt's
``QStandardPaths.AppLocalDataLocation`` gives the window, computed here
without Qt so the command line writes to the same file
(``tests/gui/test_about.py`` checks the two agree).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from core.errors import MigrationError, MigrationFailed, UpgradeCancelled
from core.events import BackupDone, Event, EventHandler, MigrationApplied, PlanReady
from core.restore import RestoreResult, _version_of  # None when it can't be read
from core.upgrade import UpgradeResult

ORGANIZATION = "SocietyDBMigrator"  # Qt's organization and application names, too
APPLICATION = "Society DB Migrator"
LOG_NAME = "runs.log"


def data_folder() -> Path:
    """``QStandardPaths.writableLocation(AppLocalDataLocation)`` for our names, without Qt."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:  # XDG: a relative XDG_DATA_HOME is ignored, as Qt does
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg.startswith("/") else Path.home() / ".local" / "share"
    return base / ORGANIZATION / APPLICATION


def log_folder() -> Path:
    return data_folder() / "logs"


def log_path() -> Path:
    return log_folder() / LOG_NAME


@dataclass(frozen=True)
class RunRecord:
    """One run's facts; ``outcome`` is done, failed, cancelled or interrupted."""

    action: str  # "upgrade" or "restore"
    file: Path
    from_version: int | None
    to_version: int | None
    backup: Path | None
    outcome: str
    detail: str = ""  # facts only, e.g. "migration 003 rolled back (IntegrityError)"
    when: datetime = field(default_factory=lambda: datetime.now().astimezone())

    def line(self) -> str:
        """The record as one line: ``when | action | file | a -> b | backup: ... | outcome``."""
        versions = f"version {_v(self.from_version)} -> {_v(self.to_version)}"
        backup = f"backup: {self.backup}" if self.backup else "backup: none"
        outcome = f"{self.outcome}: {self.detail}" if self.detail else self.outcome
        fields = (self.when.strftime("%Y-%m-%d %H:%M:%S %z"), self.action, str(self.file))
        return " | ".join(_one_line(f) for f in (*fields, versions, backup, outcome))


def _v(version: int | None) -> str:
    return "?" if version is None else str(version)


def _one_line(text: str) -> str:
    """A path with a newline (or a bar) must not forge a second line or field."""
    return "".join(c if c.isprintable() and c != "|" else "?" for c in text)


def append(record: RunRecord, path: Path | None = None) -> Path | None:
    """Add ``record`` to the log; the log's path, or None if it could not be written.

    Writing the log never fails a run: the file's own outcome matters more.
    """
    target = path or log_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as log:
            log.write(record.line() + "\n")
    except OSError:
        return None
    return target


def outcome_of(exc: BaseException) -> tuple[str, str, int | None]:
    """(outcome, detail, version the file is at) for an exception that ended a run."""
    if isinstance(exc, MigrationFailed):
        cause = type(exc.__cause__).__name__ if exc.__cause__ else "error"
        return "failed", f"migration {exc.version:03d} rolled back ({cause})", exc.version_now
    if isinstance(exc, UpgradeCancelled):
        return "cancelled", "the running migration was rolled back", exc.version_now
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", "", None
    if isinstance(exc, MigrationError):
        return "failed", type(exc).__name__, None
    return "failed", f"unexpected {type(exc).__name__}", None


class RunFacts:
    """What a run's events told so far: its plan began, its backup, the version reached."""

    def __init__(self, version: int | None = None) -> None:
        self.started = False
        self.from_version = self.version = version
        self.backup: Path | None = None

    def watching(self, on_event: EventHandler) -> Callable[[Event], None]:
        """``on_event``, with the plan, the backup's path and each new version noted."""

        def observe(event: Event) -> None:
            if isinstance(event, PlanReady) and event.steps and not self.started:
                self.started = True
                self.from_version = self.version = event.current_version
            elif isinstance(event, BackupDone):
                self.backup = event.destination
            elif isinstance(event, MigrationApplied):
                self.version = event.step.version
            on_event(event)

        return observe


class RunRecorder(RunFacts):
    """Follows one run's events and writes its line when it ends, however it ends.

    A run is logged once it has work to do: an upgrade from its plan on (a
    file already up to date is not a run), a restore always.
    """

    def __init__(self, action: str, file: Path, path: Path | None = None) -> None:
        super().__init__()
        self.action, self.file, self.path = action, file.absolute(), path

    def done(self, to_version: int | None, detail: str = "", *, cancelled: bool = False) -> None:
        self.version = to_version
        self._write("cancelled" if cancelled else "done", detail)

    def failed(self, exc: BaseException) -> None:
        outcome, detail, version_now = outcome_of(exc)
        if version_now is not None:
            self.version = version_now
        self._write(outcome, detail)

    def _write(self, outcome: str, detail: str) -> None:
        record = RunRecord(
            self.action, self.file, self.from_version, self.version, self.backup, outcome, detail
        )
        append(record, self.path)


def logged_upgrade(
    file: Path, run: Callable[[EventHandler], UpgradeResult], on_event: EventHandler
) -> UpgradeResult:
    """``run(observe)`` an upgrade of ``file``; its line is written if it had work to do."""
    recorder = RunRecorder("upgrade", file)
    try:
        result = run(recorder.watching(on_event))
    except BaseException as exc:
        if recorder.started:
            recorder.failed(exc)
        raise
    if recorder.started:
        n = len(result.applied)
        applied = f"{n} migration{'s' if n != 1 else ''} applied"
        recorder.done(result.to_version, applied, cancelled=result.cancelled)
    return result


def logged_restore(backup: Path, file: Path, run: Callable[[], RestoreResult]) -> RestoreResult:
    """``run()`` a restore of ``backup`` over ``file``, and write its line.

    The line's backup is the one restored; the copy of the replaced file is its detail.
    """
    recorder = RunRecorder("restore", file)
    recorder.from_version = recorder.version = _version_of(file) if file.is_file() else None
    recorder.backup = backup.absolute()
    try:
        result = run()
    except BaseException as exc:
        recorder.failed(exc)
        raise
    kept = f"the replaced file is kept at {result.replaced_kept_at}"
    recorder.done(result.restored_version, kept if result.replaced_kept_at else "")
    return result
