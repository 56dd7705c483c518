"""The migrations list as a read-only table: one row per migration and its status.

The rows come from :func:`core.api.status` (applied or pending, with history),
and the window marks them live while an upgrade runs: running, applied,
failed, rolled back. A mark stays until another file is opened, so a failure
remains visible after the file's status is read again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QFont

from core.status import MigrationRow

COLUMNS = ("Version", "Description", "Status", "Applied at", "Duration")
VERSION, DESCRIPTION, STATUS, APPLIED_AT, DURATION = range(len(COLUMNS))

APPLIED = "Applied"
PENDING = "Pending"
RUNNING = "Running…"
FAILED = "Failed, rolled back"
ROLLED_BACK = "Rolled back"

FAILED_COLOR = QColor(176, 0, 32)
RUNNING_BACKGROUND = QColor(255, 236, 153)  # a soft yellow that reads on light and dark
RUNNING_TEXT = QColor(0, 0, 0)

AnyIndex = QModelIndex | QPersistentModelIndex


class Mark(Enum):
    """What just happened to one migration of the open file during an upgrade."""

    RUNNING = "running"
    APPLIED = "applied"
    FAILED = "failed"
    ROLLED_BACK = "rolled back"


@dataclass(frozen=True)
class RowMark:
    """A mark for the row of ``version`` (the job controller's ``row_mark`` signal)."""

    version: int
    mark: Mark
    seconds: float = 0.0  # how long it took, once applied
    reason: str = ""  # why it failed


def local_time(iso_utc: str | None) -> str:
    """The history's UTC timestamp in the computer's local time, to the minute."""
    if not iso_utc:
        return ""
    try:
        return datetime.fromisoformat(iso_utc).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso_utc


def duration_text(ms: float | None) -> str:
    if ms is None:
        return ""
    if ms < 1000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.1f} s"


class MigrationsModel(QAbstractTableModel):
    """Migrations of the open file with their live status.

    Signals: none beyond QAbstractTableModel's own (``dataChanged``, resets).
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[MigrationRow] = []
        self._marks: dict[int, str] = {}  # version -> RUNNING / FAILED / ROLLED_BACK
        self._notes: dict[int, str] = {}  # version -> why it failed (tooltip)

    # --- filling and marking ------------------------------------------------

    def set_rows(self, rows: tuple[MigrationRow, ...], *, keep_marks: bool = False) -> None:
        """Show ``rows``; ``keep_marks`` keeps Failed / Rolled back from the last run."""
        self.beginResetModel()
        self._rows = list(rows)
        if not keep_marks:
            self._notes.clear()
        self._marks = {v: m for v, m in self._marks.items() if keep_marks and m != RUNNING}
        self.endResetModel()

    def row_of(self, version: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.version == version:
                return i
        return None

    @Slot(object)
    def apply_mark(self, mark: RowMark) -> None:
        """Show what just happened to one migration."""
        match mark.mark:
            case Mark.RUNNING:
                self.mark_running(mark.version)
            case Mark.APPLIED:
                self.mark_applied(mark.version, mark.seconds)
            case Mark.FAILED:
                self.mark_failed(mark.version, mark.reason)
            case Mark.ROLLED_BACK:
                self.mark_rolled_back(mark.version)

    def mark_running(self, version: int) -> None:
        self._mark(version, RUNNING)

    def mark_applied(self, version: int, seconds: float) -> None:
        i = self.row_of(version)
        if i is None:
            return
        self._rows[i] = replace(self._rows[i], status="applied", duration_ms=seconds * 1000)
        self._marks.pop(version, None)
        self._changed(i)

    def mark_failed(self, version: int, reason: str) -> None:
        self._notes[version] = reason
        self._mark(version, FAILED)

    def mark_rolled_back(self, version: int) -> None:
        self._notes[version] = "Cancelled while running; its changes were undone."
        self._mark(version, ROLLED_BACK)

    def status_text(self, row: int) -> str:
        version = self._rows[row].version
        if version in self._marks:
            return self._marks[version]
        return APPLIED if self._rows[row].status == "applied" else PENDING

    def _mark(self, version: int, mark: str) -> None:
        i = self.row_of(version)
        if i is None:
            return
        self._marks[version] = mark
        self._changed(i)

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # --- QAbstractTableModel ---------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        status = self.status_text(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, status, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, status)
        if role == Qt.ItemDataRole.FontRole and status in (PENDING, RUNNING, FAILED):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if status == FAILED:
                return QBrush(FAILED_COLOR)
            if status == RUNNING:
                return QBrush(RUNNING_TEXT)
        if role == Qt.ItemDataRole.BackgroundRole and status == RUNNING:
            return QBrush(RUNNING_BACKGROUND)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (VERSION, DURATION):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: MigrationRow, status: str, column: int) -> str:
        if column == VERSION:
            return f"{row.version:03d}"
        if column == DESCRIPTION:
            return row.description
        if column == STATUS:
            return status
        if column == APPLIED_AT:
            return local_time(row.applied_at) if row.status == "applied" else ""
        return duration_text(row.duration_ms) if row.status == "applied" else ""

    def _tooltip(self, row: MigrationRow, status: str) -> str:
        lines = [f"Migration {row.version:03d} ({row.name}): {row.description}", status]
        if row.version in self._notes:
            lines.append(self._notes[row.version])
        if row.changed_since_applied:
            lines.append("This migration's file has changed since it was applied to this database.")
        return "\n".join(lines)
