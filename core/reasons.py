"""The facts behind a refusal: why the engine stopped, and what the file is like now.

Plain data shared by :mod:`core.errors` (which raises with them) and
:mod:`core.wording` (which says them); it imports nothing of ``core``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    """What had happened to the file when the engine stopped: facts, not words."""

    applied: tuple[int, ...] = ()  # migrations this run committed before it stopped
    kept_at: Path | None = None  # a restore: the copy of the file it was to replace
    file_exists: bool = True  # no file at all: "not changed" would puzzle
    on_a_copy: bool = False  # a rehearsal: only a temporary copy was ever written

    @property
    def changed(self) -> bool:
        return bool(self.applied)


UNTOUCHED = Outcome()
NO_FILE = Outcome(file_exists=False)
ON_A_COPY = Outcome(on_a_copy=True)


class Refusal(StrEnum):
    """Why the engine would not, or could not, go on."""

    STATE = "state"  # what a look at the file found (``found`` says it)
    READ_ONLY = "read only"
    IN_USE = "in use"  # another program held the lock (``waited`` seconds, if it waited)
    DAMAGED = "damaged"  # SQLite's consistency check failed on the file
    DAMAGED_COPY = "damaged copy"  # ... on a fresh copy of it, page for page the file
    CANT_OPEN = "can't open"
    CANT_CREATE = "can't create"  # a first run: the new, empty file can't be made there
    SQLITE_ERROR = "sqlite error"
    SIDE_FILE = "side file"  # a file beside the database (the crash note) can't be written
    NOTHING_TO_BACK_UP = "nothing to back up"
    VERSION_MOVED = "version moved"  # another program set the file back meanwhile
    # The safety copy, and putting one back
    BACKUP_FOLDER = "backup folder"  # ``where`` can't be created
    BACKUP_WRITE = "backup write"  # writing ``where`` failed
    NO_SPACE = "no space"
    COPY_DIFFERS = "copy differs"
    BACKUP_DAMAGED = "backup damaged"  # the backup to restore fails its check
    NOT_RESTORABLE = "not restorable"  # the backup to restore is not a society database
    KEEP_ASIDE_FAILED = "keep aside failed"
    KEPT_COPY_DAMAGED = "kept copy damaged"  # the copy of the file being replaced
    RESTORE_ONTO_ITSELF = "restore onto itself"
    NO_ROOM_FOR_REHEARSAL = "no room for rehearsal"  # the copy can't be made in ``where``
    WONT_REPLACE = "won't replace"  # the file to replace is another program's, or held
    RESTORE_FAILED = "restore failed"


class CatalogProblem(StrEnum):
    NO_FOLDER = "no folder"
    BAD_NAME = "bad name"
    DUPLICATE = "duplicate"  # ``other`` has the same number
    GAP = "gap"  # number ``expected`` is missing
    CANT_LOAD = "can't load"
    IMPORT_FAILED = "import failed"
    NO_UPGRADE = "no upgrade"
    NOT_PLAIN = "not plain"  # upgrade is ``detail`` (async, a generator ...), not a function
    CANT_WRITE = "can't write"  # a new migration file
    FAILS_ON_EMPTY = "fails on empty"  # so the schema of version ``expected`` can't be known
