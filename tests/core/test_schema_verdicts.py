"""A file that differs from what its version owns is never called up to date.

Status, the end of every upgrade and the ``check`` verb look at the file's
schema, not only at its version number; every test here looks at the file.
"""

from __future__ import annotations

import json

from helpers.migration_files import SHIPPED_COUNT, copy_shipped, shipped_file
from helpers.schema_files import run_sql, text_debit_file, upgraded
from helpers.snapshot import version

import cli
from core import api
from core.schemadiff import Kind
from core.status import UPGRADABLE, State
from samples.legacy import Shape, build

LATEST = SHIPPED_COUNT


def cli_run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_file_missing_an_index_its_version_owns_is_not_up_to_date(tmp_path, capsys):
    db = upgraded(tmp_path / "society.db")
    run_sql(db, "DROP INDEX idx_ledger_date")
    found = api.status(db)
    assert found.state is State.DIFFERS and found.current_version == LATEST
    assert found.summary == f"Differs from version {LATEST}: index idx_ledger_date is missing."
    code, out, _ = cli_run(capsys, "status", db, "--json")
    assert code == 0 and json.loads(out)["state"] == "differs"


def test_what_no_migration_made_keeps_a_file_up_to_date_and_is_listed(tmp_path):
    db = upgraded(tmp_path / "society.db")
    run_sql(db, "ALTER TABLE residents ADD COLUMN wing TEXT", "CREATE TABLE notes (x TEXT)")
    found = api.status(db)
    assert found.state is State.UP_TO_DATE
    assert found.schema is not None
    extras = {(d.kind, d.table, d.object) for d in found.schema.comparison.extras}
    assert {(Kind.EXTRA_COLUMN, "residents", "wing"), (Kind.EXTRA_TABLE, "notes", "")} <= extras


def test_a_file_behind_that_differs_says_what_differs_and_what_is_pending(tmp_path):
    db = upgraded(tmp_path / "society.db", target=2)
    run_sql(db, "ALTER TABLE residents DROP COLUMN scooter_numbers")
    found = api.status(db)
    assert found.state is State.DIFFERS and found.current_version == 2
    assert "residents has no column `scooter_numbers`" in found.summary
    pending = LATEST - 2
    assert found.summary.endswith(f"{pending} migration{'s' if pending != 1 else ''} pending.")
    assert found.state in UPGRADABLE


def test_an_upgrade_whose_migrations_cannot_fix_the_file_says_so_and_exits_3(tmp_path, capsys):
    db = text_debit_file(tmp_path / "society.db")
    code, out, err = cli_run(capsys, "upgrade", db, "--no-backup")
    assert code == 3
    assert version(db) == LATEST  # the migrations did commit: that much is true
    assert f"ledger.debit is TEXT where version {LATEST} has REAL" in out
    assert "up to date" not in out.lower()
    assert "does not have everything" in err
    assert api.status(db).state is State.DIFFERS


def test_the_library_result_names_what_differs(tmp_path):
    result = api.upgrade(text_debit_file(tmp_path / "society.db"), backup=False)
    assert not result.schema_matches
    assert [(d.kind, d.table, d.object) for d in result.differences] == [
        (Kind.COLUMN_TYPE, "ledger", "debit")
    ]


def test_nothing_pending_but_different_is_said_and_exits_3_without_touching_the_file(
    tmp_path, capsys
):
    db = upgraded(tmp_path / "society.db")
    run_sql(db, "DROP INDEX idx_ledger_type")
    before = db.read_bytes()
    code, out, _ = cli_run(capsys, "upgrade", db, "--no-backup")
    assert code == 3 and "index idx_ledger_type is missing" in out
    assert db.read_bytes() == before


def test_a_clean_upgrade_exits_0_and_says_up_to_date(tmp_path, capsys):
    db = build(tmp_path / "society.db", Shape.VEHICLES, residents=5, ledger_rows=10)
    code, out, _ = cli_run(capsys, "upgrade", db, "--no-backup")
    assert code == 0 and "differs" not in out
    assert api.status(db).state is State.UP_TO_DATE


def test_check_lists_every_difference_and_exits_1(tmp_path, capsys):
    db = upgraded(tmp_path / "society.db")
    run_sql(
        db,
        "DROP INDEX idx_ledger_date",
        "ALTER TABLE residents ADD COLUMN wing TEXT",
        "ALTER TABLE users DROP COLUMN locked_until",
    )
    code, out, _ = cli_run(capsys, "check", db)
    assert code == 1
    assert "2 differences:" in out
    assert "- index idx_ledger_date is missing" in out
    assert "- users has no column `locked_until`" in out
    assert "- residents has an extra column `wing` that no migration made" in out


def test_check_of_a_clean_file_exits_0_and_still_lists_extras(tmp_path, capsys):
    db = upgraded(tmp_path / "society.db")
    run_sql(db, "ALTER TABLE residents ADD COLUMN wing TEXT")
    code, out, _ = cli_run(capsys, "check", db)
    assert code == 0
    assert "nothing the migrations make is missing or different" in out
    assert "residents has an extra column `wing`" in out


def test_check_as_json(tmp_path, capsys):
    db = upgraded(tmp_path / "society.db")
    run_sql(db, "DROP INDEX idx_ledger_flat")
    code, out, _ = cli_run(capsys, "check", db, "--json")
    data = json.loads(out)
    assert code == 1 and data["outcome"] == "differs"
    assert data["compared_with_version"] == LATEST
    assert [(d["kind"], d["object"]) for d in data["differences"]] == [
        ("missing_index", "idx_ledger_flat")
    ]
    assert data["differences"][0]["text"] == "index idx_ledger_flat is missing"


def test_check_names_applied_migrations_whose_files_changed(tmp_path, capsys):
    folder = copy_shipped(tmp_path / "migrations")
    db = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=5, ledger_rows=10)
    api.upgrade(db, migrations_dir=folder, backup=False)
    path = shipped_file(folder, 3)
    path.write_text(path.read_text() + "\n# edited after release\n")
    code, out, _ = cli_run(capsys, "check", db, "--migrations", folder)
    assert code == 0
    assert "Migrations whose files changed since they were applied" in out and "- 003 " in out


def test_check_of_a_file_that_cannot_be_used_exits_2(tmp_path, capsys):
    text = tmp_path / "notes.db"
    text.write_text("not a database")
    code, _, err = cli_run(capsys, "check", text)
    assert code == 2 and "not a database" in err
    code, _, _ = cli_run(capsys, "check", tmp_path / "missing.db")
    assert code == 2


def test_a_rehearsal_says_the_copy_would_still_differ_and_exits_3(tmp_path, capsys):
    db = text_debit_file(tmp_path / "society.db")
    before = db.read_bytes()
    code, out, _ = cli_run(capsys, "upgrade", db, "--dry-run")
    assert code == 3
    assert "would succeed" not in out and "ledger.debit is TEXT" in out
    assert db.read_bytes() == before
