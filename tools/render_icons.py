"""Render the application icon's PNG sizes from its SVG: ``python tools/render_icons.py``.

The window and the build use the PNGs (``gui/resources/icons/``), so neither
needs Qt's SVG module at run time; only this developer script does. Run it
again after changing ``society-migrator.svg`` and commit the PNGs (and
``society-migrator.ico``, the Windows build's icon).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from gui.icon import ICON_DIR, ICON_NAME, ICON_SIZES  # noqa: E402


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn on a transparent square of ``size`` pixels."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    svg = ICON_DIR / f"{ICON_NAME}.svg"
    for size in ICON_SIZES:
        out = ICON_DIR / f"{ICON_NAME}-{size}.png"
        if not render(svg, size).save(str(out)):
            raise SystemExit(f"Could not write {out}")
        print(f"Saved {out}")
    ico = ICON_DIR / f"{ICON_NAME}.ico"  # Qt's ICO writer keeps one size: the largest it can
    if render(svg, 256).save(str(ico), "ICO"):
        print(f"Saved {ico}")
    else:
        print(f"Qt has no ICO writer here; {ico} not written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
