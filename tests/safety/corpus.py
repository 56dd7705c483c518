"""A folder of hostile and broken database files, built fresh in a test's tmp_path.

Each entry says what ``status`` and ``upgrade`` must answer: the exit code and
a phrase of the message. Files that are fine (an empty new database, a valid
file under an awkward name) are in the corpus too, to prove the names alone
break nothing.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from core import api
from samples.legacy import Shape, build

PAGE = 4096


@dataclass(frozen=True)
class Case:
    name: str  # the file name in the corpus folder
    status_code: int
    upgrade_code: int
    says: str  # a phrase (lower case) the refusal must contain; "" for valid files


CASES = (
    Case("truncated to 100 bytes.db", 2, 2, "damaged"),
    Case("truncated to one page.db", 2, 2, "damaged"),
    Case("truncated to half.db", 2, 2, "damaged"),
    Case("last page missing.db", 2, 2, "damaged"),
    Case("random bytes with a header.db", 2, 2, "damaged"),
    Case("huge user_version.db", 2, 2, "newer"),
    Case("notes.db", 2, 2, "not a database"),
    Case("x.db", 2, 2, "folder"),
    Case("another program.db", 2, 2, "other program"),
    Case("missing.db", 2, 2, "no file"),
    Case("brökèn ñ 2024.db", 2, 2, "damaged"),
)
VALID = ("Sociéty ñ 2024.db", "society; DROP TABLE residents.db")


def _legacy_bytes(folder: Path) -> bytes:
    source = build(folder / ".source.db", Shape.MERGED_BY_HAND, residents=60, ledger_rows=2000)
    data = source.read_bytes()
    source.unlink()
    return data


def build_corpus(folder: Path) -> Path:
    """Write every case of :data:`CASES` and :data:`VALID` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    good = _legacy_bytes(folder)
    assert len(good) > 10 * PAGE
    write = {
        "truncated to 100 bytes.db": good[:100],
        "truncated to one page.db": good[:PAGE],
        "truncated to half.db": good[: len(good) // 2],
        "last page missing.db": good[:-PAGE],
        "random bytes with a header.db": good[:16] + random.Random(3).randbytes(64 * 1024),
        "notes.db": b"Minutes of the committee meeting\nAgenda: parking\n",
        "brökèn ñ 2024.db": good[: len(good) // 3],
    }
    for name, data in write.items():
        (folder / name).write_bytes(data)
    for name in VALID:
        (folder / name).write_bytes(good)
    (folder / "x.db").mkdir()

    huge = build(folder / "huge user_version.db", Shape.LATEST_CODE, residents=5, ledger_rows=20)
    api.upgrade(huge, backup=False)  # our history: its number is ours, and too high
    _execute(huge, f"PRAGMA user_version = {2**31 - 1}")
    other = folder / "another program.db"
    _execute(
        other,
        "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT, taken TEXT);"
        "CREATE TABLE albums (id INTEGER PRIMARY KEY, title TEXT);"
        "INSERT INTO albums (title) VALUES ('Holidays');",
    )
    return folder


def _execute(path: Path, script: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(script)
    finally:
        conn.close()
