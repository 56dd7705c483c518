"""Retake the window's pictures in ``docs/``: after an upgrade, and after a crash.

Run ``python tools/screenshot.py`` (under Xvfb for real window decorations, or
with ``QT_QPA_PLATFORM=offscreen``). It builds a made-up legacy database in a
temporary folder, opens it, upgrades it and grabs the window
(``docs/screenshot.png``). ``--scene crash`` instead opens a file whose
upgrade was cut short in migration 004 (``docs/screenshot-after-crash.png``).
Settings go to the temporary folder too, so the real ones are not touched.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QSettings, QTimer, SignalInstance  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from core import api, marker  # noqa: E402
from gui.copies_dialog import CopiesDialog  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.summary_dialog import SummaryDialog  # noqa: E402
from samples.legacy import Shape, build  # noqa: E402

TIMEOUT_MS = 60_000
SCENES = {
    "upgraded": "screenshot.png",
    "crash": "screenshot-after-crash.png",
    "several": "screenshot-several-copies.png",  # the summary after three copies
}


def cut_short(database: Path) -> None:
    """Leave the file as a killed upgrade does: at version 3, 004 noted as running."""
    result = api.upgrade(database, target=3)
    step = api.status(database).migrations[3]
    marker.write(database, step.version, step.description, result.backup)  # our own: not live


def wait_for(app: QApplication, signal: SignalInstance, start: Callable[[], object]) -> None:
    """Call ``start``, then run the event loop until ``signal`` (or a minute) has passed."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    start()
    loop.exec()
    signal.disconnect(loop.quit)


def upgrade_copies(app: QApplication, window: MainWindow, folder: Path, office: Path) -> QWidget:
    """Upgrade the office copy, a laptop's and a text file by mistake; the summary box."""
    laptop = build(folder / "treasurer-laptop.db", Shape.VEHICLES)
    notes = folder / "notes.db"
    notes.write_text("minutes of the committee meeting", encoding="utf-8")
    window.job_actions["several"].trigger()
    dialog = window.findChild(CopiesDialog, "copiesDialog")
    wait_for(app, dialog.states_read, lambda: dialog.add_paths([office, laptop, notes]))
    wait_for(app, window.job_finished, dialog.upgrade_button.click)
    summary = window.findChild(SummaryDialog, "summaryDialog")
    summary.resize(1100, 240)
    return summary


def take(out: Path, width: int, height: int, scene: str = "upgraded") -> None:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    folder = Path(tempfile.gettempdir()) / "society-db-migrator-screenshot"
    shutil.rmtree(folder, ignore_errors=True)  # a fixed name reads better in the picture
    folder.mkdir()
    try:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
        database = build(folder / "greenwood-society.db", Shape.MERGED_BY_HAND)
        window = MainWindow()
        window.confirm = lambda title, question, yes: True
        window.resize(width, height)
        window.show()
        if scene == "crash":
            cut_short(database)
        wait_for(app, window.checked, lambda: window.open_database(database))
        shown: QWidget = window
        if scene == "several":
            shown = upgrade_copies(app, window, folder, database)
        elif scene != "crash":
            wait_for(app, window.upgrade_finished, window.upgrade_action.trigger)
        for _ in range(5):  # let the last repaints land
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not shown.grab().save(str(out)):
            raise SystemExit(f"Could not write {out}")
        window.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"Saved {out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", choices=sorted(SCENES), default="upgraded")
    parser.add_argument("--out", type=Path, help="where to save (default: docs/, by scene)")
    parser.add_argument("--size", default="960x680", help="window size, WIDTHxHEIGHT")
    options = parser.parse_args()
    width, height = (int(n) for n in options.size.split("x"))
    out = options.out or ROOT / "docs" / SCENES[options.scene]
    take(out, width, height, options.scene)
    return 0


if __name__ == "__main__":
    sys.exit(main())
