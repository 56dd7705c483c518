"""The engine's one error hierarchy, split by whose fault a failure is.

Every error carries facts: which file, what was refused and why
(:class:`Refusal`), and what had happened to the file by then
(:class:`Outcome`: whether it changed, which migrations were applied, where a
copy is kept). ``str(exc)`` is the sentence for staff, made once from those
facts by :mod:`core.wording` (and ``exc.args[0]`` is the same sentence).
``sqlite3`` and import errors are translated once, at the engine boundary,
with ``raise ... from``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Self

from core import wording
from core.reasons import NO_FILE, ON_A_COPY, UNTOUCHED, CatalogProblem, Outcome, Refusal

if TYPE_CHECKING:
    from core.status import DatabaseStatus


class MigrationError(Exception):
    """Base of every error the engine raises on purpose."""

    def __init__(self, *, outcome: Outcome = UNTOUCHED) -> None:
        self.outcome = outcome
        super().__init__(self.sentence())

    def sentence(self) -> str:
        """The words for staff, from this error's facts (see :mod:`core.wording`)."""
        raise NotImplementedError

    def __str__(self) -> str:
        return str(self.args[0])

    @property
    def message(self) -> str:
        return str(self)

    @property
    def file_changed(self) -> bool:
        return self.outcome.changed

    def after_steps(self, applied: tuple[int, ...]) -> Self:
        """The same error, met after ``applied`` migrations of this run had committed."""
        again = type(self).__new__(type(self))
        again.__dict__.update(self.__dict__)
        again.outcome = replace(self.outcome, applied=applied)
        Exception.__init__(again, again.sentence())
        return again


# --- The file cannot be used (the environment's fault) ---------------------


class DatabaseUnusable(MigrationError):
    """The file can't be upgraded as it is; nothing was written to it unless ``outcome`` says."""

    def __init__(
        self,
        path: Path | str,
        refusal: Refusal,
        *,
        detail: str = "",
        where: Path | None = None,
        found: DatabaseStatus | None = None,
        waited: float | None = None,
        space_mb: tuple[int, int] | None = None,
        outcome: Outcome = UNTOUCHED,
    ) -> None:
        self.path = Path(path)
        self.refusal = refusal
        self.detail = detail  # the system's own words (an OS or SQLite message)
        self.where = where  # the other path involved: backup folder, copy, backup file
        self.found = found  # the look at the file that led to the refusal
        self.waited = waited
        self.space_mb = space_mb  # (needed, free) when the disk is too full for a copy
        super().__init__(outcome=outcome)

    def sentence(self) -> str:
        return wording.unusable(self)


class DatabaseMissing(DatabaseUnusable):
    """No file at the path, or the path is a folder."""


class NotADatabase(DatabaseUnusable):
    """The file is not an SQLite database at all."""


class DatabaseCorrupt(DatabaseUnusable):
    """An SQLite file that fails SQLite's own consistency check."""


class NotASocietyDatabase(DatabaseUnusable):
    """An SQLite database that belongs to some other program."""


class DatabaseTooNew(DatabaseUnusable):
    """The file was upgraded by a newer version of this tool."""

    def __init__(self, path: Path | str, version: int, latest: int) -> None:
        self.version = version
        self.latest = latest
        super().__init__(path, Refusal.STATE)

    def sentence(self) -> str:
        return wording.too_new(self.version, self.latest, self.outcome)


class BookkeepingNotOurs(DatabaseUnusable):
    """The file's version number or history can't be trusted: not what this tool writes.

    A negative ``user_version``, a ``migration_history`` table of another
    shape or with versions that aren't whole numbers, a trigger on the tool's
    own tables (it would run on the engine's writes).
    """


class DatabaseLocked(DatabaseUnusable):
    """Another program holds the database's write lock past the wait."""


class DatabaseReadOnly(DatabaseUnusable):
    """The file or its folder cannot be written."""


class BackupFailed(DatabaseUnusable):
    """The safety copy could not be made or verified, so nothing was migrated."""


# --- The migrations themselves (our fault or the migration author's) ---------


class CatalogError(MigrationError):
    """The migrations folder is malformed: bad name, gap, duplicate, import error."""

    def __init__(
        self,
        path: Path | str,
        problem: CatalogProblem,
        *,
        other: Path | None = None,
        expected: int | None = None,
        detail: str = "",
    ) -> None:
        self.path = Path(path)
        self.problem = problem
        self.other = other
        self.expected = expected
        self.detail = detail
        super().__init__()

    def sentence(self) -> str:
        return wording.catalog_problem(self)


class MigrationFailed(MigrationError):
    """A migration raised; its transaction was rolled back."""

    def __init__(self, version: int, description: str, reason: str, version_now: int) -> None:
        self.version = version
        self.description = description
        self.reason = reason
        self.version_now = version_now
        super().__init__()

    def sentence(self) -> str:
        return wording.rolled_back(self.version, self.description, self.reason, self.version_now)


class ForbiddenInMigration(MigrationError):
    """A migration tried to end the engine's transaction or change what it owns."""

    def __init__(self, what: str, *, lost_transaction: bool = False) -> None:
        self.what = what  # the call or statement it tried
        self.lost_transaction = lost_transaction  # SQLite had rolled the step back already
        super().__init__()

    def sentence(self) -> str:
        return wording.forbidden(self.what, self.lost_transaction)


class UpgradeCancelled(MigrationError):
    """The person asked to stop; the running migration was rolled back."""

    def __init__(self, version_now: int) -> None:
        self.version_now = version_now
        super().__init__()

    def sentence(self) -> str:
        return wording.cancelled(self.version_now)


__all__ = [
    "NO_FILE",
    "ON_A_COPY",
    "UNTOUCHED",
    "BackupFailed",
    "CatalogError",
    "CatalogProblem",
    "DatabaseCorrupt",
    "DatabaseLocked",
    "DatabaseMissing",
    "DatabaseReadOnly",
    "DatabaseTooNew",
    "DatabaseUnusable",
    "ForbiddenInMigration",
    "MigrationError",
    "MigrationFailed",
    "NotADatabase",
    "NotASocietyDatabase",
    "Outcome",
    "Refusal",
    "UpgradeCancelled",
]
