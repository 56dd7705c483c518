"""Files numbered 1..9 by the app's own manager: their place among our versions is found by schema.

The number they carry is the other manager's; only the schema says which of
our migrations they have.
"""

from __future__ import annotations

import sqlite3

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT

import cli
from core import api
from core.adopt import Adoption, numbered_elsewhere, place_by_schema, read_adoption, record_adoption
from core.check import Outcome
from core.connection import open_readonly
from core.discovery import load_catalog
from core.schemashape import read_schema
from core.status import State
from core.version import read_history, read_version
from samples.legacy import Shape, build, build_numbered_by_app_manager


def place(path) -> int:
    conn = open_readonly(path)
    try:
        return place_by_schema(read_schema(conn), load_catalog())
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("number", "lowest", "highest"),
    [
        (1, 1, 1),  # its initial schema is our 001; no vehicle columns (our 002)
        (2, 1, 1),  # its 002 made sessions, but our 002 (vehicles) is still missing
        (3, 2, 2),  # vehicles, but no lockout columns (our 003)
        (4, 4, 99),  # lockout too: our 001-004 all there
        (9, 4, 99),
    ],
)
def test_the_place_is_the_highest_version_whose_schema_the_file_contains(
    tmp_path, number, lowest, highest
):
    db = build_numbered_by_app_manager(tmp_path / "society.db", number, residents=5, ledger_rows=10)
    assert lowest <= place(db) <= highest


def test_only_a_positive_number_without_our_history_is_someone_elses():
    assert numbered_elsewhere(9, {})
    assert not numbered_elsewhere(0, {})
    assert not numbered_elsewhere(-3, {})
    assert not numbered_elsewhere(9, {1: object()})


def test_recording_an_adoption_makes_the_file_ours_at_that_version(tmp_path):
    db = build_numbered_by_app_manager(tmp_path / "society.db", 3, residents=5, ledger_rows=10)
    catalog = load_catalog()
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        record_adoption(conn, catalog, Adoption(2, 3))
        conn.execute("COMMIT")
        assert read_version(conn) == 2
        history = read_history(conn)
        assert sorted(history) == [1, 2]
        assert history[1].checksum == catalog.get(1).checksum
        assert history[1].duration_ms is None  # found done, not run
        adoption = read_adoption(conn)
        assert adoption is not None and (adoption.adopted_version, adoption.carried_version) == (
            2,
            3,
        )
        assert adoption.adopted_at
    finally:
        conn.close()


NUMBERS = list(range(1, 10))


@pytest.mark.parametrize("number", NUMBERS)
def test_status_names_the_other_number_and_the_place_never_newer(tmp_path, number):
    db = build_numbered_by_app_manager(tmp_path / "society.db", number, residents=5, ledger_rows=10)
    found = api.status(db)
    where = place(db)
    assert found.state is State.NUMBERED_ELSEWHERE and found.state is not State.TOO_NEW
    assert found.current_version == where
    pending = found.latest_version - where
    assert found.summary.startswith(
        f"Numbered {number} by another tool; its schema matches version {where} of this one: "
    )
    if pending:
        assert f"{pending} migration{'s' if pending != 1 else ''} pending" in found.summary
    assert [m.status for m in found.migrations].count("pending") == pending


@pytest.mark.parametrize("number", NUMBERS)
def test_an_adopted_file_runs_every_migration_it_lacks_and_is_clean_after(tmp_path, number):
    db = build_numbered_by_app_manager(tmp_path / "society.db", number, residents=8, ledger_rows=40)
    before_columns = snapshot.columns_of(db)
    before_rows = snapshot.all_rows(db)
    where = place(db)

    result = api.upgrade(db, backup=False)

    assert result.adopted is not None
    assert (result.adopted.adopted_version, result.adopted.carried_version) == (where, number)
    assert [s.version for s in result.applied] == list(range(where + 1, SHIPPED_COUNT + 1))
    assert result.differences == () and snapshot.version(db) == SHIPPED_COUNT
    report = api.check(db)
    assert report.outcome is Outcome.CLEAN, report.verdict
    after = {t: snapshot.rows(db, t, cols) for t, cols in before_columns.items()}
    snapshot.assert_same_rows(before_rows, after)
    conn = open_readonly(db)
    try:
        assert sorted(read_history(conn)) == list(range(1, SHIPPED_COUNT + 1))
        adoption = read_adoption(conn)
        assert adoption is not None and adoption.carried_version == number
    finally:
        conn.close()
    assert api.status(db).state is State.UP_TO_DATE


def test_a_file_numbered_2_gets_our_migrations_2_and_3_it_never_had(tmp_path):
    """Its 002 made sessions; our 002 (vehicle numbers) and 003 (lockout) still run."""
    db = build_numbered_by_app_manager(tmp_path / "society.db", 2, residents=5, ledger_rows=10)
    api.upgrade(db, backup=False)
    assert {"car_numbers", "scooter_numbers"} <= set(snapshot.columns_of(db)["residents"])
    assert {"failed_login_attempts", "locked_until"} <= set(snapshot.columns_of(db)["users"])


def test_adoption_comes_after_the_backup_and_the_backup_is_the_file_as_it_was(tmp_path):
    db = build_numbered_by_app_manager(tmp_path / "society.db", 9, residents=5, ledger_rows=10)
    before = snapshot.content(db)
    result = api.upgrade(db)
    assert result.backup is not None
    snapshot.assert_same_content(before, snapshot.content(result.backup))


def test_a_file_with_our_history_and_a_number_above_the_latest_is_still_newer(tmp_path):
    db = build(tmp_path / "society.db", Shape.LATEST_CODE, residents=5, ledger_rows=10)
    api.upgrade(db, backup=False)
    conn = sqlite3.connect(db)
    try:
        conn.execute(f"PRAGMA user_version = {SHIPPED_COUNT + 5}")
        conn.commit()
    finally:
        conn.close()
    assert api.status(db).state is State.TOO_NEW


def test_the_window_and_cli_see_the_other_number_in_words(tmp_path, capsys):
    db = build_numbered_by_app_manager(tmp_path / "society.db", 9, residents=5, ledger_rows=10)
    assert cli.main(["status", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Numbered 9 by another tool" in out and "newer" not in out
