"""What the window is made of: its actions, its menus, and the widgets of its body.

Only building and placing lives here; what the actions do is the window's
(:mod:`gui.main_window` connects each one to its slot). The body stacks, top
to bottom: the row of action buttons, the status area, the progress line and
bar, and the migrations table above the log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QMenuBar,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.jobs.spec import ActionText, JobSpec, Place
from gui.log_panel import LogPanel
from gui.migrations_model import DESCRIPTION, Mark, MigrationsModel, RowMark
from gui.named import named
from gui.progress_view import ProgressView
from gui.status_panel import StatusPanel

# The words of the window's own actions (the jobs bring theirs), by ``<name>_action``.
ACTION_TEXTS = {
    "open": ActionText("&Open…", "Open a society database file", QKeySequence.StandardKey.Open),
    "reload": ActionText(
        "Check &again",
        "Read the file's status again, e.g. after closing the program that locked it",
        QKeySequence.StandardKey.Refresh,
    ),
    "cancel": ActionText(
        "&Cancel",
        "Stop the upgrade (or the test on a copy) after the migration that is running; "
        "press again to stop that one too (it is undone)",
        "Esc",
    ),
    "quit": ActionText("&Quit", "Close the window", QKeySequence.StandardKey.Quit),
}


def make_action(parent: QWidget, words: ActionText | str, slot: Callable[[], object]) -> QAction:
    """An action with ``words`` (or those named in :data:`ACTION_TEXTS`), calling ``slot``.

    The shortcut is said in its tooltip too.
    """
    if isinstance(words, str):
        words = ACTION_TEXTS[words]
    action = QAction(words.text, parent)
    action.setShortcut(QKeySequence(words.shortcut))
    shortcut_text = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{words.tip} ({shortcut_text})" if shortcut_text else words.tip)
    action.setStatusTip(words.tip)
    action.triggered.connect(slot)
    return action


class WindowActions(Protocol):
    """What the layout needs of the window: its actions, the jobs' ones, the recent files."""

    @property
    def open_action(self) -> QAction: ...
    @property
    def reload_action(self) -> QAction: ...
    @property
    def cancel_action(self) -> QAction: ...
    @property
    def quit_action(self) -> QAction: ...
    @property
    def recent_menu(self) -> QMenu: ...
    @property
    def job_specs(self) -> tuple[JobSpec, ...]: ...
    @property
    def job_actions(self) -> dict[str, QAction]:  # by job key
        ...


JobRow = list[tuple[str, QAction]]


def job_rows(actions: WindowActions) -> tuple[JobRow, JobRow]:
    """The jobs' (key, action) pairs: those placed before Cancel, and those after it."""
    before: JobRow = []
    after: JobRow = []
    for job in actions.job_specs:
        pair = (job.key, actions.job_actions[job.key])
        (before if job.place is Place.MIGRATIONS else after).append(pair)
    return before, after


def fill_menu_bar(bar: QMenuBar, actions: WindowActions) -> None:
    """The File menu (open, recent, check again, quit) and the Database menu (the jobs)."""
    before, after = job_rows(actions)
    menus: dict[str, list[QAction | QMenu | None]] = {  # None: a separator
        "&File": [
            actions.open_action,
            actions.recent_menu,
            actions.reload_action,
            None,
            actions.quit_action,
        ],
        "&Database": [
            *(action for _, action in before),
            actions.cancel_action,
            None,
            *(action for _, action in after),
        ],
    }
    for title, entries in menus.items():
        menu = bar.addMenu(title)
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            elif isinstance(entry, QMenu):
                menu.addMenu(entry)
            else:
                menu.addAction(entry)


class WindowBody(QWidget):
    """The window's central widget: action buttons, status, progress, migrations and log.

    The action row has a button for each of the window's actions but Quit, a job's
    called ``<key>Button``; the Open button's little arrow opens the recent files menu.

    Signals: none.
    """

    def __init__(
        self,
        model: MigrationsModel,
        actions: WindowActions,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.action_row = QHBoxLayout()
        self.action_row.addStretch(1)
        layout.addLayout(self.action_row)
        open_button = self.add_action_button(actions.open_action, "openButton")
        open_button.setMenu(actions.recent_menu)
        open_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.add_action_button(actions.reload_action, "reloadButton")
        before, after = job_rows(actions)
        for key, action in before:
            self.add_action_button(action, f"{key}Button")
        self.add_action_button(actions.cancel_action, "cancelButton")
        for key, action in after:
            self.add_action_button(action, f"{key}Button")

        self.status_panel = StatusPanel()
        layout.addWidget(self.status_panel)

        self.progress = ProgressView()
        layout.addWidget(self.progress)

        self.view = named(QTableView(), "migrationsView")
        self.view.setModel(model)
        self.view.setToolTip("Every migration this tool knows, and whether this file has it")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)

        self.log = LogPanel()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.log)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([220, 320])
        layout.addWidget(splitter, 1)

    @Slot(object)
    def follow_row(self, mark: RowMark) -> None:
        """Keep the migration that starts running in sight."""
        model = self.view.model()
        if mark.mark is Mark.RUNNING and isinstance(model, MigrationsModel):
            row = model.row_of(mark.version)
            if row is not None:
                self.view.scrollTo(model.index(row, 0))

    def add_action_button(self, action: QAction, name: str) -> QToolButton:
        """A button for ``action`` at the end of the action row (before its stretch)."""
        button = named(QToolButton(), name)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.action_row.insertWidget(self.action_row.count() - 1, button)
        return button
