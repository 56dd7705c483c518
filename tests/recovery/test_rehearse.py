"""Rehearsal on a copy: reports what would happen; the real file is untouched."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from helpers.migration_files import ENGINE_BASE, SHIPPED_COUNT, copy_shipped
from helpers.snapshot import assert_same_content, content

from core import api


def _rehearsal_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("society-rehearsal-*")}


@pytest.fixture
def migrations_dir(tmp_path: Path) -> Path:
    """The first four shipped migrations: these tests plant their own 005."""
    return copy_shipped(tmp_path / "migrations", upto=ENGINE_BASE)


def test_rehearsal_reports_each_step_and_touches_nothing(legacy_db: Path) -> None:
    before_bytes, before_mtime = legacy_db.read_bytes(), legacy_db.stat().st_mtime_ns
    folders_before = _rehearsal_folders()

    rehearsal = api.rehearse(legacy_db)

    assert rehearsal.succeeded
    assert [s.version for s in rehearsal.steps] == list(range(1, SHIPPED_COUNT + 1))
    assert (rehearsal.from_version, rehearsal.to_version) == (0, SHIPPED_COUNT)
    assert {"car_numbers", "scooter_numbers"} <= set(rehearsal.schema["residents"])
    assert "sessions" in rehearsal.schema
    assert "The real file was not touched" in rehearsal.text
    assert legacy_db.read_bytes() == before_bytes
    assert legacy_db.stat().st_mtime_ns == before_mtime
    assert not (legacy_db.parent / "backups").exists()
    assert sorted(p.name for p in legacy_db.parent.iterdir()) == ["society.db"]
    assert _rehearsal_folders() == folders_before


def test_a_failing_rehearsal_names_the_migration_and_leaves_the_file(
    legacy_db: Path, migrations_dir: Path
) -> None:
    (migrations_dir / "005_boom.py").write_text(
        '"""Split the ledger by year"""\n\n'
        "def upgrade(conn):\n"
        "    conn.execute('CREATE TABLE ledger_2024 (id INTEGER)')\n"
        "    raise RuntimeError('the ledger has a row from the future')\n",
    )
    before = content(legacy_db)

    rehearsal = api.rehearse(legacy_db, migrations_dir=migrations_dir)

    assert not rehearsal.succeeded
    assert rehearsal.error is not None
    assert "005" in rehearsal.error and "still at version 4" in rehearsal.error
    assert [s.version for s in rehearsal.steps] == [1, 2, 3, 4]
    assert "ledger_2024" not in rehearsal.schema
    assert_same_content(before, content(legacy_db))


def test_rehearsing_an_up_to_date_file_has_nothing_to_do(legacy_db: Path) -> None:
    api.upgrade(legacy_db, backup=False)

    rehearsal = api.rehearse(legacy_db)

    assert rehearsal.succeeded and rehearsal.steps == ()
    assert "nothing to do" in rehearsal.text
