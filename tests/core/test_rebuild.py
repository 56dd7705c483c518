"""The table rebuild on real files: what it keeps, what it refuses, and inside the engine."""

from __future__ import annotations

import sqlite3

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT, write_migration

from core import api
from core.errors import MigrationFailed
from core.events import RowsCopied
from core.rebuild import Column, Index, RebuildError, Table, changed, rebuild
from samples.legacy import Shape, build

PAISE = (
    Column("debit", "INTEGER", default="0", value="round(debit * 100)"),
    Column("credit", "INTEGER", default="0", value="round(credit * 100)"),
)


@pytest.fixture
def db(tmp_path):
    return build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=20, ledger_rows=120)


@pytest.fixture
def conn(db):
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN")
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def ledger_sql(conn) -> list[tuple]:
    return conn.execute(
        "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 'ledger' AND type != 'table' "
        "ORDER BY name"
    ).fetchall()


def test_rupees_become_paise_and_everything_else_stays(conn):
    conn.execute("CREATE VIEW dues AS SELECT flat_no, sum(debit) AS owed FROM ledger GROUP BY 1")
    conn.execute("CREATE TABLE log (n)")
    conn.execute(
        "CREATE TRIGGER ledger_log AFTER INSERT ON ledger BEGIN INSERT INTO log "
        "VALUES (new.id); END"
    )
    conn.execute("DELETE FROM ledger WHERE id = (SELECT max(id) FROM ledger)")
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'ledger'").fetchone()
    before = conn.execute("SELECT * FROM ledger ORDER BY id").fetchall()
    indexes = ledger_sql(conn)
    progress: list[tuple[int, int]] = []

    result = rebuild(
        conn,
        changed(conn, "ledger", *PAISE),
        on_progress=lambda *p: progress.append(p),
        chunk_rows=50,
    )

    after = conn.execute("SELECT * FROM ledger ORDER BY id").fetchall()
    assert len(after) == len(before) == result.rows_copied == 119
    for old, new in zip(before, after, strict=True):
        assert new[7:9] == (round(old[7] * 100), round(old[8] * 100))
        assert new[:7] + new[9:] == old[:7] + old[9:]
    assert {r[0] for r in conn.execute("SELECT DISTINCT typeof(debit) FROM ledger")} == {"integer"}
    assert ledger_sql(conn) == indexes  # indexes and the trigger, as they were
    assert conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'ledger'").fetchone() == seq
    conn.execute("INSERT INTO ledger (transaction_id) VALUES ('TXN-NEW')")
    assert conn.execute("SELECT max(id) FROM ledger").fetchone()[0] == seq[0] + 1  # not reused
    assert conn.execute("SELECT count(*) FROM log").fetchone()[0] == 1  # the trigger fires
    assert conn.execute("SELECT count(*) FROM dues").fetchone()[0] > 0  # the view reads it
    assert progress == [(50, 119), (100, 119), (119, 119)]
    info = {r[1]: (r[2], r[4]) for r in conn.execute("PRAGMA table_info(ledger)")}
    assert info["date"] == ("DATE", None) and info["created_at"] == (
        "TIMESTAMP",
        "CURRENT_TIMESTAMP",
    )
    assert info["balance"] == ("REAL", "0.0")
    conn.execute("INSERT INTO ledger (transaction_id) VALUES ('TXN-DEFAULTS')")
    assert conn.execute(
        "SELECT typeof(balance), typeof(debit) FROM ledger WHERE transaction_id = 'TXN-DEFAULTS'"
    ).fetchone() == ("real", "integer")
    assert (
        conn.execute("PRAGMA foreign_key_check(ledger)").fetchall()
        == conn.execute("PRAGMA foreign_key_check(ledger)").fetchall()
    )


