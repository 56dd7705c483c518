"""Two upgrades of one file at once: each migration is applied once; the one that waits says so."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest
from helpers.migration_files import ENGINE_BASE, copy_shipped
from helpers.snapshot import connect_ro

from .support import WAITING, child_env, cli_command, integrity, user_version

# Appended to every migration: do the real work, note it in a side table, hold the lock a while.
NOTE_AND_LINGER = """

import os as _os
import time as _time

_real_upgrade = upgrade


def upgrade(conn):
    _real_upgrade(conn)
    conn.execute("CREATE TABLE IF NOT EXISTS applied_log (version INTEGER, pid INTEGER)")
    conn.execute("INSERT INTO applied_log VALUES (?, ?)", (VERSION, _os.getpid()))
    _time.sleep(0.3)
"""


def noting_migrations(folder: Path) -> Path:
    copy_shipped(folder, upto=ENGINE_BASE)
    (folder / "005_add_ledger_note.py").write_text(
        '"""Add a note column to the ledger"""\n\n\ndef upgrade(conn):\n'
        '    conn.execute("ALTER TABLE ledger ADD COLUMN note TEXT")\n'
    )
    (folder / "006_mark_old_rows.py").write_text(
        '"""Mark ledger rows before 2021"""\n\n\ndef upgrade(conn):\n'
        "    conn.execute(\"UPDATE ledger SET note = 'old' WHERE date < '2021'\")\n"
    )
    for path in sorted(folder.glob("[0-9][0-9][0-9]_*.py")):
        code = NOTE_AND_LINGER.replace("VERSION", str(int(path.name[:3])))
        path.write_text(path.read_text() + textwrap.dedent(code))
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("backup", [True, False], ids=["with-backup", "no-backup"])
def test_two_upgrades_at_once_apply_every_migration_once(legacy_copy, tmp_path, backup):
    folder = noting_migrations(tmp_path / "migrations")
    args = ["upgrade", legacy_copy, "--migrations", folder] + ([] if backup else ["--no-backup"])
    children = [
        subprocess.Popen(
            cli_command(*args),
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=120) for child in children]

    for child, (out, err) in zip(children, outputs, strict=True):
        assert "Traceback" not in out + err
        assert child.returncode == 0, f"an upgrade failed: {err.strip()[-300:]}"
    assert user_version(legacy_copy) == 6
    assert integrity(legacy_copy) == "ok"
    conn = connect_ro(legacy_copy)
    try:
        applied = sorted(v for (v,) in conn.execute("SELECT version FROM applied_log"))
        history = sorted(v for (v,) in conn.execute("SELECT version FROM migration_history"))
        pids = {p for (p,) in conn.execute("SELECT DISTINCT pid FROM applied_log")}
    finally:
        conn.close()
    assert applied == [1, 2, 3, 4, 5, 6], "a migration ran twice or not at all"
    assert history == [1, 2, 3, 4, 5, 6]
    assert pids <= {c.pid for c in children}

    waited = [out for out, _ in outputs if WAITING in out]
    assert waited, "neither upgrade said that it was waiting for the other"
    for out in waited:  # and the one that waited then found the work done, or did the rest
        assert "Upgrade finished" in out or "up to date" in out
