"""Names for screen readers, for the widgets that show no text of their own.

A button is read out by its text; a table, a log or a bar has none, so each
gets an accessible name (and a description) here, by its ``objectName``, in
one place for the window and its dialogs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

NAMES = {
    "migrationsView": (
        "Migrations",
        "Every migration this tool knows, and whether the file has it",
    ),
    "logView": ("Log", "What the window did, one line each"),
    "detailsView": ("Technical details", "Tracebacks for whoever maintains the tool"),
    "progressBar": ("Progress", "How far the safety copy, or the migrations, have got"),
    "progressLabel": ("Progress line", "What is running now"),
    "statusLabel": ("Status", "Where the open file stands"),
    "stateBadge": ("State", "The open file's state in a word"),
    "versionLabel": ("Version", "The open file's version and the latest one"),
    "fileLabel": ("File", "The open file"),
    "backupList": ("Backups", "This file's backups, newest first"),
}


def name_widgets(root: QWidget) -> None:
    """Give every known widget under ``root`` (and ``root``) its name, unless it has one."""
    for widget in [root, *root.findChildren(QWidget)]:
        words = NAMES.get(widget.objectName())
        if words is not None and not widget.accessibleName():
            widget.setAccessibleName(words[0])
            widget.setAccessibleDescription(words[1])
