"""The rebuild planner, table-driven against the exact SQL it plans."""

from __future__ import annotations

import sqlite3

import pytest

from core.rebuild import Column, ForeignKey, Index, RebuildError, Table, read_table
from core.rebuild_plan import plan_copy, plan_prepare

CHARGES = """CREATE TABLE charges (
    id INTEGER PRIMARY KEY AUTOINCREMENT, flat TEXT, amount REAL DEFAULT 0.0,
    due DATE, note TEXT COLLATE NOCASE CHECK (length(note) < 200))"""


@pytest.fixture
def conn():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute(CHARGES)
    conn.execute("CREATE INDEX idx_charges_flat ON charges(flat)")
    conn.execute("CREATE TRIGGER charges_audit AFTER DELETE ON charges BEGIN SELECT old.id; END")
    yield conn
    conn.close()


PAISE = Table(
    "charges",
    columns=(
        Column("id", "INTEGER", primary_key=True),
        Column("flat_no", "TEXT", not_null=True),
        Column("amount", "INTEGER", default="0", value="round(amount * 100)"),
        Column("due", "DATE"),
        Column("created_at", "TIMESTAMP", default="CURRENT_TIMESTAMP"),
    ),
    autoincrement=True,
    foreign_keys=(ForeignKey(("flat_no",), "residents", ("flat_no",), on_delete="CASCADE"),),
    renames={"flat": "flat_no"},
)


def test_the_prepare_step_renames_through_sqlite(conn):
    assert plan_prepare(read_table(conn, "charges"), PAISE) == (
        'ALTER TABLE "charges" RENAME COLUMN "flat" TO "flat_no"',
    )


def test_the_copy_plan_is_exact_sql(conn):
    for statement in plan_prepare(read_table(conn, "charges"), PAISE):
        conn.execute(statement)
    plan = plan_copy(read_table(conn, "charges"), PAISE, tmp_suffix="_tmp")
    assert plan.statements == (
        'CREATE TABLE "charges_tmp" (\n'
        '    "id" INTEGER PRIMARY KEY AUTOINCREMENT,\n'
        '    "flat_no" TEXT NOT NULL,\n'
        '    "amount" INTEGER DEFAULT 0,\n'
        '    "due" DATE,\n'
        '    "created_at" TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n'
        "    note TEXT COLLATE NOCASE CHECK (length(note) < 200),\n"
        '    FOREIGN KEY ("flat_no") REFERENCES "residents" ("flat_no") ON DELETE CASCADE\n'
        ")",
        'INSERT INTO "charges_tmp" ("id", "flat_no", "amount", "due", "note")\n'
        'SELECT "id", "flat_no", round(amount * 100), "due", "note" FROM "charges"',
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'charges_tmp', 0 "
        "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'charges_tmp')",
        "UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT max(seq) FROM "
        "sqlite_sequence WHERE name = 'charges'), 0)) WHERE name = 'charges_tmp'",
        'DROP TABLE "charges"',
        "PRAGMA legacy_alter_table = ON",
        'ALTER TABLE "charges_tmp" RENAME TO "charges"',
        "PRAGMA legacy_alter_table = OFF",
        'CREATE INDEX idx_charges_flat ON charges("flat_no")',  # SQLite's rewrite
        "CREATE TRIGGER charges_audit AFTER DELETE ON charges BEGIN SELECT old.id; END",
    )
    assert plan.insert_range == plan.insert + " WHERE rowid BETWEEN ? AND ?"


def test_a_table_without_an_integer_key_keeps_its_rowids(conn):
    conn.execute("CREATE TABLE notes (body TEXT, at TIMESTAMP)")
    plan = plan_copy(
        read_table(conn, "notes"), Table("notes", (Column("body", "TEXT", not_null=True),))
    )
    assert plan.insert == (
        'INSERT INTO "notes_rebuild" (rowid, "body", "at")\nSELECT rowid, "body", "at" FROM "notes"'
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (Table("charges", (Column("id"),), drop=("nope",)), "can't drop charges.nope"),
        (Table("charges", (Column("id"),), renames={"nope": "x"}), "can't rename charges.nope"),
        (Table("charges", (Column("id"),), renames={"flat": "due"}), "due is already there"),
        (Table("charges", (Column("id", "TEXT"),), autoincrement=True), "AUTOINCREMENT needs"),
        (
            Table("charges", (Column("id"),), drop=("flat",)),
            "index idx_charges_flat of charges is on flat, which the rebuild drops",
        ),
        (
            Table("charges", (Column("id"),), indexes=(Index("i", ("flat_no",)),)),
            "index i is on charges.flat_no, a column the new table doesn't have",
        ),
    ],
)
def test_what_cant_be_done_safely_is_refused_by_name(conn, target, message):
    now = read_table(conn, "charges")
    with pytest.raises(RebuildError, match=message):
        plan_prepare(now, target)
        plan_copy(now, target)


def test_an_index_sqlite_built_on_a_string_constant_must_be_dealt_with(conn):
    conn.execute('CREATE INDEX idx_bogus ON charges("transaction_id")')
    now = read_table(conn, "charges")
    with pytest.raises(RebuildError, match="is on the text 'transaction_id', not a column"):
        plan_prepare(now, Table("charges", (Column("id"),)))
    fixed = Table("charges", (Column("id"),), indexes=(Index("idx_bogus", ("flat",)),))
    assert plan_prepare(now, fixed) == ('DROP INDEX "idx_bogus"',)