def test_renames_reach_indexes_triggers_and_views_and_unknown_columns_are_kept(conn):
    conn.execute(
        "ALTER TABLE ledger ADD COLUMN reference_no TEXT CHECK (length(reference_no) < 30)"
    )
    conn.execute("UPDATE ledger SET reference_no = 'R' || id")
    conn.execute("CREATE VIEW kinds AS SELECT transaction_type FROM ledger")
    target = Table(
        "ledger",
        (Column("id", "INTEGER", primary_key=True), Column("kind", "TEXT"), Column("flat_no")),
        autoincrement=True,
        renames={"transaction_type": "kind"},
        drop=("transaction_id",),
        drop_indexes=("idx_ledger_txn_id",),
    )
    before = conn.execute("SELECT id, transaction_type, reference_no FROM ledger").fetchall()

    result = rebuild(conn, target)

    assert result.kept_unknown[-1] == "reference_no" and "transaction_id" not in result.columns
    assert conn.execute("SELECT id, kind, reference_no FROM ledger").fetchall() == before
    assert conn.execute("SELECT count(*) FROM kinds").fetchone()[0] == len(before)
    assert (
        conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'idx_ledger_type'").fetchone()[0]
        == 'CREATE INDEX idx_ledger_type ON ledger("kind")'
    )
    with pytest.raises(sqlite3.IntegrityError):  # the kept column keeps its CHECK
        conn.execute("UPDATE ledger SET reference_no = printf('%040d', 1) WHERE id = 1")


@pytest.mark.parametrize(
    ("column", "spoil", "message"),
    [
        (
            Column("category", "TEXT", not_null=True),
            "UPDATE ledger SET category = NULL WHERE id = 37",
            "rowid 37 in ledger breaks the new definition: category has no value",
        ),
        (
            Column("debit", "REAL", check="debit >= 0"),
            "UPDATE ledger SET debit = -5 WHERE id = 41",
            "rowid 41 in ledger breaks the new definition: debit fails CHECK",
        ),
        (
            Column("description", "TEXT", unique=True),
            "UPDATE ledger SET description = 'same' WHERE id IN (12, 64)",
            "rowid 64 in ledger breaks the new definition: it repeats the description",
        ),
    ],
    ids=["not-null", "check", "unique"],
)
def test_a_row_breaking_a_new_constraint_is_named_by_rowid_and_nothing_changes(
    db, conn, column, spoil, message
):
    conn.execute(spoil)
    conn.execute("COMMIT")
    before = snapshot.content(db)
    conn.execute("BEGIN")
    with pytest.raises(RebuildError, match=message) as caught:
        rebuild(conn, changed(conn, "ledger", column), chunk_rows=10)
    assert "same" not in str(caught.value) and "Sample" not in str(caught.value)
    conn.execute("COMMIT")  # even committed, the failed rebuild left nothing behind
    snapshot.assert_same_content(before, snapshot.content(db))


def test_an_index_sqlite_built_on_a_constant_becomes_a_real_one(conn):
    conn.execute("DROP INDEX idx_ledger_txn_id")
    conn.execute("ALTER TABLE ledger RENAME COLUMN transaction_id TO ref")
    conn.execute('CREATE INDEX idx_ledger_txn_id ON ledger("transaction_id")')
    index = Index("idx_ledger_txn_id", ("transaction_id",))
    with pytest.raises(RebuildError, match="on the text 'transaction_id'"):
        rebuild(conn, changed(conn, "ledger"))
    target = changed(conn, "ledger")
    rebuild(
        conn,
        Table(
            target.name,
            target.columns,
            autoincrement=True,
            indexes=(index,),
            renames={"ref": "transaction_id"},
            constraints_sql=target.constraints_sql,
        ),
    )
    assert [r[2] for r in conn.execute("PRAGMA index_info(idx_ledger_txn_id)")] == [
        "transaction_id"
    ]


def test_sparse_rowids_are_copied_in_few_statements(conn):
    conn.execute("CREATE TABLE sparse (id INTEGER PRIMARY KEY, v REAL)")
    conn.executemany("INSERT INTO sparse VALUES (?, 1.5)", [(i * 10**12,) for i in range(1, 301)])
    progress: list[tuple[int, int]] = []
    rebuild(
        conn,
        changed(conn, "sparse", Column("v", "INTEGER", value="v * 2")),
        on_progress=lambda *p: progress.append(p),
        chunk_rows=100,
    )
    assert progress[-1] == (300, 300) and len(progress) <= 6
    assert conn.execute("SELECT count(*), sum(v) FROM sparse").fetchone() == (300, 900)


