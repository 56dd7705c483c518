"""A migration that rebuilds a big table moves the bar as its rows are copied."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import pytest
from gui_helpers import UPGRADE_TIMEOUT_MS, open_file, trigger, user_version
from helpers.migration_files import ENGINE_BASE, copy_shipped, write_migration

from core import wording
from core.events import RowsCopied
from samples.legacy import Shape, build

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

ROWS, CHUNK = 40_000, 4_000  # ten chunks: ten moves of the bar, well under a second
VERSION = ENGINE_BASE + 1
REBUILD_BIG_TABLE = f"""
from core.rebuild import Column, Table, rebuild

conn.execute("CREATE TABLE big (id INTEGER PRIMARY KEY, note TEXT)")
conn.execute(
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {ROWS}) "
    "INSERT INTO big SELECT x, 'row ' || x FROM c"
)
wider = (Column("id", "INTEGER", primary_key=True), Column("note", "TEXT"), Column("tag", "TEXT"))
rebuild(conn, Table("big", wider), chunk_rows={CHUNK})
"""


@dataclass(frozen=True)
class Seen:
    """The bar and its line each time the progress view was told something."""

    fraction: float
    text: str
    line: str
    running: bool  # the rebuilding migration's row said Running… then


def test_the_bar_moves_within_the_steps_share_as_rows_are_copied(qtbot, make_window, tmp_path):
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    write_migration(folder, VERSION, "rebuild_big", REBUILD_BIG_TABLE, doc="Rebuild a big table")
    data = tmp_path / "data"
    data.mkdir()
    path = build(data / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    window = make_window(migrations_dir=folder)
    open_file(qtbot, window, path)
    bar, label, seen = window.progress, window.progress_label, []

    def look(_progress: object) -> None:  # after the view has shown it: connected later
        running = window.model.status_text(VERSION - 1) == "Running…"
        fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0  # 0: busy
        seen.append(Seen(fraction, bar.text(), label.text(), running))

    window.jobs.progress.connect(look)
    with qtbot.waitSignal(window.upgrade_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        trigger(qtbot, window, window.upgrade_action)
    assert blocker.args == [True]
    assert user_version(path) == VERSION

    share = (ENGINE_BASE / VERSION, 1.0)  # the last step's part of the bar
    said = f"Migration {VERSION:03d}: copying rows"
    copying = [s for s in seen if s.running and s.line.startswith(said)]
    assert len(copying) == ROWS // CHUNK  # one move a chunk, all while the step ran
    fractions = [s.fraction for s in copying]
    assert all(a < b for a, b in pairwise(fractions))  # strictly up
    assert all(share[0] < f <= share[1] for f in fractions)
    assert sum(f < share[1] for f in fractions) == len(fractions) - 1  # full only at the end
    assert {s.text for s in copying} == {f"{ENGINE_BASE} of {VERSION} migrations done"}
    tenth = wording.copying_rows(VERSION, RowsCopied("big", CHUNK, ROWS))
    assert copying[0].line == tenth == f"Migration {VERSION:03d}: copying rows… 10%"
    assert seen[-1].fraction == 1.0
    log = window.log.text()
    assert "copying rows" not in log and "rows copied" not in log  # for the bar, not the log
