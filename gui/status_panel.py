"""The status area: which file is open and where it stands, in words and at a glance."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from core.status import DatabaseStatus, State

PROMPT = (
    "Open a society database… Click Open (Ctrl+O), pick a recent file from its menu, "
    "or drop the database file onto this window."
)
SAMPLE_NOTE = (
    "This is a sample database with made-up data, for trying the tool. "
    "Open your society's database with Open… (Ctrl+O) or drop it onto this window."
)

GOOD, ATTENTION, BLOCKED = "#1e7b34", "#9a5b00", "#b00020"
BADGES: dict[State, tuple[str, str]] = {
    State.MISSING: ("Not found", BLOCKED),
    State.UNREADABLE: ("Can't be read", BLOCKED),
    State.NOT_SQLITE: ("Not a database", BLOCKED),
    State.CORRUPT: ("Damaged", BLOCKED),
    State.NOT_SOCIETY: ("Not a society database", BLOCKED),
    State.LOCKED: ("Locked by another program", BLOCKED),
    State.NEW: ("Empty: new database", ATTENTION),
    State.UNVERSIONED: ("Unversioned (older install)", ATTENTION),
    State.PENDING: ("Upgrade needed", ATTENTION),
    State.UP_TO_DATE: ("Up to date", GOOD),
    State.TOO_NEW: ("Newer than this tool", BLOCKED),
}


def _label(name: str, *, selectable: bool = False) -> QLabel:
    label = QLabel(objectName=name, wordWrap=True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class StatusPanel(QFrame):
    """File path, state badge, versions and the state in words (``statusLabel``).

    Signals: none.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.file = _label("fileLabel", selectable=True)
        self.badge = QLabel(objectName="stateBadge")
        self.version = _label("versionLabel")
        self.status = _label("statusLabel")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        font = self.status.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.status.setFont(font)
        self.sample = _label("sampleLabel")
        self.sample.setText(SAMPLE_NOTE)
        self.sample.setStyleSheet("font-style: italic")
        layout = QGridLayout(self)
        layout.addWidget(self.file, 0, 0)
        layout.addWidget(self.badge, 0, 1, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.status, 1, 0)
        layout.addWidget(self.version, 1, 1, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.sample, 2, 0, 1, 2)
        layout.setColumnStretch(0, 1)
        self.show_prompt()

    def show_prompt(self) -> None:
        self._show("No database open", PROMPT, "", None)

    def show_problem(self, text: str) -> None:
        """Something that is not about the file (the migrations folder, a bug)."""
        self._show("No database open", text, "", ("Can't check", BLOCKED))

    def show_status(self, status: DatabaseStatus, *, sample: bool = False) -> None:
        latest = status.latest_version
        current = "unknown" if status.current_version is None else status.current_version
        self._show(
            f"<b>File:</b> {html.escape(str(status.path))}",
            status.summary,
            f"Version {current} · latest {latest}",
            BADGES[status.state],
        )
        self.sample.setVisible(sample)

    def _show(self, file: str, words: str, version: str, badge: tuple[str, str] | None) -> None:
        self.file.setText(file)
        self.status.setText(words)
        self.version.setText(version)
        self.sample.hide()
        self.badge.setVisible(badge is not None)
        if badge is not None:
            text, colour = badge
            self.badge.setText(text)
            self.badge.setStyleSheet(
                f"background:{colour}; color:white; font-weight:bold;"
                "border-radius:4px; padding:3px 8px"
            )
