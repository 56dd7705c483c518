"""The schema comparison, on real SQLite files: every kind of difference, and no false ones.

Each test writes two small files, reads both with :func:`read_schema` and
compares them: the first plays "what the migrations make", the second "the
file found in the field".
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.connection import open_readonly
from core.schemadiff import Comparison, Difference, Kind, compare
from core.schemashape import Schema, read_schema
from core.wording import describe, first_differences, report_lines

RESIDENTS = """CREATE TABLE residents (id INTEGER PRIMARY KEY, flat_no TEXT UNIQUE,
    name TEXT, monthly_charges REAL DEFAULT 500.0, status TEXT)"""
LEDGER = """CREATE TABLE ledger (id INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id TEXT UNIQUE, date DATE, flat_no TEXT, debit REAL DEFAULT 0.0,
    reconciliation_status TEXT DEFAULT 'Unreconciled',
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (flat_no) REFERENCES residents (flat_no));
    CREATE INDEX idx_ledger_date ON ledger(date);
    CREATE INDEX idx_ledger_txn_id ON ledger(transaction_id)"""
BASE = f"{RESIDENTS};\n{LEDGER}"


def schema_of(folder: Path, sql: str, name: str = "db") -> Schema:
    path = folder / f"{name}_{len(list(folder.glob('*.db')))}.db"
    conn = sqlite3.connect(path)
    try:
        conn.executescript(sql)
    finally:
        conn.close()
    reader = open_readonly(path)
    try:
        return read_schema(reader)
    finally:
        reader.close()


def diff(tmp_path: Path, expected_sql: str, found_sql: str) -> Comparison:
    return compare(schema_of(tmp_path, expected_sql, "a"), schema_of(tmp_path, found_sql, "b"))


def only(comparison: Comparison) -> Difference:
    assert len(comparison.differences) == 1, comparison.differences
    return comparison.differences[0]


def test_the_same_schema_written_differently_matches(tmp_path):
    found = """
        CREATE TABLE "Residents" ( "ID" integer primary key , flat_no text,
            name TEXT, status TEXT);
        ALTER TABLE residents ADD COLUMN monthly_charges real DEFAULT (500);
        CREATE UNIQUE INDEX residents_flat ON residents(flat_no);
        CREATE TABLE [ledger] (id INTEGER PRIMARY KEY AUTOINCREMENT, transaction_id TEXT UNIQUE,
            date DATE, flat_no TEXT REFERENCES residents(flat_no), debit REAL DEFAULT 0,
            reconciliation_status TEXT DEFAULT 'Unreconciled',
            created_at TIMESTAMP DEFAULT current_timestamp);
        CREATE INDEX "idx_ledger_date" ON "ledger" ( "date" ASC );
        CREATE INDEX IDX_LEDGER_TXN_ID ON ledger(Transaction_Id)"""
    result = diff(tmp_path, BASE, found)
    assert result.matches and result.differences == ()
    assert [(d.kind, d.object) for d in result.extras] == [(Kind.EXTRA_INDEX, "residents_flat")]


def test_a_file_with_exactly_the_same_schema_has_no_differences_and_no_extras(tmp_path):
    result = diff(tmp_path, BASE, BASE)
    assert result.matches and result.extras == ()


def test_a_missing_table(tmp_path):
    d = only(diff(tmp_path, BASE, RESIDENTS))
    assert (d.kind, d.table) == (Kind.MISSING_TABLE, "ledger")
    assert describe(d, 4) == "table ledger is missing"


def test_a_missing_column(tmp_path):
    found = BASE.replace("name TEXT, ", "")
    d = only(diff(tmp_path, BASE, found))
    assert (d.kind, d.table, d.object, d.expected) == (
        Kind.MISSING_COLUMN,
        "residents",
        "name",
        "TEXT",
    )


def test_a_column_of_another_type(tmp_path):
    d = only(diff(tmp_path, BASE, BASE.replace("debit REAL", "debit TEXT")))
    assert (d.kind, d.object, d.expected, d.found) == (Kind.COLUMN_TYPE, "debit", "REAL", "TEXT")
    assert describe(d, 4) == "ledger.debit is TEXT where version 4 has REAL"


@pytest.mark.parametrize(
    ("expected", "found"),
    [
        ("REAL DEFAULT 500.0", "REAL"),
        ("REAL DEFAULT 500.0", "REAL DEFAULT 750.0"),
        ("REAL", "REAL DEFAULT 500.0"),
        ("TEXT DEFAULT 'Active'", "TEXT DEFAULT 'active'"),
        ("TEXT DEFAULT '0'", "TEXT DEFAULT '0.0'"),
        ("TEXT DEFAULT 0", "TEXT DEFAULT 0.0"),  # a text column keeps '0', not '0.0'
        ("TIMESTAMP DEFAULT CURRENT_TIMESTAMP", "TIMESTAMP DEFAULT CURRENT_DATE"),
    ],
)
def test_a_column_with_another_default(tmp_path, expected, found):
    d = only(diff(tmp_path, f"CREATE TABLE t (x {expected})", f"CREATE TABLE t (x {found})"))
    assert (d.kind, d.table, d.object) == (Kind.COLUMN_DEFAULT, "t", "x")


def test_a_default_written_as_another_number_of_the_same_value_matches(tmp_path):
    result = diff(tmp_path, BASE, BASE.replace("DEFAULT 500.0", "DEFAULT 500"))
    assert result.matches


def test_a_missing_default_is_said_in_words(tmp_path):
    d = only(diff(tmp_path, BASE, BASE.replace(" DEFAULT 500.0", "")))
    assert describe(d, 4) == (
        "residents.monthly_charges has no default where version 4 has default 500.0"
    )


def test_default_null_is_no_default(tmp_path):
    assert diff(tmp_path, BASE, BASE.replace("status TEXT", "status TEXT DEFAULT NULL")).matches


def test_not_null_either_way(tmp_path):
    stricter = only(diff(tmp_path, BASE, BASE.replace("name TEXT", "name TEXT NOT NULL")))
    looser = only(diff(tmp_path, BASE.replace("name TEXT", "name TEXT NOT NULL"), BASE))
    assert stricter.kind is looser.kind is Kind.COLUMN_NOT_NULL
    assert (stricter.expected, stricter.found) == (None, "NOT NULL")
    assert "allows empty values where version 2 has NOT NULL" in describe(looser, 2)


def test_primary_key(tmp_path):
    found = BASE.replace(
        "CREATE TABLE residents (id INTEGER PRIMARY KEY", "CREATE TABLE residents (id INTEGER"
    )
    d = only(diff(tmp_path, BASE, found))
    assert (d.kind, d.object, d.expected, d.found) == (Kind.COLUMN_PRIMARY_KEY, "id", "1", "0")


def test_autoincrement_either_way(tmp_path):
    plain = BASE.replace(" AUTOINCREMENT", "")
    lost = only(diff(tmp_path, BASE, plain))
    gained = only(diff(tmp_path, plain, BASE))
    assert lost.kind is gained.kind is Kind.AUTOINCREMENT
    assert describe(lost, 4) == "ledger has no AUTOINCREMENT where version 4 has it"
    assert (gained.expected, gained.found) == (None, "AUTOINCREMENT")


def test_the_word_autoincrement_in_a_string_or_a_name_is_not_autoincrement(tmp_path):
    plain = BASE.replace(" AUTOINCREMENT", "")
    tricky = plain.replace("'Unreconciled'", "'AUTOINCREMENT'").replace(
        "date DATE", '"autoincrement" DATE, date DATE'
    )
    result = diff(tmp_path, plain, tricky)
    assert Kind.AUTOINCREMENT not in {d.kind for d in result.differences}


def test_an_index_on_the_quoted_name_of_a_missing_column_is_an_index_on_a_constant(tmp_path):
    """Issue 8's prototype: ``ON ledger("transaction_id")`` without the column."""
    found = """CREATE TABLE ledger (id INTEGER PRIMARY KEY AUTOINCREMENT, date DATE,
        flat_no TEXT, debit REAL DEFAULT 0.0);
        CREATE INDEX "idx_ledger_txn_id" ON "ledger"("transaction_id")"""
    expected = LEDGER.replace("FOREIGN KEY", "FOREIGN KEY").replace(
        "    CREATE INDEX idx_ledger_date ON ledger(date);\n", ""
    )
    result = diff(tmp_path, expected, found)
    (on_constant,) = [d for d in result.differences if d.object == "idx_ledger_txn_id"]
    assert on_constant.kind is Kind.INDEX_ON_CONSTANT
    assert (on_constant.expected, on_constant.found) == (
        "ledger(transaction_id)",
        "ledger('transaction_id')",
    )
    assert "constant" in describe(on_constant, 4)


