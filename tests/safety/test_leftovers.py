"""A kill at any file-system call leaves nothing false, nothing public, nothing forever.

The CLI is killed (SIGKILL) at every Python-level file call it makes under
the folder in question (see :mod:`killpoints`), then the tool runs again:

- a backup: every file under a backup's name is a good backup (never an
  empty one listed as "version 0"), half-made copies are private, and the
  next backup clears them;
- a restore: the copy of the file being replaced is private from its first
  byte, and the database is either as it was or restored;
- an upgrade: the crash note's temporary file is cleared by the next run;
- a rehearsal: its full copy in the temporary folder is removed by the next one.

Cleaning up never touches what the tool did not name: a ``thesis.2024.partial``
or a folder ending in ``.partial`` beside the backups stays.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers.migration_files import SHIPPED_COUNT
from helpers.snapshot import version

from core import api
from core.backup import is_own_backup, read_copy
from core.marker import marker_path

from .killpoints import count_points, run_killed_at, was_killed
from .support import integrity, run_cli

DAMAGED = b"SQLite format 3\x00" + b"\x13" * 8000


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.lstat().st_mode) & 0o077 == 0


def _check_backups(folder: Path, db: Path) -> list[str]:
    """What is wrong in ``backups/``: a bad file under a backup's name, a file others can read.

    A damaged file kept aside by a restore is good when it holds the damaged bytes exactly.
    """
    problems = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if not _private(path):
            problems.append(f"{path.name} can be read by others")
        if is_own_backup(db, path) and path.read_bytes() != DAMAGED:
            verdict, _version, _counts = (
                read_copy(path) if path.stat().st_size else ("empty", 0, {})
            )
            if verdict != "ok":
                problems.append(f"{path.name} is named as a backup but is {verdict}")
    return problems


def _each_point(count: int) -> Iterator[int]:
    yield from range(1, count + 1)


@pytest.mark.slow
def test_a_killed_backup_leaves_only_good_backups_and_the_next_one_clears_the_rest(
    legacy_db: Path,
) -> None:
    legacy_db.chmod(0o600)
    folder = legacy_db.parent / "backups"
    points = count_points(folder, "backup", legacy_db)
    shutil.rmtree(folder)
    assert points >= 5

    def trial(n: int) -> list[str]:
        result = run_killed_at(n, folder, "backup", legacy_db)
        return [f"point {n}: not killed"] * (not was_killed(result)) + [
            f"point {n}: {p}" for p in _check_backups(folder, legacy_db)
        ]

    problems = [p for n in _each_point(points) for p in trial(n)]
    assert problems == []
    api.backup(legacy_db)  # the next time
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".partial")]
    assert _check_backups(folder, legacy_db) == []
    assert all(b.version == 0 for b in api.list_backups(legacy_db))


@pytest.mark.slow
@pytest.mark.parametrize("current", ["damaged", "intact"])
def test_a_killed_restore_keeps_the_replaced_file_private_and_the_database_whole(
    legacy_db: Path, current: str
) -> None:
    legacy_db.chmod(0o600)
    backup = api.backup(legacy_db)
    api.upgrade(legacy_db, backup=False)
    if current == "damaged":
        legacy_db.write_bytes(DAMAGED)
    place, folder = legacy_db.parent, backup.parent
    saved = place / "saved.db"
    shutil.copyfile(legacy_db, saved)
    points = count_points(place, "restore", backup, legacy_db)
    shutil.copyfile(saved, legacy_db)

    problems: list[str] = []
    for n in _each_point(points):
        result = run_killed_at(n, place, "restore", backup, legacy_db)
        problems += [f"point {n}: not killed"] * (not was_killed(result))
        problems += [f"point {n}: {p}" for p in _check_backups(folder, legacy_db)]
        as_it_was = legacy_db.read_bytes() == saved.read_bytes()
        if not as_it_was and (
            integrity(legacy_db) != "ok" or version(legacy_db) not in (0, SHIPPED_COUNT)
        ):
            problems.append(f"point {n}: the database is neither as it was nor restored")
        shutil.copyfile(saved, legacy_db)  # as it was, for the next kill
        legacy_db.chmod(0o600)
    assert problems == []
    api.restore(backup, legacy_db)  # the next time
    assert version(legacy_db) == 0 and integrity(legacy_db) == "ok"
    assert [p.name for p in place.iterdir() if p.name.endswith((".restoring", ".partial"))] == []
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".partial")]


@pytest.mark.slow
def test_the_crash_notes_temporary_file_is_cleared_by_the_next_upgrade(
    legacy_db: Path, tmp_path: Path
) -> None:
    saved = Path(shutil.copyfile(legacy_db, tmp_path / "saved.db"))  # counting upgrades it
    points = count_points(marker_path(legacy_db), "upgrade", legacy_db, "--no-backup")
    assert points >= 4

    def trial(n: int) -> list[str]:  # each kill point on its own copy, two at a time
        (tmp_path / f"point{n}").mkdir()
        db = Path(shutil.copyfile(saved, tmp_path / f"point{n}" / "society.db"))
        result = run_killed_at(n, marker_path(db), "upgrade", db, "--no-backup")
        api.upgrade(db, backup=False)  # the next time
        left = [p.name for p in db.parent.iterdir() if p.name.endswith(".tmp")]
        return (
            [f"point {n}: not killed"] * (not was_killed(result))
            + [f"point {n}: left {left}"] * bool(left)
            + [f"point {n}: a false crash note"] * (api.status(db).interrupted is not None)
            + [f"point {n}: not finished"] * (version(db) != SHIPPED_COUNT)
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        problems = [p for found in pool.map(trial, _each_point(points)) for p in found]
    assert problems == []


@pytest.mark.slow
def test_a_killed_rehearsals_copy_is_removed_by_the_next_rehearsal(
    legacy_db: Path, tmp_path: Path
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {"TMPDIR": str(temp)}
    watch = temp / "society-rehearsal-"
    points = count_points(watch, "upgrade", legacy_db, "--dry-run", env=env)
    assert points >= 3

    def trial(n: int) -> list[str]:
        own = temp / str(n)
        own.mkdir()
        mine = {"TMPDIR": str(own)}
        killed = run_killed_at(
            n, own / "society-rehearsal-", "upgrade", legacy_db, "--dry-run", env=mine
        )
        again = run_killed_at(0, own, "upgrade", legacy_db, "--dry-run", env=mine)
        left = os.listdir(own)
        return (
            [f"point {n}: not killed"] * (not was_killed(killed))
            + [f"point {n}: the next rehearsal failed"] * (again.returncode != 0)
            + [f"point {n}: left {left}"] * bool(left)
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        problems = [p for found in pool.map(trial, _each_point(points)) for p in found]
    assert problems == []
    assert version(legacy_db) == 0


def test_cleaning_up_leaves_files_the_tool_did_not_name(legacy_db: Path) -> None:
    folder = legacy_db.parent / "backups"
    folder.mkdir()
    theirs = [folder / "thesis.2024.partial", folder / "movie.mkv.4000000.partial"]
    for path in theirs:
        path.write_bytes(b"someone else's work")
    (folder / "photos.4000001.partial").mkdir()  # a folder so named
    (folder / "photos.4000001.partial" / "inside.jpg").write_bytes(b"jpeg")

    result = run_cli("backup", legacy_db)
    api.backup(legacy_db)

    assert result.returncode == 0, result.stderr[-300:]
    assert all(p.read_bytes() == b"someone else's work" for p in theirs)
    assert (folder / "photos.4000001.partial" / "inside.jpg").exists()
    assert len(api.list_backups(legacy_db)) == 2
