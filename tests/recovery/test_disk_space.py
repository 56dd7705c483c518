"""No room for the backup: nothing is migrated and the reason is said."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.snapshot import assert_same_content, content

from core import api
from core.errors import BackupFailed
from samples.legacy import Shape, build


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