@pytest.mark.parametrize(
    "found_index",
    [
        "CREATE INDEX idx_ledger_date ON ledger(date DESC)",
        "CREATE INDEX idx_ledger_date ON ledger(flat_no)",
        "CREATE INDEX idx_ledger_date ON ledger(date, flat_no)",
        "CREATE UNIQUE INDEX idx_ledger_date ON ledger(date)",
        "CREATE INDEX idx_ledger_date ON ledger(date) WHERE date IS NOT NULL",
        "CREATE INDEX idx_ledger_date ON ledger(date COLLATE NOCASE)",
        "CREATE INDEX idx_ledger_date ON ledger(substr(date, 1, 4))",
        "CREATE INDEX idx_ledger_date ON residents(flat_no)",
    ],
)
def test_an_index_of_the_same_name_that_is_otherwise(tmp_path, found_index):
    found = BASE.replace("CREATE INDEX idx_ledger_date ON ledger(date)", found_index)
    d = only(diff(tmp_path, BASE, found))
    assert (d.kind, d.object, d.expected) == (Kind.INDEX_DIFFERS, "idx_ledger_date", "ledger(date)")
    assert d.found != d.expected


def test_two_columns_in_another_order_are_another_index(tmp_path):
    a = f"{BASE}; CREATE INDEX idx_two ON ledger(date, flat_no)"
    d = only(diff(tmp_path, a, a.replace("(date, flat_no)", "(flat_no, date)")))
    assert (d.kind, d.found) == (Kind.INDEX_DIFFERS, "ledger(flat_no, date)")


