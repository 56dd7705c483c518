"""Fixtures for engine tests: legacy files and throwaway migration folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.migration_files import copy_shipped

from samples.legacy import Shape, build


@pytest.fixture
def legacy_db(tmp_path: Path) -> Path:
    """An unversioned file merged by hand from every branch, old orphans included."""
    return build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=30, ledger_rows=200)


@pytest.fixture
def migrations_dir(tmp_path: Path) -> Path:
    """A copy of the shipped migrations that a test may add to or replace."""
    return copy_shipped(tmp_path / "migrations")
