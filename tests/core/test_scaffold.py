"""`new` writes the next migration, which runs as it is (a no-op) until filled in."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT

import cli
from core import api
from core.discovery import load_catalog

ROOT = snapshot.Path(__file__).resolve().parents[2]


def test_new_writes_the_next_numbered_file_that_runs_as_a_no_op(migrations_dir, legacy_db, capsys):
    assert (
        cli.main(["new", "Add index on residents' status!", "--migrations", str(migrations_dir)])
        == 0
    )
    made = migrations_dir / f"{SHIPPED_COUNT + 1:03d}_add_index_on_residents_status.py"
    assert str(made) in capsys.readouterr().out
    catalog = load_catalog(migrations_dir)
    assert catalog.latest == SHIPPED_COUNT + 1
    assert catalog.get(SHIPPED_COUNT + 1).description == "Add index on residents' status!"
    api.upgrade(legacy_db, migrations_dir=migrations_dir, target=SHIPPED_COUNT, backup=False)
    before = snapshot.content(legacy_db)
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    assert snapshot.version(legacy_db) == SHIPPED_COUNT + 1
    assert snapshot.all_rows(legacy_db).keys() == before.rows.keys()
    assert [e for e in snapshot.schema_sql(legacy_db) if e[1] != "migration_history"] == [
        e for e in before.schema if e[1] != "migration_history"
    ]


def test_main_py_new_from_the_command_line(migrations_dir):
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "new",
            "add vehicle colour",
            "--migrations",
            str(migrations_dir),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (migrations_dir / f"{SHIPPED_COUNT + 1:03d}_add_vehicle_colour.py").exists()


@pytest.mark.parametrize("words", ["", "  ", "!!!"])
def test_new_needs_a_description(migrations_dir, words, capsys):
    assert cli.main(["new", words, "--migrations", str(migrations_dir)]) == 2
    assert "Describe the migration" in capsys.readouterr().err
    assert len(list(migrations_dir.glob("*.py"))) == SHIPPED_COUNT


def test_new_refuses_a_malformed_folder_and_writes_nothing(migrations_dir, capsys):
    (migrations_dir / f"{SHIPPED_COUNT + 3:03d}_gap.py").write_text(
        '"""Gap"""\ndef upgrade(c): pass\n'
    )
    assert cli.main(["new", "something", "--migrations", str(migrations_dir)]) == 2
    assert "not usable" in capsys.readouterr().err
    assert len(list(migrations_dir.glob("*.py"))) == SHIPPED_COUNT + 1