def test_an_expression_index_written_differently_matches(tmp_path):
    a = f"{BASE}; CREATE INDEX idx_year ON ledger(substr(date, 1, 4))"
    assert diff(tmp_path, a, a.replace("substr(date, 1, 4)", "SUBSTR( date,1,4 )")).matches


def test_a_missing_index(tmp_path):
    found = BASE.replace("CREATE INDEX idx_ledger_date ON ledger(date);", "")
    d = only(diff(tmp_path, BASE, found))
    assert describe(d, 4) == "index idx_ledger_date is missing"


def test_a_unique_constraint_missing_or_added(tmp_path):
    missing = only(diff(tmp_path, BASE, BASE.replace("flat_no TEXT UNIQUE", "flat_no TEXT")))
    assert (missing.kind, missing.table, missing.object) == (
        Kind.MISSING_UNIQUE,
        "residents",
        "flat_no",
    )
    added = diff(tmp_path, BASE, BASE.replace("name TEXT", "name TEXT UNIQUE"))
    assert added.matches and [d.kind for d in added.extras] == [Kind.EXTRA_UNIQUE]


def test_foreign_keys_missing_other_or_extra(tmp_path):
    fk = "FOREIGN KEY (flat_no) REFERENCES residents (flat_no)"
    missing = only(diff(tmp_path, BASE, BASE.replace(f",\n    {fk}", "")))
    assert missing.kind is Kind.MISSING_FOREIGN_KEY
    assert missing.object == "flat_no → residents(flat_no)"
    other = only(diff(tmp_path, BASE, BASE.replace(fk, f"{fk} ON DELETE CASCADE")))
    assert other.kind is Kind.FOREIGN_KEY_DIFFERS and "CASCADE" in (other.found or "")
    to_pk = only(
        diff(tmp_path, BASE, BASE.replace("REFERENCES residents (flat_no)", "REFERENCES residents"))
    )
    assert to_pk.kind is Kind.FOREIGN_KEY_DIFFERS
    extra = diff(tmp_path, BASE, BASE.replace("date DATE", "date DATE REFERENCES society(day)"))
    assert extra.matches and [d.kind for d in extra.extras] == [Kind.EXTRA_FOREIGN_KEY]


TRIGGER = """CREATE TRIGGER ledger_stamp AFTER INSERT ON ledger BEGIN
    UPDATE ledger SET created_at = CURRENT_TIMESTAMP WHERE id = new.id; END"""
VIEW = "CREATE VIEW dues AS SELECT flat_no, sum(debit) AS owed FROM ledger GROUP BY flat_no"


