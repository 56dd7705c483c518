"""The Society app's start-up line, as the app already writes it.

The newest app's ``database.py`` does
``MigrationManager(db_path, migrations_dir).apply_pending_migrations()`` with a
manager from a folder that was never published. This class takes the same two
arguments and does what :func:`core.api.ensure_current` does (create a missing
file, verified backup first, one all-or-nothing transaction per migration), so
the app changes one import line and nothing else.

The app passes its own folder (``ai_agent_utils/migrations`` beside its code,
or inside its PyInstaller bundle). That folder is used only if it holds our
migrations (a file with the name and content of one we ship, as when the app's
developers copy ours and add their own after them). A folder that doesn't
exist, or holds only the app's own manager and its differently numbered files,
is never imported: the shipped migrations are used.
"""

from __future__ import annotations

import os
from pathlib import Path

from core import api
from core.discovery import file_checksum, shipped_migrations_dir
from core.events import EventHandler, ignore_event
from core.status import DatabaseStatus
from core.upgrade import UpgradeResult

PathArg = str | os.PathLike[str]


def holds_our_migrations(folder: Path, shipped: Path | None = None) -> bool:
    """True if ``folder`` has a file identical to one of the shipped migrations."""
    if not folder.is_dir():
        return False
    ours = shipped or shipped_migrations_dir()
    for source in ours.glob("[0-9][0-9][0-9]_*.py"):
        candidate = folder / source.name
        if candidate.is_file() and file_checksum(candidate) == file_checksum(source):
            return True
    return False


class MigrationManager:
    """``MigrationManager(db_path, migrations_dir).apply_pending_migrations()``.

    Every error is a :class:`core.errors.MigrationError` whose text is written
    for staff and says whether the file changed, so the app's own error
    wrapper can show ``str(error)`` as it is.
    """

    def __init__(
        self,
        db_path: PathArg,
        migrations_dir: PathArg | None = None,
        *,
        on_event: EventHandler = ignore_event,
    ) -> None:
        self.db_path = Path(db_path)
        given = Path(migrations_dir) if migrations_dir is not None else None
        # None means the shipped migrations.
        self.migrations_dir = given if given is not None and holds_our_migrations(given) else None
        self.on_event = on_event

    def apply_pending_migrations(self) -> UpgradeResult:
        """Bring the file to the latest version: at once if nothing is pending."""
        return api.ensure_current(
            self.db_path, migrations_dir=self.migrations_dir, on_event=self.on_event
        )

    def status(self) -> DatabaseStatus:
        """Where the file stands, without writing to it."""
        return api.status(self.db_path, self.migrations_dir)
