"""The application icon: one SVG, drawn once into PNGs of the usual sizes.

The window uses the PNGs (a ``QIcon`` picks the size it needs), so Qt's SVG
module never has to ship in the standalone build. ``tools/render_icons.py``
redraws them from the SVG.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_NAME = "society-migrator"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def _icon_dir() -> Path:
    """Beside this module, in the source tree and in the PyInstaller build alike."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "gui" / "resources" / "icons"


ICON_DIR = _icon_dir()


def app_icon() -> QIcon:
    """The icon with every size there is; an empty icon if the files are missing."""
    icon = QIcon()
    for size in ICON_SIZES:
        png = ICON_DIR / f"{ICON_NAME}-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    return icon
