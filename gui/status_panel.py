"""The status area: which file is open and where it stands, in words and at a glance."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QToolButton, QWidget

from core import wording
from core.marker import InterruptedUpgrade
from core.status import DatabaseStatus, State
from gui.named import named

PROMPT = (
    "Open a society database… Click Open (Ctrl+O), pick a recent file from its menu, "
    "or drop the database file onto this window."
)
SAMPLE_NOTE = (
    "This is a sample database with made-up data, for trying the tool. "
    "Open your society's database with Open… (Ctrl+O) or drop it onto this window."
)

CHECKING = "Checking…"

GOOD, ATTENTION, BLOCKED, NEUTRAL = "#1e7b34", "#9a5b00", "#b00020", "#5f6368"
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
    State.DIFFERS: ("Differs from its version", BLOCKED),
    State.NUMBERED_ELSEWHERE: ("Numbered by another tool", ATTENTION),
    State.TOO_NEW: ("Newer than this tool", BLOCKED),
    State.NOT_OURS: ("Version or history not this tool's", BLOCKED),
}


BANNER_STYLE = (
    "QFrame#interruptedBanner { background:#fff4e5; border:2px solid #9a5b00; border-radius:4px }"
    "QLabel { color:#3d2600 }"
)


def _label(name: str, *, selectable: bool = False) -> QLabel:
    label = named(QLabel(wordWrap=True), name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class InterruptedBanner(QFrame):
    """The warning after a crash (``interruptedBanner``), with Retry and Restore at hand.

    Signals:
        retry_requested(): the person pressed Retry.
        restore_requested(): the person pressed Restore.
    """

    retry_requested = Signal()
    restore_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("interruptedBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.text = _label("interruptedText", selectable=True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.retry_button = named(QToolButton(), "retryButton")
        self.retry_button.setText("Retry")
        self.retry_button.setToolTip("Run the upgrade again; a new safety copy is made first")
        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        self.restore_button = named(QToolButton(), "bannerRestoreButton")
        self.restore_button.setText("Restore…")
        self.restore_button.setToolTip("Put the safety copy from before the upgrade back")
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.restore_button)
        self.hide()

    def show_note(self, note: InterruptedUpgrade) -> None:
        self.text.setText("⚠ " + wording.interrupted(note))
        self.show()

    @Slot()
    def _on_retry_button_clicked(self) -> None:
        self.retry_requested.emit()

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        self.restore_requested.emit()


class StatusPanel(QFrame):
    """File path, state badge, versions, the state in words (``statusLabel``), crash banner.

    Signals: none.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.file = _label("fileLabel", selectable=True)
        self.badge = named(QLabel(), "stateBadge")
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
        self.banner = InterruptedBanner()
        layout.addWidget(self.banner, 3, 0, 1, 2)
        layout.setColumnStretch(0, 1)
        self.show_prompt()

    def show_prompt(self) -> None:
        self._show("No database open", PROMPT, "", None)

    def show_checking(self, path: Path) -> None:
        """The file is being read on a worker; its state follows."""
        self._show(f"<b>File:</b> {html.escape(str(path))}", CHECKING, "", (CHECKING, NEUTRAL))

    def show_problem(self, text: str) -> None:
        """Something that is not about the file (the migrations folder, a bug)."""
        self._show("No database open", text, "", ("Can't check", BLOCKED))

    def show_status(self, status: DatabaseStatus, *, sample: bool = False) -> None:
        latest = status.latest_version
        current = "unknown" if status.current_version is None else status.current_version
        note = status.interrupted
        self._show(
            f"<b>File:</b> {html.escape(str(status.path))}",
            status.state_text,
            f"Version {current} · latest {latest}",
            BADGES[status.state],
        )
        self.sample.setVisible(sample)
        if note is not None:
            self.banner.show_note(note)

    def _show(self, file: str, words: str, version: str, badge: tuple[str, str] | None) -> None:
        self.file.setText(file)
        self.status.setText(words)
        self.version.setText(version)
        self.sample.hide()
        self.banner.hide()
        self.badge.setVisible(badge is not None)
        if badge is not None:
            text, colour = badge
            self.badge.setText(text)
            self.badge.setStyleSheet(
                f"background:{colour}; color:white; font-weight:bold;"
                "border-radius:4px; padding:3px 8px"
            )
