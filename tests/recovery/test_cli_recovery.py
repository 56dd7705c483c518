"""The backup, backups, restore and --dry-run verbs from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers.migration_files import ROOT, SHIPPED_COUNT
from helpers.snapshot import assert_same_content, content, version


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_backup_then_upgrade_then_restore_round_trip(legacy_db: Path, tmp_path: Path) -> None:
    original = content(legacy_db)
    made = run("backup", str(legacy_db), "--out", str(tmp_path / "before.db"))
    assert made.returncode == 0, made.stderr
    assert f"Backup: {tmp_path / 'before.db'}" in made.stdout

    assert run("upgrade", str(legacy_db), "--no-backup").returncode == 0
    assert version(legacy_db) == SHIPPED_COUNT

    restored = run("restore", str(tmp_path / "before.db"), str(legacy_db))
    assert restored.returncode == 0, restored.stderr
    assert "kept at" in restored.stdout
    assert_same_content(original, content(legacy_db))

    listed = run("backups", str(legacy_db))
    assert listed.returncode == 0
    assert f"version {SHIPPED_COUNT}" in listed.stdout  # the replaced file, kept aside


def test_restoring_garbage_exits_2_with_one_plain_message(legacy_db: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_text("not a database\n")
    before = legacy_db.read_bytes()

    result = run("restore", str(garbage), str(legacy_db))

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "not changed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert legacy_db.read_bytes() == before


def test_dry_run_reports_and_leaves_the_file(legacy_db: Path) -> None:
    before = legacy_db.read_bytes()

    result = run("upgrade", str(legacy_db), "--dry-run")

    assert result.returncode == 0, result.stderr
    assert f"all {SHIPPED_COUNT} migrations would succeed" in result.stdout
    assert "residents (21 columns)" in result.stdout
    assert legacy_db.read_bytes() == before
    assert not (legacy_db.parent / "backups").exists()


def test_upgrade_prints_where_the_backup_is(legacy_db: Path) -> None:
    result = run("upgrade", str(legacy_db))

    assert result.returncode == 0, result.stderr
    backups = list((legacy_db.parent / "backups").glob("society_v0_*.db"))
    assert len(backups) == 1
    assert f"Backup: {backups[0]}" in result.stdout


def test_backup_that_cannot_be_written_stops_the_upgrade(legacy_db: Path) -> None:
    (legacy_db.parent / "backups").write_text("a file where the backups folder should be")
    before = legacy_db.read_bytes()

    result = run("upgrade", str(legacy_db))

    assert result.returncode == 2
    assert "safety copy could not be made" in result.stderr
    assert "Nothing was migrated" in result.stderr
    assert legacy_db.read_bytes() == before
