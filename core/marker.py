"""The "upgrade in progress" note beside the database, to explain a crash.

SQLite's journal already guarantees the file after a power cut or a killed
process: the running migration is rolled back on next open. What it can't do
is tell the person what happened. So before each migration the engine writes
``<db>.upgrade-in-progress.json`` (which migration, the version it started
from, the backup taken) and removes it when the upgrade ends in any orderly
way. Finding it later, with nobody holding it, means the upgrade was cut short.
The note is written to a temporary file then renamed; a temporary file left
by a killed writer is removed the next time a note is written or cleared.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from core import wording

SUFFIX = ".upgrade-in-progress.json"
MAX_NAME = 200  # a file name has 255 bytes; the temporary name adds a tag and a pid
_TEMPORARY = re.compile(r"^(?P<note>.+)\.(?P<tag>[0-9a-f]{8})-(?P<pid>\d+)\.tmp$")


def marker_path(db_path: Path) -> Path:
    """``<db>.upgrade-in-progress.json``; for a very long name, a shortened one with a hash."""
    name = db_path.name + SUFFIX
    if len(name.encode()) > MAX_NAME:
        digest = hashlib.sha1(db_path.name.encode()).hexdigest()[:12]
        head = db_path.name.encode()[: MAX_NAME - 50].decode(errors="ignore")
        name = f"{head}~{digest}{SUFFIX}"
    return db_path.with_name(name)


@dataclass(frozen=True)
class InterruptedUpgrade:
    """What the note says: the migration that was running and where the backup is."""

    version: int  # the migration that was running
    description: str
    started_at: str
    backup: str | None
    pid: int

    @property
    def text(self) -> str:
        return wording.interrupted(self)


def write(db_path: Path, version: int, description: str, backup: Path | None) -> None:
    note = InterruptedUpgrade(
        version=version,
        description=description,
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        backup=str(backup) if backup else None,
        pid=os.getpid(),
    )
    target = marker_path(db_path)
    _remove_stale_temporaries(target)
    # Named for this process and this call: two upgrades (or two threads) at once.
    partial = target.with_name(f"{target.name}.{secrets.token_hex(4)}-{os.getpid()}.tmp")
    try:
        partial.write_text(json.dumps(asdict(note)), encoding="utf-8")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary notes of killed writers: only those this tool named, for this database."""
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None or match["note"] != target.name:
            continue
        pid = int(match["pid"])
        if pid == os.getpid() or not entry.is_file(follow_symlinks=False):
            continue
        if os.name == "nt":  # no asking whether it lives: only a day-old one is surely stale
            gone = time.time() - entry.stat().st_mtime > 86_400
        else:
            gone = not process_alive(pid)
        if gone:
            Path(entry.path).unlink(missing_ok=True)


def clear(db_path: Path, *, only_own: bool = False) -> None:
    """Remove the note; with ``only_own``, only if this process wrote it.

    An upgrade that gave up waiting for the lock must not erase the note of
    the one that held it, should that one be killed later.
    """
    if only_own:
        note = read(db_path)
        if note is not None and note.pid != os.getpid():
            return
    target = marker_path(db_path)
    target.unlink(missing_ok=True)
    _remove_stale_temporaries(target)


def read(db_path: Path) -> InterruptedUpgrade | None:
    """The note left by an upgrade that did not finish, or None."""
    try:
        data = json.loads(marker_path(db_path).read_text(encoding="utf-8"))
        return InterruptedUpgrade(**data)
    except (OSError, ValueError, TypeError):
        return None


def running_elsewhere(note: InterruptedUpgrade) -> bool:
    """True while the process that wrote the note is still alive (another upgrade)."""
    return note.pid != os.getpid() and process_alive(note.pid)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists; False where that can't be asked safely."""
    if os.name == "nt":  # Windows' os.kill(pid, 0) would signal the process, not probe it
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True
