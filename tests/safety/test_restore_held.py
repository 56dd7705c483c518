"""Restore while the Society app is running: nothing it commits is lost, no wait is endless.

- A real second process commits a ledger row every few milliseconds into a
  file of 100,000 ledger rows while the backup is restored, in rollback-journal
  and WAL mode: every row it committed is afterwards either in the restored
  file (committed after the restore) or in the copy kept aside (before it).
- A real holder process keeps a read transaction (rollback mode) or a write
  transaction (either mode) open: the restore gives up within its wait, says
  to close the other program, and changes nothing; ``restore s.db s.db`` is
  refused at once.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.snapshot import connect_ro

from core.discovery import load_catalog
from core.errors import DatabaseLocked
from core.restore import RestoreResult, restore_backup
from samples.legacy import Shape, build

from .support import assert_clean_refusal, folder_state, integrity, run_cli, sha

WRITER = r"""
import pathlib, sqlite3, sys, time
db, log, stop = sys.argv[1:4]
conn = sqlite3.connect(db, timeout=60, isolation_level=None)
n = 0
with open(log, "a", buffering=1) as out:
    while not pathlib.Path(stop).exists():
        n += 1
        try:
            conn.execute(
                "INSERT INTO ledger (transaction_id, date, transaction_type, credit) "
                "VALUES (?, '2025-06-01', 'Payment', 1.0)", (f"LIVE-{n}",))
        except sqlite3.Error as exc:
            print(f"not committed: {exc}", file=sys.stderr, flush=True)
            continue
        out.write(f"LIVE-{n}\n")  # written only once the row is committed
        time.sleep(0.003)
"""

HOLDER = r"""
import sqlite3, sys
db, how = sys.argv[1:3]
conn = sqlite3.connect(db, isolation_level=None)
if how == "read":
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM ledger").fetchone()
else:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO ledger (transaction_id) VALUES ('HELD')")
print("holding", flush=True)
sys.stdin.read()
"""


@pytest.fixture(scope="module")
def big_with_backup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 100,000-row ledger file and a backup of it taken before 500 more rows came."""
    folder = tmp_path_factory.mktemp("big_restore")
    db = build(folder / "society.db", Shape.MERGED_BY_HAND, residents=500, ledger_rows=100_000)
    backup = folder / "society_backup.db"
    shutil.copyfile(db, backup)
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO ledger (transaction_id, date, transaction_type, credit) "
            "VALUES (?, '2025-05-01', 'Payment', 2.0)",
            [(f"LATER-{n}",) for n in range(500)],
        )
    conn.close()
    return db, backup


def _journal_mode(db: Path, mode: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        assert conn.execute(f"PRAGMA journal_mode = {mode}").fetchone()[0] == mode
    finally:
        conn.close()


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.01)


def _ids(path: Path) -> set[str]:
    conn = connect_ro(path)
    try:
        rows = conn.execute("SELECT transaction_id FROM ledger WHERE transaction_id LIKE 'LIVE-%'")
        return {r[0] for r in rows}
    finally:
        conn.close()


def _ledger_count(path: Path) -> int:
    conn = connect_ro(path)
    try:
        return int(conn.execute("SELECT count(*) FROM ledger").fetchone()[0])
    finally:
        conn.close()


