"""The window's icon, and the one folder Qt and the engine agree on for the run log."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

from core import runlog
from gui.icon import ICON_DIR, ICON_NAME, ICON_SIZES, app_icon
from gui.settings import APPLICATION, ORGANIZATION


def test_every_png_size_is_there_and_the_window_wears_the_icon(window):
    for size in ICON_SIZES:
        assert (ICON_DIR / f"{ICON_NAME}-{size}.png").is_file()
    assert (ICON_DIR / f"{ICON_NAME}.svg").is_file()
    sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
    assert {(n, n) for n in ICON_SIZES} <= sizes
    assert not window.windowIcon().isNull()


def test_core_puts_the_run_log_where_qt_puts_the_windows_data(qapp, private_data_folder):
    old = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    try:
        location = QStandardPaths.StandardLocation.AppLocalDataLocation
        qt_folder = Path(QStandardPaths.writableLocation(location))
    finally:
        QCoreApplication.setOrganizationName(old[0])
        QCoreApplication.setApplicationName(old[1])
    assert qt_folder == runlog.data_folder()
    assert qt_folder.is_relative_to(private_data_folder)  # the tests' own, not the user's
