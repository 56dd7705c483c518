"""No room for the backup: nothing is migrated and the reason is said."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.snapshot import assert_same_content, content

from core import api
from core.errors import BackupFailed, MigrationError
from samples.legacy import Shape, build
from tests.safety.support import assert_clean_refusal, child_env, cli_command, run_cli


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KiB filesystem (tmpfs), where the machine lets root mount one."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"this machine can't mount a tmpfs: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_too_little_space_for_the_backup_stops_before_any_change(
    tmp_path: Path, tiny_disk: Path
) -> None:
    db = build(tmp_path / "society.db", Shape.VEHICLES, residents=200, ledger_rows=3000)
    assert db.stat().st_size > 256 * 1024
    before = content(db)
    before_bytes = db.read_bytes()

    with pytest.raises(BackupFailed) as caught:
        api.upgrade(db, backup_to=tiny_disk / "society_backup.db")

    message = str(caught.value)
    assert "not enough free space" in message
    assert "Nothing was migrated" in message
    assert db.read_bytes() == before_bytes
    assert_same_content(before, content(db))
    assert list(tiny_disk.iterdir()) == []  # no partial copy left behind


def test_no_room_in_the_temporary_folder_for_a_rehearsal_is_a_plain_refusal(
    tmp_path: Path, tiny_disk: Path
) -> None:
    db = build(tmp_path / "society.db", Shape.VEHICLES, residents=200, ledger_rows=3000)
    before = db.read_bytes()
    env = {**child_env(), "TMPDIR": str(tiny_disk)}

    result = subprocess.run(
        cli_command("upgrade", db, "--dry-run"), env=env, capture_output=True, text=True, timeout=60
    )

    message = assert_clean_refusal(result)
    assert "temporary folder" in message and str(tiny_disk) in message
    assert "The real file was not touched" in message
    assert db.read_bytes() == before
    assert list(tiny_disk.iterdir()) == []  # no half copy left in the small folder


def test_a_very_long_file_name_upgrades_rehearses_and_restores(tmp_path: Path) -> None:
    db = build(tmp_path / ("s" * 236 + ".db"), Shape.VEHICLES, residents=5, ledger_rows=20)

    for args in (("upgrade", db, "--dry-run"), ("upgrade", db), ("backups", db)):
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr[-300:]
        assert "Traceback" not in result.stdout + result.stderr
    (backup,) = api.list_backups(db)
    restored = run_cli("restore", backup.path, db)
    assert restored.returncode == 0, restored.stderr[-300:]
    assert api.status(db).current_version == 0


def test_ensure_current_where_no_file_can_be_made_raises_the_engines_error(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")

    with pytest.raises(MigrationError) as caught:  # what the Society app catches
        api.ensure_current(blocker / "data" / "society.db")

    assert "can't be created" in str(caught.value)
    assert blocker.read_text() == "a file where the folder should be"
