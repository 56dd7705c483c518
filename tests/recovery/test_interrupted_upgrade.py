"""After a crash the tool says what happened: which migration, the version, the backup."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.migration_files import ENGINE_BASE, ROOT, copy_shipped
from helpers.snapshot import assert_same_content, content, version

from core import api
from core.marker import marker_path

SLOW = '''"""Recount every ledger balance"""

def upgrade(conn):
    conn.execute("CREATE TABLE recount (n INTEGER)")
    # Long enough to be killed in the middle: a recursive CTE counting far.
    conn.execute(
        "INSERT INTO recount WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL "
        "SELECT n + 1 FROM c WHERE n < 50000000) SELECT max(n) FROM c"
    )
'''


@pytest.fixture
def migrations_dir(tmp_path: Path) -> Path:
    """The first four shipped migrations: these tests plant their own 005."""
    return copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)


def upgrade_until_005_runs(db: Path, migrations: Path, *options: str) -> subprocess.Popen[str]:
    """Start ``main.py upgrade`` with the slow 005 and return once 005 is running."""
    (migrations / "005_recount.py").write_text(SLOW)
    child = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "upgrade",
            str(db),
            *options,
            "--migrations",
            str(migrations),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("Applying migration 005"):
            return child
    child.kill()
    child.communicate()
    pytest.fail("the upgrade never reached migration 005")


@pytest.mark.slow
def test_a_killed_upgrade_is_explained_on_next_open_and_a_retry_finishes(
    legacy_db: Path, migrations_dir: Path
) -> None:
    child = upgrade_until_005_runs(legacy_db, migrations_dir)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=10)

    found = api.status(legacy_db, migrations_dir)

    assert found.interrupted is not None
    assert found.interrupted.version == 5
    assert found.current_version == 4  # SQLite rolled 005 back
    assert "cut short" in found.summary and "Recount every ledger balance" in found.summary
    assert found.interrupted.backup is not None
    assert Path(found.interrupted.backup).is_file()
    assert version(Path(found.interrupted.backup)) == 0

    marker_path(legacy_db).unlink()  # the retry below uses a quick 005 instead
    (migrations_dir / "005_recount.py").write_text('"""Recount"""\ndef upgrade(conn):\n    pass\n')
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    assert version(legacy_db) == 5
    assert not marker_path(legacy_db).exists()
    assert api.status(legacy_db, migrations_dir).interrupted is None


def test_a_finished_or_failed_upgrade_leaves_no_crash_note(
    legacy_db: Path, migrations_dir: Path
) -> None:
    (migrations_dir / "005_boom.py").write_text(
        '"""Boom"""\ndef upgrade(conn):\n    raise ValueError("no")\n'
    )
    with pytest.raises(Exception, match="still at version 4"):
        api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    assert not marker_path(legacy_db).exists()
    assert api.status(legacy_db, migrations_dir).interrupted is None


def test_a_hot_journal_from_a_killed_writer_is_rolled_back_not_called_damaged(
    legacy_db: Path,
) -> None:
    before = content(legacy_db)
    # A writer that spills a big uncommitted change into the file, then dies.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('PRAGMA cache_size = 10')\n"
            "c.execute('BEGIN')\n"
            "rows = (('x' * 900,) for _ in range(5000))\n"
            "c.executemany('INSERT INTO society (name) VALUES (?)', rows)\n"
            "os._exit(0)\n",
            str(legacy_db),
        ],
        check=True,
        timeout=60,
    )
    assert legacy_db.with_name("society.db-journal").exists()

    found = api.status(legacy_db)

    assert found.state == "unversioned"
    assert_same_content(before, content(legacy_db))


@pytest.mark.slow
def test_ctrl_c_on_the_command_line_rolls_the_running_migration_back(
    legacy_db: Path, migrations_dir: Path
) -> None:
    child = upgrade_until_005_runs(legacy_db, migrations_dir, "--no-backup")
    child.send_signal(signal.SIGINT)  # what Ctrl+C sends
    try:
        out, err = child.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
        pytest.fail("Ctrl+C did not stop the running migration")

    assert child.returncode == 130
    assert "Traceback" not in err
    assert "cancelled" in err and "failed" not in out + err  # stopped, not broken
    assert version(legacy_db) == 4
    assert "recount" not in {t.lower() for t in content(legacy_db).rows}
    assert not marker_path(legacy_db).exists()
