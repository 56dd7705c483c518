"""The summary after upgrading several copies: one row per copy, and a Copy button.

The rows are :func:`core.batch.summary_rows`, the same words the command
line prints; Copy puts :func:`core.batch.summary_table` (the plain-text
table) on the clipboard, so it can be pasted into an e-mail.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.batch import HEADERS, FileOutcome, Result, summary_rows, summary_table
from gui.named import named


def headline(outcomes: Sequence[FileOutcome]) -> str:
    """How many copies went through, and how many didn't."""
    done = sum(o.result in (Result.UPGRADED, Result.UP_TO_DATE) for o in outcomes)
    n = len(outcomes)
    if done == n:
        return f"All {n} copies are up to date now." if n != 1 else "The copy is up to date now."
    return f"{done} of {n} copies are up to date now; the others are listed with what happened."


class SummaryDialog(QDialog):
    """The table of what happened to each copy (``summaryDialog``, ``summaryView``)."""

    def __init__(self, outcomes: Sequence[FileOutcome], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryDialog")
        self.setWindowTitle("Several copies: summary")
        self.text = summary_table(outcomes)
        rows = summary_rows(outcomes)
        self.table = named(QTableWidget(len(rows), len(HEADERS)), "summaryView")
        self.table.setAccessibleName("What happened to each copy")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for r, (row, outcome) in enumerate(zip(rows, outcomes, strict=True)):
            for c, cell in enumerate(row):
                item = QTableWidgetItem(cell)
                if outcome.reason:
                    item.setToolTip(outcome.reason)
                self.table.setItem(r, c, item)
        copy = named(QPushButton("&Copy table"), "copySummaryButton")
        copy.setAccessibleName("Copy the table")
        copy.clicked.connect(self._on_copy_clicked)
        close = named(QPushButton("Close"), "closeSummaryButton")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(copy)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        headline_label = named(QLabel(headline(outcomes)), "summaryHeadline")
        headline_label.setWordWrap(True)
        layout.addWidget(headline_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(900, 320)

    @Slot()
    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text)


def show_summary(parent: QWidget, outcomes: Sequence[FileOutcome]) -> SummaryDialog:
    """Open the summary without blocking; it deletes itself when closed."""
    dialog = SummaryDialog(outcomes, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
