"""Fixtures for the window's tests: private settings and windows that clean up after themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from gui_helpers import UPGRADE_TIMEOUT_MS, Answers
from PySide6.QtCore import QSettings

from gui.jobs import JOBS
from gui.jobs.spec import JobSpec
from gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Keep QSettings out of the real user's settings."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def make_window(qtbot) -> Iterator[Callable[..., MainWindow]]:
    """Build windows whose job is always over (rolled back if need be) at teardown."""
    windows: list[MainWindow] = []

    def make(migrations_dir: Path | None = None, jobs: Sequence[JobSpec] = JOBS) -> MainWindow:
        window = MainWindow(migrations_dir=migrations_dir, jobs=jobs)
        window.confirm = Answers()
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.is_busy:
            window.jobs.stop()
            qtbot.waitUntil(lambda w=window: not w.is_busy, timeout=UPGRADE_TIMEOUT_MS)
        assert window.background.wait(UPGRADE_TIMEOUT_MS)  # no look at a file outlives its test


@pytest.fixture
def window(make_window) -> MainWindow:
    return make_window()
