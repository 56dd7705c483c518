"""The window and the command line upgrading one file at once apply every migration once.

The window starts the upgrade; while its migration 005 holds the write lock,
``python main.py upgrade`` starts on the same file and has to wait. 005 keeps
SQLite busy (a recursive count, over and over) until the command line has said
that it waits, so the two always overlap, however fast or slow the machine.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest
from gui_helpers import UPGRADE_TIMEOUT_MS, click, open_file, start_cli, user_version
from helpers import snapshot
from helpers.migration_files import ENGINE_BASE, copy_shipped, write_migration

from core.version import HISTORY_TABLE
from samples.legacy import Shape, build

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints"), pytest.mark.slow]

SIDE_EFFECT = """
import os
conn.execute("CREATE TABLE IF NOT EXISTS upgrade_runs (version INTEGER, pid INTEGER)")
conn.execute("INSERT INTO upgrade_runs VALUES (?, ?)", ({version}, os.getpid()))
"""

# Counts in SQL until the other upgrader says it waits (at most a few seconds).
HOLD_UNTIL_WAITED_FOR = """
import time
from pathlib import Path
deadline = time.monotonic() + 5
while not Path({flag!r}).exists() and time.monotonic() < deadline:
    conn.execute(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000) "
        "SELECT count(*) FROM c"
    ).fetchone()
"""


class Reader(threading.Thread):
    """Collects the command line's output; touches ``flag`` once it says it waits."""

    def __init__(self, child: subprocess.Popen, flag: Path) -> None:
        super().__init__(daemon=True)
        self.child, self.flag, self.lines = child, flag, []

    def run(self) -> None:
        assert self.child.stdout is not None
        with self.child.stdout:
            for line in self.child.stdout:
                self.lines.append(line)
                if "waiting" in line:
                    self.flag.touch()


def test_window_and_command_line_at_once_apply_every_migration_once(qtbot, make_window, tmp_path):
    flag = tmp_path / "the command line waits"
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    body = SIDE_EFFECT.format(version=5) + HOLD_UNTIL_WAITED_FOR.format(flag=str(flag))
    write_migration(folder, 5, "hold_the_lock", body, doc="Hold the lock a while")
    write_migration(folder, 6, "side_effect", SIDE_EFFECT.format(version=6), doc="Side effect")
    path = build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=10, ledger_rows=40)
    window = make_window(migrations_dir=folder)
    open_file(qtbot, window, path)

    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, window, "upgradeButton")
        qtbot.waitUntil(lambda: window.model.status_text(4) == "Running…", timeout=5000)
        child = start_cli("upgrade", path, "--no-backup", "--migrations", folder)
        reader = Reader(child, flag)
        reader.start()
    assert child.wait(timeout=30) == 0
    reader.join(10)
    output = "".join(reader.lines)

    assert blocker.args == [True]
    assert flag.exists(), output
    assert "Another program is writing to this database; waiting for it to finish." in output
    assert user_version(path) == 6
    history = snapshot.rows(path, HISTORY_TABLE, ["version"])
    assert [row[0] for row in history] == [1, 2, 3, 4, 5, 6]
    assert [row[0] for row in snapshot.rows(path, "upgrade_runs", ["version"])] == [5, 6]
    assert window.status_panel.status.text() == "Up to date at version 6."
