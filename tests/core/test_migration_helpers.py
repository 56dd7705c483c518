"""What migration authors lean on: script splitting and the schema helpers."""

from __future__ import annotations

import sqlite3

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT, write_migration

from core import api
from core.guard import split_statements
from core.schema import (
    MissingColumn,
    add_column_if_missing,
    column_exists,
    columns,
    create_index_if_missing,
    index_exists,
    quote,
    table_exists,
)
from samples.legacy import Shape, build

SCRIPTS = [
    ("CREATE TABLE a(x); INSERT INTO a VALUES ('x;y');", 2),
    ("CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 1; DELETE FROM b; END;", 1),
    ("CREATE TABLE a(x); SELECT 1", 2),  # the last statement may lack its ';'
    ("-- a comment; with a semicolon\nCREATE TABLE a(x);", 1),
    ('SELECT "odd;name" /* c;d */;', 1),
    (";;  ;\nSELECT 1;;", 1),
    ("", 0),
]


@pytest.mark.parametrize(("script", "count"), SCRIPTS)
def test_scripts_split_into_whole_statements(script, count):
    statements = list(split_statements(script))
    assert len(statements) == count
    assert all(sqlite3.complete_statement(s if s.endswith(";") else s + ";") for s in statements)


def test_a_script_with_a_trigger_runs_and_commits_with_its_migration(legacy_db, migrations_dir):
    write_migration(
        migrations_dir,
        SHIPPED_COUNT + 1,
        "audit_trigger",
        '''
        conn.executescript("""
            CREATE TABLE charge_changes (flat_no TEXT, old REAL, new REAL);
            CREATE TRIGGER note_charge AFTER UPDATE OF monthly_charges ON residents
            BEGIN
                INSERT INTO charge_changes VALUES (old.flat_no, old.monthly_charges,
                                                   new.monthly_charges);
            END;
            UPDATE residents SET monthly_charges = monthly_charges + 1 WHERE id = 1;
        """)
        ''',
    )
    result = api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    assert result.to_version == SHIPPED_COUNT + 1
    assert len(snapshot.rows(legacy_db, "charge_changes")) == 1


@pytest.fixture
def first_release(tmp_path):
    db = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=5, ledger_rows=10)
    conn = sqlite3.connect(db, isolation_level=None)
    yield conn
    conn.close()


def test_add_column_if_missing_adds_once(first_release):
    assert add_column_if_missing(first_release, "users", "locked_until", "TIMESTAMP")
    assert not add_column_if_missing(first_release, "users", "locked_until", "TIMESTAMP")
    assert columns(first_release, "users")[-1] == "locked_until"


def test_a_column_added_by_hand_in_other_letter_case_counts_as_there(first_release):
    first_release.execute("ALTER TABLE residents ADD COLUMN Car_Numbers TEXT")
    assert column_exists(first_release, "residents", "car_numbers")
    assert not add_column_if_missing(first_release, "residents", "car_numbers", "TEXT")


def test_tables_and_indexes_are_found_whatever_the_case(first_release):
    assert table_exists(first_release, "Ledger") and not table_exists(first_release, "sessions")
    assert index_exists(first_release, "IDX_LEDGER_DATE")
    assert not create_index_if_missing(first_release, "idx_ledger_date", "ledger", ["date"])
    assert create_index_if_missing(first_release, "idx_ledger_mode", "ledger", ["payment_mode"])
    assert index_exists(first_release, "idx_ledger_mode")


def test_columns_of_a_missing_table_is_empty(first_release):
    assert columns(first_release, "no_such_table") == []


def test_quoted_identifiers_cannot_break_out(first_release):
    name = 'odd "name"; DROP TABLE ledger; --'
    first_release.execute(f"CREATE TABLE {quote(name)} (x)")
    assert table_exists(first_release, name) and table_exists(first_release, "ledger")


def test_an_index_on_a_column_that_isnt_there_is_refused_by_name(first_release):
    with pytest.raises(MissingColumn, match="ledger has no column transaction_ref"):
        create_index_if_missing(first_release, "idx_ref", "ledger", ["date", "transaction_ref"])
    with pytest.raises(MissingColumn, match="there is no table ledgers"):
        create_index_if_missing(first_release, "idx_ref", "ledgers", ["date"])
    with pytest.raises(MissingColumn, match="there is no table ledgers"):
        add_column_if_missing(first_release, "ledgers", "x", "TEXT")
    assert not index_exists(first_release, "idx_ref")


def test_the_prototype_ledger_leaves_released_indexes_to_its_repair(tmp_path):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE ledger (txn_id INTEGER PRIMARY KEY, txn_type TEXT, date DATE)")
    assert not create_index_if_missing(conn, "idx_ledger_txn_id", "ledger", ["transaction_id"])
    assert not index_exists(conn, "idx_ledger_txn_id")  # no index on the text 'transaction_id'
    with pytest.raises(MissingColumn, match="ledger has no column category"):
        create_index_if_missing(conn, "idx_ledger_cat", "ledger", ["category"])
