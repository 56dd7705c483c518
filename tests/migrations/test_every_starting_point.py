"""The shipped migrations bring every file shape found in the field to one schema.

Each starting point (an empty file, the first release, every branch, files
merged by hand, the latest schema the app wrote) must upgrade without error,
keep every row of every table it had, leave the app's own tables exactly as
they were, and end with the same logical schema as every other shape.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT

from core import api
from core.status import State
from core.version import HISTORY_TABLE
from samples.legacy import APP_MODEL_TABLES, Shape, build

LEGACY_SHAPES = [s for s in Shape if s is not Shape.EMPTY_FILE]
# The prototype keeps a column no migration knows (reference_no) and its ledger
# columns are renamed: test_prototype_repair.py checks it row for row.
RELEASED_SHAPES = [s for s in Shape if s is not Shape.PROTOTYPE]
RELEASED_LEGACY_SHAPES = [s for s in LEGACY_SHAPES if s is not Shape.PROTOTYPE]


@pytest.fixture(scope="module")
def new_society_schema(tmp_path_factory) -> snapshot.LogicalSchema:
    """The schema an empty file gets: the reference every other shape must match."""
    db = build(tmp_path_factory.mktemp("reference") / "new.db", Shape.EMPTY_FILE)
    api.upgrade(db, backup=False)
    return snapshot.logical_schema(db)


def society_schema(db: Path) -> snapshot.LogicalSchema:
    return snapshot.logical_schema(db).without(APP_MODEL_TABLES)


@pytest.mark.parametrize("shape", RELEASED_SHAPES, ids=str)
def test_every_shape_upgrades_to_the_same_schema_as_a_new_file(tmp_path, shape, new_society_schema):
    db = build(tmp_path / "society.db", shape, residents=30, ledger_rows=200)
    result = api.upgrade(db, backup=False)
    assert (result.from_version, result.to_version) == (0, SHIPPED_COUNT)
    assert [s.version for s in result.applied] == list(range(1, SHIPPED_COUNT + 1))
    assert snapshot.version(db) == SHIPPED_COUNT
    assert society_schema(db).differences(new_society_schema) == []


def test_the_common_schema_is_the_latest_app_schema_plus_the_newest_apps(
    tmp_path, new_society_schema
):
    """Not just the same everywhere: the schema the app last wrote in code, unchanged,
    plus what the newest app added (005-010) and the history."""
    latest = society_schema(build(tmp_path / "latest.db", Shape.LATEST_CODE))
    got = new_society_schema.without([HISTORY_TABLE])
    assert HISTORY_TABLE in new_society_schema.tables
    for table, columns in latest.tables.items():
        assert columns <= got.tables[table], table
    added = {
        t: sorted(c[0] for c in got.tables[t] - latest.tables.get(t, set())) for t in got.tables
    }
    assert {t: c for t, c in added.items() if c and t in latest.tables} == {
        "residents": [
            "expected_occupancy_date",
            "last_maintenance_date",
            "maintenance_person_name",
            "maintenance_person_phone",
            "profile_photo_path",
            "vacancy_reason",
        ],
        "users": ["totp_enabled", "totp_secret"],
    }
    assert set(got.tables) - set(latest.tables) == {
        "audit_log",
        "vehicles",
        "domestic_help",
        "matching_rules",
    }
    assert latest.indexes <= got.indexes and latest.foreign_keys <= got.foreign_keys


@pytest.mark.parametrize("shape", RELEASED_LEGACY_SHAPES, ids=str)
def test_upgrade_keeps_every_row_of_every_table_it_found(tmp_path, shape):
    db = build(tmp_path / "society.db", shape, residents=30, ledger_rows=200)
    before_columns = snapshot.columns_of(db)
    before_rows = snapshot.all_rows(db)
    assert sum(map(len, before_rows.values())) > 200  # the check has something to check

    api.upgrade(db, backup=False)

    after = {t: snapshot.rows(db, t, cols) for t, cols in before_columns.items()}
    snapshot.assert_same_rows(before_rows, after)


@pytest.mark.parametrize("shape", LEGACY_SHAPES, ids=str)
def test_upgrade_leaves_the_apps_own_tables_exactly_as_they_were(tmp_path, shape):
    db = build(tmp_path / "society.db", shape, residents=10, ledger_rows=50)
    app_tables = list(APP_MODEL_TABLES)
    sql_before = snapshot.schema_sql(db, app_tables)
    rows_before = {t: snapshot.rows(db, t) for t in app_tables}
    assert len(sql_before) >= len(app_tables) and all(rows_before.values())

    api.upgrade(db, backup=False)

    assert snapshot.schema_sql(db, app_tables) == sql_before
    snapshot.assert_same_rows(rows_before, {t: snapshot.rows(db, t) for t in app_tables})


def test_columns_a_file_lacked_get_their_defaults_on_existing_rows(tmp_path):
    db = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=10, ledger_rows=50)
    api.upgrade(db, backup=False)
    assert set(snapshot.rows(db, "ledger", ["reconciliation_status"])) == {("Unreconciled",)}
    assert set(snapshot.rows(db, "users", ["failed_login_attempts", "locked_until"])) == {(0, None)}
    assert set(snapshot.rows(db, "residents", ["car_numbers", "scooter_numbers"])) == {(None, None)}


@pytest.mark.parametrize("shape", [Shape.EMPTY_FILE, Shape.VEHICLES, Shape.LATEST_CODE], ids=str)
def test_a_second_upgrade_is_a_no_op(tmp_path, shape):
    db = build(tmp_path / "society.db", shape, residents=10, ledger_rows=50)
    api.upgrade(db, backup=False)
    before = db.read_bytes()
    result = api.upgrade(db, backup=False)
    assert result.applied == () and result.from_version == result.to_version == SHIPPED_COUNT
    assert db.read_bytes() == before
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize("shape", RELEASED_LEGACY_SHAPES, ids=str)
def test_upgrading_step_by_step_ends_where_one_run_does(tmp_path, shape, new_society_schema):
    db = build(tmp_path / "society.db", shape, residents=10, ledger_rows=50)
    for target in range(1, SHIPPED_COUNT + 1):
        result = api.upgrade(db, target=target, backup=False)
        assert result.to_version == target == snapshot.version(db)
    assert society_schema(db).differences(new_society_schema) == []


@pytest.mark.parametrize("shape", list(Shape), ids=str)
def test_status_before_and_after_the_upgrade(tmp_path, shape):
    db = build(tmp_path / "society.db", shape, residents=10, ledger_rows=50)
    before = api.status(db)
    assert before.state is (State.NEW if shape is Shape.EMPTY_FILE else State.UNVERSIONED)
    assert before.current_version == 0 and before.latest_version == SHIPPED_COUNT
    assert [m.status for m in before.migrations] == ["pending"] * SHIPPED_COUNT
    api.upgrade(db, backup=False)
    after = api.status(db)
    assert after.state is State.UP_TO_DATE and after.current_version == SHIPPED_COUNT
    assert [m.status for m in after.migrations] == ["applied"] * SHIPPED_COUNT
    assert all(m.applied_at for m in after.migrations)


def test_a_column_added_by_hand_in_other_letter_case_is_not_added_again(
    tmp_path, new_society_schema
):
    db = build(tmp_path / "society.db", Shape.LOGIN_SECURITY, residents=10, ledger_rows=50)
    conn = sqlite3.connect(db)
    try:
        conn.execute("ALTER TABLE residents ADD COLUMN Car_Numbers TEXT")
        conn.commit()
    finally:
        conn.close()
    api.upgrade(db, backup=False)
    assert society_schema(db).differences(new_society_schema) == []
