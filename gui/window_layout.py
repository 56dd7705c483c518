"""What the window is made of: its actions, its menus, and the widgets of its body.

Only building and placing lives here; what the actions do is the window's
(:mod:`gui.main_window` connects each one to its slot). The body stacks, top
to bottom: the row of action buttons, the status area, the progress line and
bar, and the migrations table above the log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMenuBar,
    QProgressBar,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.log_panel import LogPanel
from gui.migrations_model import DESCRIPTION, MigrationsModel
from gui.status_panel import StatusPanel


@dataclass(frozen=True)
class ActionText:
    """An action's words: its label, the tip that says what it does, and its shortcut."""

    text: str
    tip: str
    shortcut: QKeySequence.StandardKey | str


# The words of each of the window's actions, by the name it has in ``<name>_action``.
ACTION_TEXTS = {
    "open": ActionText("&Open…", "Open a society database file", QKeySequence.StandardKey.Open),
    "reload": ActionText(
        "Check &again",
        "Read the file's status again, e.g. after closing the program that locked it",
        QKeySequence.StandardKey.Refresh,
    ),
    "upgrade": ActionText(
        "&Upgrade",
        "Apply the pending migrations; a safety copy of the file is made first",
        "Ctrl+U",
    ),
    "rehearse": ActionText(
        "&Test on a copy",
        "Run the pending migrations on a temporary copy and report what would happen; "
        "the real file is not touched",
        "Ctrl+T",
    ),
    "restore": ActionText(
        "&Restore…",
        "Put a backup back in place of this database; the current file is kept aside first",
        "Ctrl+Shift+R",
    ),
    "cancel": ActionText(
        "&Cancel",
        "Stop the upgrade (or the test on a copy) after the migration that is running; "
        "press again to stop that one too (it is undone)",
        "Esc",
    ),
    "quit": ActionText("&Quit", "Close the window", QKeySequence.StandardKey.Quit),
}


def make_action(parent: QWidget, name: str, slot: Callable[[], object]) -> QAction:
    """The action called ``name`` in :data:`ACTION_TEXTS`, shortcut in its tooltip, to ``slot``."""
    words = ACTION_TEXTS[name]
    action = QAction(words.text, parent)
    action.setShortcut(QKeySequence(words.shortcut))
    shortcut_text = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{words.tip} ({shortcut_text})" if shortcut_text else words.tip)
    action.setStatusTip(words.tip)
    action.triggered.connect(slot)
    return action


class WindowActions(Protocol):
    """What the layout needs of the window: its actions, and the recent files menu."""

    open_action: QAction
    reload_action: QAction
    upgrade_action: QAction
    rehearse_action: QAction
    restore_action: QAction
    cancel_action: QAction
    quit_action: QAction
    recent_menu: QMenu


def fill_menu_bar(bar: QMenuBar, actions: WindowActions) -> None:
    """The File menu (open, recent, check again, quit) and the Database menu (the jobs)."""
    menus: dict[str, list[QAction | QMenu | None]] = {  # None: a separator
        "&File": [
            actions.open_action,
            actions.recent_menu,
            actions.reload_action,
            None,
            actions.quit_action,
        ],
        "&Database": [
            actions.upgrade_action,
            actions.rehearse_action,
            actions.cancel_action,
            None,
            actions.restore_action,
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

    The action row has a button for each of the window's actions but Quit; the
    Open button's little arrow opens the recent files menu.

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
        self.add_action_button(actions.upgrade_action, "upgradeButton")
        self.add_action_button(actions.rehearse_action, "rehearseButton")
        self.add_action_button(actions.cancel_action, "cancelButton")
        self.add_action_button(actions.restore_action, "restoreButton")

        self.status_panel = StatusPanel()
        layout.addWidget(self.status_panel)

        self.progress_label = QLabel(objectName="progressLabel", wordWrap=True)
        self.progress = QProgressBar(objectName="progressBar")
        self.progress.setToolTip("How far the safety copy, or the migrations, have got")
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)

        self.view = QTableView(objectName="migrationsView")
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

    def add_action_button(self, action: QAction, name: str) -> QToolButton:
        """A button for ``action`` at the end of the action row (before its stretch)."""
        button = QToolButton(objectName=name)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.action_row.insertWidget(self.action_row.count() - 1, button)
        return button
