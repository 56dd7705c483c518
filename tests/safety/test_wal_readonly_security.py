"""WAL files, read-only files and folders, and what the tool never trusts.

- A WAL-mode database, with rows still only in its ``-wal`` file and another
  program holding it open, upgrades with every row and stays in WAL mode.
- A read-only file or folder is refused with a clear message and not touched
  (as root, where permissions don't stop writes, the tool runs as ``nobody``).
- Migrations come only from the tool's own package or ``--migrations``: files
  beside the database are never imported. Table and column names full of
  quotes and semicolons survive status, backup and upgrade.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT

from samples.legacy import Shape, build

from .support import (
    ROOT,
    assert_clean_refusal,
    child_env,
    folder_state,
    integrity,
    run_cli,
    user_version,
)

NOBODY = 65534


# --- WAL ---------------------------------------------------------------------


@pytest.mark.slow
def test_a_wal_database_held_open_upgrades_with_every_row_and_stays_wal(tmp_path: Path):
    db = build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=60, ledger_rows=2000)
    app = sqlite3.connect(db, isolation_level=None)  # the Society app, still running
    try:
        assert app.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
        app.execute("PRAGMA wal_autocheckpoint = 0")  # keep the new rows in the -wal file
        app.execute(
            "INSERT INTO ledger (transaction_id, date, flat_no, transaction_type, credit) "
            "SELECT 'TXN-WAL-' || id, '2025-05-01', flat_no, 'Payment', 500.0 FROM residents"
        )
        wal = db.with_name(db.name + "-wal")
        assert wal.stat().st_size > 0, "the new rows should be in the -wal file only"
        expected = app.execute("SELECT count(*) FROM ledger").fetchone()[0]
        reader = sqlite3.connect(db)  # and a reader with its own open connection
        reader.execute("SELECT count(*) FROM residents").fetchone()

        result = run_cli("upgrade", db)

        reader.close()
    finally:
        app.close()
    assert result.returncode == 0, result.stderr[-300:]
    assert user_version(db) == SHIPPED_COUNT and integrity(db) == "ok"
    conn = snapshot.connect_ro(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM ledger").fetchone()[0] == expected
        wal_rows = conn.execute("SELECT count(*) FROM ledger WHERE transaction_id LIKE 'TXN-WAL-%'")
        assert wal_rows.fetchone()[0] == 60
    finally:
        conn.close()
    (backup,) = (tmp_path / "backups").iterdir()  # the backup holds the -wal rows too
    copy = snapshot.connect_ro(backup)
    try:
        assert copy.execute("SELECT count(*) FROM ledger").fetchone()[0] == expected
    finally:
        copy.close()


# --- Read-only ---------------------------------------------------------------


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="society-readonly-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder)


def drop_to_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


@pytest.fixture(scope="module")
def unprivileged() -> tuple[str | None, Callable[[], None] | None]:
    """(interpreter, preexec_fn) that run the CLI as a user permissions apply to.

    As root, the child drops to ``nobody``; the venv's interpreter may live under
    /root, so take the first Python that ``nobody`` can run (the CLI needs no Qt).
    """
    if os.geteuid() != 0:
        return None, None
    candidates = [sys.executable, os.path.realpath(sys.executable), "/usr/bin/python3"]
    for python in candidates:
        try:
            probe = subprocess.run(
                [python, "-c", "import sqlite3, sys; assert sys.version_info >= (3, 11)"],
                cwd="/",
                preexec_fn=drop_to_nobody,
                capture_output=True,
                check=False,
                timeout=30,
            )
        except OSError:
            continue
        if probe.returncode == 0:
            return python, drop_to_nobody
    pytest.skip("running as root and no Python 3.11+ that the user nobody may run")


TOOL_PARTS = ("main.py", "cli.py", "core", "migrations")


def tool_for(shared_dir: Path, preexec_fn: Callable[[], None] | None) -> Path:
    """Where the child runs the tool from: the checkout, or a copy ``nobody`` can read.

    The checkout may sit in a folder only its owner can enter (a clone in a
    private temporary folder): as ``nobody``, run a copy of what the command
    line needs, in a world-readable folder.
    """
    if preexec_fn is None:
        return ROOT
    tool = shared_dir / "tool"
    if not tool.exists():
        tool.mkdir(mode=0o755)
        for part in TOOL_PARTS:
            source = ROOT / part
            if source.is_dir():
                shutil.copytree(source, tool / part, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(source, tool / part)
        for path in [tool, *tool.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    return tool


def run_tool(
    tool: Path,
    *args: str | Path,
    cwd: Path,
    preexec_fn: Callable[[], None] | None,
    python: str | None,
) -> subprocess.CompletedProcess[str]:
    """``python main.py ARGS`` from ``tool``, as the unprivileged user."""
    env = {**child_env(), "PYTHONPATH": str(tool)}
    return subprocess.run(
        [python or sys.executable, str(tool / "main.py"), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=preexec_fn,
        check=False,
    )


def make_read_only(file: Path, folder_too: bool) -> None:
    """As a user: chmod. As root: the child runs as nobody, who owns only what it may write."""
    folder = file.parent
    if os.geteuid() == 0:
        if not folder_too:
            os.chown(folder, NOBODY, NOBODY)  # nobody may write the folder, not the file
        else:
            os.chown(file, NOBODY, NOBODY)  # nobody may write the file, not the folder
        return
    file.chmod(0o444)
    if folder_too:
        file.chmod(0o644)
        folder.chmod(0o555)


@pytest.mark.slow
@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_file_or_folder_is_refused_and_left_unchanged(
    shared_dir: Path, what: str, unprivileged: tuple[str | None, Callable[[], None] | None]
):
    python, preexec_fn = unprivileged
    tool = tool_for(shared_dir, preexec_fn)
    place = shared_dir / "place"
    place.mkdir(mode=0o755)
    db = build(place / "society.db", Shape.MERGED_BY_HAND, residents=30, ledger_rows=200)
    db.chmod(0o644)
    make_read_only(db, folder_too=what == "folder")
    before = folder_state(place)

    status = run_tool(tool, "status", db, cwd=shared_dir, preexec_fn=preexec_fn, python=python)
    upgrade = run_tool(tool, "upgrade", db, cwd=shared_dir, preexec_fn=preexec_fn, python=python)

    assert status.returncode == 0 and "read-only" in status.stdout, status.stderr[-300:]
    message = assert_clean_refusal(upgrade)
    assert "can't be written" in message and "not changed" in message
    assert folder_state(place) == before, "the read-only file or folder was changed"
    assert user_version(db) == 0


# --- Security ------------------------------------------------------------------

EVIL = """
from pathlib import Path

