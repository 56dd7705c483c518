"""The window's own preferences: last folder, recent files, window geometry.

Kept in an INI file in the user's settings folder through ``QSettings``, and
never in the society database. Tests point ``QSettings.setPath`` at a
temporary folder so they don't touch the real settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from core.runlog import APPLICATION, ORGANIZATION  # one pair of names for Qt and the run log

MAX_RECENT = 6


class Settings:
    """Typed access to the few values the window remembers."""

    def __init__(self) -> None:
        self._qs = QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )

    @property
    def last_folder(self) -> str:
        return str(self._qs.value("files/lastFolder", "", type=str))

    @property
    def recent_files(self) -> list[str]:
        value = self._qs.value("files/recent", [], type=list)
        return [str(v) for v in value] if isinstance(value, list) else []

    def remember_file(self, path: Path) -> None:
        """Put ``path`` first in the recent list and remember its folder."""
        text = str(path)
        recent = [text] + [p for p in self.recent_files if p != text]
        self._qs.setValue("files/recent", recent[:MAX_RECENT])
        self._qs.setValue("files/lastFolder", str(path.parent))

    def forget_file(self, path: str) -> None:
        self._qs.setValue("files/recent", [p for p in self.recent_files if p != path])

    def geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def save_geometry(self, geometry: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.sync()
