"""The migrations folder is read once per window: looking at files stays quick; F5 reloads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import (
    UPGRADE_TIMEOUT_MS,
    Answers,
    click,
    open_file,
    statuses,
    trigger,
    user_version,
)
from helpers.migration_files import ENGINE_BASE, copy_shipped, write_migration

from samples.legacy import Shape, build

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

IMPORTS = "imports.txt"


def add_counting_migration(folder: Path, version: int) -> Path:
    """A migration that notes, in ``imports.txt`` beside it, each time it is imported."""
    path = folder / f"{version:03d}_count_imports.py"
    path.write_text(
        '"""Do nothing, but note each import (a test migration)"""\n\n'
        "from pathlib import Path\n\n"
        f'with Path(__file__).with_name("{IMPORTS}").open("a", encoding="utf-8") as notes:\n'
        '    notes.write("imported\\n")\n\n\n'
        "def upgrade(conn):\n"
        '    conn.execute("SELECT 1")\n',
        encoding="utf-8",
    )
    return path


def imports(folder: Path) -> int:
    return len((folder / IMPORTS).read_text(encoding="utf-8").splitlines())


def test_migrations_are_imported_once_not_on_every_look_at_a_file(qtbot, make_window, tmp_path):
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    add_counting_migration(folder, 5)
    first = build(tmp_path / "first.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    second = build(tmp_path / "second.db", Shape.VEHICLES, residents=3, ledger_rows=3)
    window = make_window(migrations_dir=folder)
    window.confirm = Answers(yes=False)

    open_file(qtbot, window, first)
    open_file(qtbot, window, second)
    open_file(qtbot, window, first)
    trigger(
        qtbot, window, window.upgrade_action
    )  # reads the file again before asking; the answer is no
    assert imports(folder) == 1
    assert statuses(window) == ["Pending"] * 5

    write_migration(folder, 6, "do_nothing", 'conn.execute("SELECT 1")', doc="Do nothing")
    open_file(qtbot, window, second)
    assert window.model.rowCount() == 5  # what the window knows until it is told to look again
    trigger(qtbot, window, window.reload_action)
    assert imports(folder) == 2
    assert statuses(window) == ["Pending"] * 6


def test_upgrade_runs_the_migrations_the_window_showed(qtbot, make_window, tmp_path):
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    window = make_window(migrations_dir=folder)
    open_file(qtbot, window, path)
    write_migration(folder, 5, "arrived_late", 'conn.execute("SELECT 1")', doc="Arrived late")

    with qtbot.waitSignal(window.job_finished, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        click(qtbot, window, "upgradeButton")
    (outcome,) = blocker.args
    assert outcome.ok and outcome.result.to_version == 4
    ((_, question),) = window.confirm.questions
    assert "Arrived late" not in question
    assert user_version(path) == 4


def test_a_migration_that_will_not_import_is_text_and_check_again_recovers(
    qtbot, make_window, tmp_path
):
    folder = copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)
    broken = write_migration(folder, 5, "needs_a_module", "pass")
    broken.write_text("import no_such_module_here\n" + broken.read_text(encoding="utf-8"))
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    window = make_window(migrations_dir=folder)

    open_file(qtbot, window, path)

    status = window.status_panel.status.text()
    assert "005_needs_a_module.py could not be imported" in status
    assert "Traceback" not in window.log.text() and "Traceback" not in status
    assert window.model.rowCount() == 0
    assert not window.upgrade_action.isEnabled() and not window.restore_action.isEnabled()
    assert window.reload_action.isEnabled()

    broken.unlink()  # whoever maintains the tool fixes the folder; F5 looks again
    trigger(qtbot, window, window.reload_action)
    assert statuses(window) == ["Pending"] * 4
    assert window.upgrade_action.isEnabled() and window.restore_action.isEnabled()