Path({marker!r}).write_text("imported")


def upgrade(conn):
    conn.execute("DROP TABLE residents")
"""


@pytest.mark.slow
def test_migrations_beside_the_database_are_never_imported(tmp_path: Path):
    place = tmp_path / "society files"
    place.mkdir()
    db = build(place / "society.db", Shape.MERGED_BY_HAND, residents=30, ledger_rows=200)
    marker = tmp_path / "EVIL-WAS-IMPORTED"
    evil = EVIL.format(marker=str(marker))
    (place / "001_evil.py").write_text(evil)
    (place / "005_evil.py").write_text(evil)
    (place / "migrations").mkdir()
    (place / "migrations" / "__init__.py").write_text(evil)
    (place / "migrations" / "005_evil.py").write_text(evil)
    (place / "core").mkdir()  # a look-alike engine package, too
    (place / "core" / "__init__.py").write_text(evil)

    commands = [run_cli("status", db, cwd=place), run_cli("upgrade", db, cwd=place)]
    script = Path(sys.executable).parent / "society-migrate"
    if script.exists():  # the installed command, run from the database's folder
        db2 = shutil.copy(db, place / "second.db")
        commands.append(
            subprocess.run(
                [str(script), "upgrade", str(db2)],
                cwd=place,
                env=child_env(),
                capture_output=True,
                text=True,
                check=False,
            )
        )

    for result in commands:
        assert result.returncode == 0, result.stderr[-300:]
        assert "Traceback" not in result.stdout + result.stderr
    assert not marker.exists(), "a file beside the database was imported"
    assert user_version(db) == SHIPPED_COUNT
    assert "residents" in snapshot.columns_of(db)


WEIRD_TABLE = 'weird "name"; DROP TABLE residents; --'
WEIRD_COLUMN = "col 'x\"; DROP TABLE ledger; --"
WEIRD_INDEX = 'idx "; DELETE FROM users; --'


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@pytest.mark.slow
def test_hostile_table_and_column_names_survive_status_backup_and_upgrade(tmp_path: Path):
    db = build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=30, ledger_rows=200)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            f"CREATE TABLE {q(WEIRD_TABLE)} (id INTEGER PRIMARY KEY, {q(WEIRD_COLUMN)} TEXT, "
            "flat_no TEXT REFERENCES residents (flat_no))"
        )
        conn.execute(f"CREATE INDEX {q(WEIRD_INDEX)} ON {q(WEIRD_TABLE)} ({q(WEIRD_COLUMN)})")
        conn.executemany(
            f"INSERT INTO {q(WEIRD_TABLE)} ({q(WEIRD_COLUMN)}, flat_no) VALUES (?, ?)",
            [("'); DROP TABLE users; --", "101"), ("plain", "999")],  # 999: an old orphan
        )
    conn.close()
    weird_before = _weird_rows(db)
    counts_before = _counts(db)

    status = run_cli("status", db)
    backup = run_cli("backup", db, "--out", tmp_path / "copy.db")
    upgrade = run_cli("upgrade", db)

    for result in (status, backup, upgrade):
        assert result.returncode == 0, result.stderr[-300:]
        assert "Traceback" not in result.stdout + result.stderr
    for path in (db, tmp_path / "copy.db"):
        assert integrity(path) == "ok"
        assert _weird_rows(path) == weird_before
        assert {t: n for t, n in _counts(path).items() if t in counts_before} == counts_before
    assert user_version(db) == SHIPPED_COUNT


def _weird_rows(path: Path) -> list[tuple]:
    conn = snapshot.connect_ro(path)
    try:
        names = [r[1] for r in conn.execute(f"PRAGMA table_info({q(WEIRD_TABLE)})")]
        assert WEIRD_COLUMN in names
        indexes = [r[1] for r in conn.execute(f"PRAGMA index_list({q(WEIRD_TABLE)})")]
        assert WEIRD_INDEX in indexes
        return conn.execute(f"SELECT * FROM {q(WEIRD_TABLE)} ORDER BY id").fetchall()
    finally:
        conn.close()


def _counts(path: Path) -> dict[str, int]:
    conn = snapshot.connect_ro(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type='table'")]
        return {t: conn.execute(f"SELECT count(*) FROM {q(t)}").fetchone()[0] for t in tables}
    finally:
        conn.close()


MID_WRITE = r"""
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 5")  # spill: changed pages reach the file before COMMIT
conn.execute("BEGIN")
conn.execute("UPDATE ledger SET description = 'half-written ' || id")
print("mid-write", flush=True)
time.sleep(600)
"""


@pytest.mark.slow
def test_a_hot_journal_the_reader_may_not_roll_back_is_not_called_damage(
    shared_dir: Path, unprivileged: tuple[str | None, Callable[[], None] | None]
):
    python, preexec_fn = unprivileged
    if not os.access(ROOT / "main.py", os.R_OK) or (ROOT.stat().st_mode & 0o005) != 0o005:
        pytest.skip("the tool's folder can't be read by an unprivileged user here")
    place = shared_dir / "place"
    place.mkdir(mode=0o755)
    db = build(place / "society.db", Shape.MERGED_BY_HAND, residents=30, ledger_rows=3000)
    db.chmod(0o644)
    committed = snapshot.content(db)
    writer = subprocess.Popen(
        [sys.executable, "-c", MID_WRITE, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "mid-write"
    writer.kill()  # killed in the middle of its transaction: a hot journal is left
    writer.communicate(timeout=30)
    journal = db.with_name(db.name + "-journal")
    assert journal.is_file() and journal.read_bytes()[:4] != b"\x00\x00\x00\x00"
    make_read_only(db, folder_too=True)
    before = folder_state(place)

    status = run_cli("status", db, cwd=shared_dir, preexec_fn=preexec_fn, python=python)
    upgrade = run_cli("upgrade", db, cwd=shared_dir, preexec_fn=preexec_fn, python=python)

    for result in (status, upgrade):
        message = assert_clean_refusal(result)
        assert "not damaged" in message and "damaged and can't be read" not in message
        assert "Restore it from a backup" not in message
    assert folder_state(place) == before, "the reader changed the file or its journal"
    if os.geteuid() != 0:
        place.chmod(0o755)
    # Someone who may write opens it: the journal rolls back and the file is as committed.
    assert integrity(db) == "ok"
    snapshot.assert_same_content(committed, snapshot.content(db))