def test_a_migration_rebuilds_inside_the_engines_transaction(legacy_db, migrations_dir):
    write_migration(
        migrations_dir,
        SHIPPED_COUNT + 1,
        "ledger_paise",
        """
        from core.rebuild import Column, changed, rebuild
        rebuild(conn, changed(conn, "ledger",
            Column("debit", "INTEGER", default="0", value="round(debit * 100)")))
        """,
    )
    before = snapshot.rows(legacy_db, "ledger", ["id", "debit"])
    events: list = []
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False, on_event=events.append)
    after = snapshot.rows(legacy_db, "ledger", ["id", "debit"])
    copied = [e for e in events if isinstance(e, RowsCopied)]
    assert copied == [RowsCopied("ledger", len(before), len(before))]  # for the progress bar
    assert copied[0].text == f"Rebuilding ledger: {len(before)} of {len(before)} rows copied."
    assert after == sorted(((i, round(d * 100)) for i, d in before), key=snapshot._sortable)


def test_a_failed_rebuild_in_a_migration_rolls_it_all_back(legacy_db, migrations_dir):
    write_migration(
        migrations_dir,
        SHIPPED_COUNT + 1,
        "ledger_strict",
        """
        from core.rebuild import Column, changed, rebuild
        conn.execute("UPDATE residents SET remarks = 'touched'")
        rebuild(conn, changed(conn, "ledger", Column("flat_no", "TEXT", not_null=True)))
        """,
    )
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False, target=SHIPPED_COUNT)
    before = snapshot.content(legacy_db)
    with pytest.raises(MigrationFailed, match=r"rowid \d+ in ledger .* flat_no has no value"):
        api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    snapshot.assert_same_content(before, snapshot.content(legacy_db))


def test_a_rebuild_that_would_break_a_view_is_undone_whole(db, conn):
    conn.execute("CREATE VIEW methods AS SELECT payment_mode FROM ledger")
    conn.execute("COMMIT")
    before = snapshot.content(db)
    conn.execute("BEGIN")
    kept = tuple(c for c in changed(conn, "ledger").columns if c.name != "payment_mode")
    with pytest.raises(RebuildError, match="view methods would stop working"):
        rebuild(conn, Table("ledger", kept, autoincrement=True, drop=("payment_mode",)))
    conn.execute("COMMIT")
    snapshot.assert_same_content(before, snapshot.content(db))


@pytest.mark.parametrize("new_orphan", [False, True], ids=["old-orphans", "plus-a-new-one"])
def test_a_new_foreign_key_over_old_orphans_keeps_them_and_still_catches_new_ones(
    legacy_db, migrations_dir, new_orphan
):
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    conn = sqlite3.connect(legacy_db, isolation_level=None)
    conn.execute("BEGIN")
    unlinked = changed(conn, "ledger")
    rebuild(conn, Table("ledger", unlinked.columns, autoincrement=True))  # no foreign key
    conn.execute("COMMIT")
    conn.close()
    link = """
        from core.rebuild import ForeignKey, Table, changed, rebuild
        now = changed(conn, "ledger")
        rebuild(conn, Table("ledger", now.columns, autoincrement=True,
            foreign_keys=(ForeignKey(("flat_no",), "residents", ("flat_no",)),)))
        """
    orphan = "\n        conn.execute(\"INSERT INTO ledger (flat_no) VALUES ('NOWHERE')\")"
    write_migration(
        migrations_dir, SHIPPED_COUNT + 1, "link_ledger", link + (orphan if new_orphan else "")
    )
    if new_orphan:
        with pytest.raises(MigrationFailed, match="1 row in ledger point to missing residents"):
            api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
        return
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    assert snapshot.version(legacy_db) == SHIPPED_COUNT + 1
