"""Fixtures for backup, restore, rehearsal and crash-explanation tests."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from samples.legacy import Shape, build

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "migrations"


def dump(path: Path) -> tuple[int, list[str]]:
    """The file's logical content: version plus a full SQL dump (schema and rows)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0], list(conn.iterdump())
    finally:
        conn.close()


def version_of(path: Path) -> int:
    return dump(path)[0]


@pytest.fixture
def legacy_db(tmp_path: Path) -> Path:
    """An unversioned file merged by hand from every branch, orphans included."""
    return build(tmp_path / "society.db", Shape.MERGED_BY_HAND)


@pytest.fixture
def migrations_dir(tmp_path: Path) -> Path:
    """A copy of the shipped migrations to which a test adds its own files."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for source in SHIPPED.glob("[0-9]*.py"):
        shutil.copy(source, folder / source.name)
    return folder
