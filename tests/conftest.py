"""Shared test set-up: headless Qt, the ``gui`` marker, and legacy fixture files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/gui needs Qt; mark it so ``-m "not gui"`` runs without."""
    for item in items:
        if "tests/gui/" in item.path.as_posix() or "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)