def test_triggers_missing_other_same_or_extra(tmp_path):
    with_trigger = f"{BASE};\n{TRIGGER}"
    assert only(diff(tmp_path, with_trigger, BASE)).kind is Kind.MISSING_TRIGGER
    other = with_trigger.replace("AFTER INSERT", "AFTER UPDATE")
    assert only(diff(tmp_path, with_trigger, other)).kind is Kind.TRIGGER_DIFFERS
    respelled = with_trigger.replace("BEGIN\n    UPDATE ledger", 'begin update "ledger"')
    assert diff(tmp_path, with_trigger, respelled).matches
    extra = diff(tmp_path, BASE, with_trigger)
    assert extra.matches and [d.kind for d in extra.extras] == [Kind.EXTRA_TRIGGER]


def test_views_missing_other_same_or_extra(tmp_path):
    with_view = f"{BASE};\n{VIEW}"
    assert only(diff(tmp_path, with_view, BASE)).kind is Kind.MISSING_VIEW
    other = with_view.replace("sum(debit)", "sum(credit)")
    assert only(diff(tmp_path, with_view, other)).kind is Kind.VIEW_DIFFERS
    assert diff(
        tmp_path, with_view, with_view.replace("GROUP BY", "-- per flat\n group  by")
    ).matches
    extra = diff(tmp_path, BASE, with_view)
    assert extra.matches and [d.kind for d in extra.extras] == [Kind.EXTRA_VIEW]


def test_without_rowid_and_generated_columns(tmp_path):
    a = f"{BASE}; CREATE TABLE tags (name TEXT PRIMARY KEY, size INTEGER)"
    without = diff(tmp_path, a, a + " WITHOUT ROWID")  # whose key is NOT NULL too
    assert {d.kind for d in without.differences} == {Kind.WITHOUT_ROWID, Kind.COLUMN_NOT_NULL}
    generated = a.replace("size INTEGER", "size INTEGER GENERATED ALWAYS AS (length(name))")
    assert only(diff(tmp_path, a, generated)).kind is Kind.COLUMN_GENERATED


def test_what_no_migration_made_is_an_extra_never_a_difference(tmp_path):
    found = f"""{BASE.replace("status TEXT)", "status TEXT, wing TEXT)")};
        CREATE TABLE transaction_reversals (id INTEGER PRIMARY KEY AUTOINCREMENT, reason TEXT);
        CREATE INDEX idx_reversals ON transaction_reversals(reason);
        CREATE INDEX idx_by_hand ON ledger(flat_no, date)"""
    result = diff(tmp_path, BASE, found)
    assert result.matches
    assert [(d.kind, d.table, d.object) for d in result.extras] == [
        (Kind.EXTRA_COLUMN, "residents", "wing"),
        (Kind.EXTRA_TABLE, "transaction_reversals", ""),
        (Kind.EXTRA_INDEX, "ledger", "idx_by_hand"),
    ]
    assert describe(result.extras[0], 4) == (
        "residents has an extra column `wing` that no migration made"
    )


def test_ignored_tables_are_neither_missing_nor_extra(tmp_path):
    history = "CREATE TABLE migration_history (version INTEGER PRIMARY KEY)"
    result = compare(
        schema_of(tmp_path, f"{BASE}; {history}", "a"),
        schema_of(tmp_path, BASE.replace(RESIDENTS, history), "b"),
        ignore=["migration_history", "Residents"],
    )
    assert result.matches and result.extras == ()


def test_the_first_differences_make_one_sentence_and_the_report_lists_all(tmp_path):
    found = BASE.replace("debit REAL", "debit TEXT").replace(" DEFAULT 500.0", "")
    found = found.replace("CREATE INDEX idx_ledger_date ON ledger(date);", "")
    found = found.replace("flat_no TEXT UNIQUE", "flat_no TEXT").replace(
        "status TEXT)", "status TEXT, wing TEXT)"
    )
    result = diff(tmp_path, BASE, found)
    assert len(result.differences) == 4
    line = first_differences(result, 4, limit=2)
    assert line.startswith("ledger.debit is TEXT where version 4 has REAL; ") and line.endswith(
        "and 2 more (the check lists them all)."
    )
    lines = report_lines(result, 4)
    assert len(lines) == 4 + 1 + 1 and lines[-1].endswith(
        "extra column `wing` that no migration made"
    )
