"""The engine's one error hierarchy, split by whose fault a failure is.

Every message is written for society staff: what happened, what to do, and
whether the database file changed. ``sqlite3`` and import errors are
translated once, at the engine boundary, with ``raise ... from``.
"""

from __future__ import annotations

from pathlib import Path

UNCHANGED = "The database file was not changed."


class MigrationError(Exception):
    """Base of every error the engine raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- The file cannot be used (the environment's fault) ---------------------


class DatabaseUnusable(MigrationError):
    """The file can't be upgraded as it is; nothing was written to it."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)


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
        super().__init__(
            path,
            f"This database is at version {version}, newer than this tool knows "
            f"(it knows up to version {latest}). It was upgraded by a newer version of "
            f"the Society Management System; use that version. {UNCHANGED}",
        )
        self.version = version
        self.latest = latest


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

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)


class MigrationFailed(MigrationError):
    """A migration raised; its transaction was rolled back."""

    def __init__(self, version: int, description: str, reason: str, version_now: int) -> None:
        super().__init__(
            f"Migration {version:03d} ({description}) failed: {reason}. "
            f"It was rolled back; the database is still at version {version_now}."
        )
        self.version = version
        self.description = description
        self.reason = reason
        self.version_now = version_now


class ForbiddenInMigration(MigrationError):
    """A migration tried to end the engine's transaction or change what it owns."""


class UpgradeCancelled(MigrationError):
    """The person asked to stop; the running migration was rolled back."""

    def __init__(self, version_now: int) -> None:
        super().__init__(
            f"The upgrade was cancelled. The database is at version {version_now}; "
            "nothing was left half done."
        )
        self.version_now = version_now
