"""Shared test set-up: headless Qt, the ``gui`` marker, and legacy fixture files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.migration_files import copy_shipped

from samples.legacy import Shape, build

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/gui needs Qt; mark it so ``-m "not gui"`` runs without."""
    for item in items:
        if "tests/gui/" in item.path.as_posix() or "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def private_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep the run log out of the real user's folders (child processes inherit this too)."""
    folder = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    monkeypatch.setenv("LOCALAPPDATA", str(folder))
    return folder


@pytest.fixture
def legacy_db(tmp_path: Path) -> Path:
    """An unversioned file merged by hand from every branch, old orphans included."""
    return build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=30, ledger_rows=200)


@pytest.fixture
def migrations_dir(tmp_path: Path) -> Path:
    """A copy of the shipped migrations that a test may add to or replace."""
    return copy_shipped(tmp_path / "migrations")