def _committed(log: Path) -> list[str]:
    return log.read_text().split() if log.exists() else []


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["delete", "wal"])
def test_rows_the_app_commits_during_a_restore_are_all_kept_somewhere(
    big_with_backup: tuple[Path, Path], tmp_path: Path, mode: str
) -> None:
    original, backup = big_with_backup
    db = shutil.copyfile(original, tmp_path / "society.db")
    _journal_mode(db, mode)
    log, stop = tmp_path / "committed.txt", tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(log), str(stop)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: len(_committed(log)) >= 20, "the app's first commits")
        result = restore_backup(backup, db, load_catalog())
        after = len(_committed(log))
        _wait_for(lambda: len(_committed(log)) >= after + 20, "the app's commits after")
    finally:
        stop.touch()
        _, errors = writer.communicate(timeout=60)
    assert "malformed" not in errors and "disk I/O" not in errors, errors[-300:]

    committed = set(_committed(log))
    assert result.replaced_kept_at is not None
    kept, restored = _ids(result.replaced_kept_at), _ids(db)
    lost = committed - kept - restored
    assert not lost, f"{len(lost)} of {len(committed)} committed rows are nowhere"
    assert kept and restored, "the app should have committed both before and during the restore"
    assert integrity(db) == "ok" and integrity(result.replaced_kept_at) == "ok"
    # The restored file is the backup plus what came after: not the 500 LATER rows.
    assert _ledger_count(db) == _ledger_count(backup) + len(restored)


@pytest.fixture
def small_pair(tmp_path: Path) -> tuple[Path, Path]:
    db = build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=30, ledger_rows=300)
    backups = tmp_path / "backups"
    backups.mkdir()
    backup = shutil.copyfile(db, backups / "society_v0_20260101-000000.db")
    return db, backup


@pytest.fixture
def holder(small_pair: tuple[Path, Path]) -> Iterator[Callable[[str], None]]:
    """Start a real program holding the database: ``hold("read"|"write")``."""
    children: list[subprocess.Popen[str]] = []

    def hold(how: str) -> None:
        child = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(small_pair[0]), how],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        children.append(child)
        assert child.stdout is not None and child.stdout.readline().strip() == "holding"

    yield hold
    for child in children:
        child.kill()
        child.communicate(timeout=30)


def _restore_in_thread(backup: Path, db: Path) -> tuple[RestoreResult | BaseException, float]:
    """Run the restore with a 1 s lock wait; a restore that never returns fails the test."""
    outcome: list[RestoreResult | BaseException] = []

    def run() -> None:
        try:
            outcome.append(restore_backup(backup, db, load_catalog(), lock_timeout=1.0))
        except BaseException as exc:  # handed to the test
            outcome.append(exc)

    began = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the restore did not return while the file was held"
    return outcome[0], time.monotonic() - began


@pytest.mark.slow
@pytest.mark.parametrize(
    ("mode", "how"), [("delete", "read"), ("delete", "write"), ("wal", "write")]
)
def test_a_held_file_is_refused_within_the_wait_and_left_as_it_was(
    small_pair: tuple[Path, Path], holder: Callable[[str], None], mode: str, how: str
) -> None:
    db, backup = small_pair
    _journal_mode(db, mode)
    holder(how)
    before_file, before_backups = sha(db), folder_state(backup.parent)

    outcome, seconds = _restore_in_thread(backup, db)

    assert isinstance(outcome, DatabaseLocked), f"expected a refusal, got {outcome!r}"
    assert "Close the Society Management System" in str(outcome)
    assert "not changed" in str(outcome)
    assert seconds < 15
    assert sha(db) == before_file
    assert folder_state(backup.parent) == before_backups, "something was left in backups/"


def test_restoring_a_file_onto_itself_is_refused_at_once(small_pair: tuple[Path, Path]) -> None:
    db, _ = small_pair
    before = sha(db)

    result = run_cli("restore", db, db, timeout=30)

    message = assert_clean_refusal(result)
    assert "is the database file itself" in message
    assert sha(db) == before


@pytest.mark.slow
def test_the_command_line_says_who_to_close_when_the_file_stays_held(
    small_pair: tuple[Path, Path], holder: Callable[[str], None]
) -> None:
    db, backup = small_pair
    _journal_mode(db, "wal")
    holder("write")
    before = sha(db)

    result = run_cli("restore", backup, db, timeout=60)

    message = assert_clean_refusal(result)
    assert "Close the Society Management System" in message
    assert sha(db) == before
