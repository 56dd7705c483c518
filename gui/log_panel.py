"""The log: the engine's messages with times, and the technical details one click away."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

from gui.named import named

FAILURE_STYLE = "color:#b00020; font-weight:bold"
SHOW_DETAILS = "Show technical details"
HIDE_DETAILS = "Hide technical details"


class LogPanel(QWidget):
    """Messages in plain words (``logView``); tracebacks in a hidden ``detailsView``.

    Signals: none.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = named(QPlainTextEdit(readOnly=True), "logView")
        self.view.setToolTip("What the migrator did, with times. Failures are shown in red.")
        self.view.setMaximumBlockCount(5000)
        self.details_button = named(QToolButton(), "detailsButton")
        self.details_button.setText(SHOW_DETAILS)
        self.details_button.setCheckable(True)
        self.details_button.setEnabled(False)
        self.details_button.setToolTip(
            "The technical detail of a failure, for whoever maintains the tool."
        )
        self.details_button.toggled.connect(self._on_details_button_toggled)
        self.details = named(QPlainTextEdit(readOnly=True), "detailsView")
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.hide()

        header = QHBoxLayout()
        header.addWidget(QLabel("<b>Log</b>"))
        header.addStretch(1)
        header.addWidget(self.details_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.view, 2)
        layout.addWidget(self.details, 1)

    def add(self, text: str, *, failure: bool = False) -> None:
        """Append one timestamped line; a failure is marked in bold red."""
        line = f"{datetime.now():%H:%M:%S}  {'⚠ ' if failure else ''}{text}"
        if failure:
            self.view.appendHtml(f'<span style="{FAILURE_STYLE}">{html.escape(line)}</span>')
        else:
            self.view.appendPlainText(line)
        self.view.ensureCursorVisible()

    @Slot(str, bool)
    def add_line(self, text: str, failure: bool) -> None:
        """:meth:`add`, as a slot for the job controller's ``log_line``."""
        self.add(text, failure=failure)

    @Slot(str, str)
    def add_details(self, title: str, details: str) -> None:
        """Keep a traceback for the details view, and say in the log where it is."""
        self.details.appendPlainText(f"--- {datetime.now():%H:%M:%S}  {title}\n{details}")
        self.details_button.setEnabled(True)
        self.add(f"Technical details are kept under “{SHOW_DETAILS}”.")

    def text(self) -> str:
        return self.view.toPlainText()

    @Slot(bool)
    def _on_details_button_toggled(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(HIDE_DETAILS if shown else SHOW_DETAILS)
