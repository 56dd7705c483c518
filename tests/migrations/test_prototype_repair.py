"""The pre-release prototype's ledger and residents become the released ones, row for row.

Starting points: the prototype as the app left it (version 0), and the same
file already brought to version 4 by an earlier release of this tool, with
the index that release made on the string 'transaction_id'. Every other
shape goes through the repair untouched.
"""

from __future__ import annotations

import sqlite3

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED

from core import api
from core.version import HISTORY_TABLE
from samples.legacy import PROTOTYPE_LEDGER_COLUMNS, Shape, build
from samples.testing import compare_with_latest, prototype_after_earlier_release

REPAIR = next(int(p.name[:3]) for p in SHIPPED.glob("[0-9][0-9][0-9]_repair_prototype_ledger.py"))
RENAMED = {"txn_id": "id", "txn_type": "transaction_type"}


def prototype(tmp_path, at_version_4: bool):
    path = tmp_path / "society.db"
    if at_version_4:
        return prototype_after_earlier_release(path, residents=30, ledger_rows=200)
    return build(path, Shape.PROTOTYPE, residents=30, ledger_rows=200)


@pytest.mark.parametrize("at_version_4", [False, True], ids=["as-the-app-left-it", "at-version-4"])
def test_the_prototype_becomes_the_released_ledger_row_for_row(tmp_path, at_version_4):
    db = prototype(tmp_path, at_version_4)
    ledger_before = snapshot.rows(db, "ledger", PROTOTYPE_LEDGER_COLUMNS)
    residents_before = snapshot.all_rows(db)["residents"]
    residents_columns = snapshot.columns_of(db)["residents"]
    assert len(ledger_before) == 200

    api.upgrade(db, backup=False)

    renamed = [RENAMED.get(c, c) for c in PROTOTYPE_LEDGER_COLUMNS]
    assert snapshot.rows(db, "ledger", renamed) == ledger_before  # reference_no kept too
    assert snapshot.rows(db, "residents", residents_columns) == residents_before
    result = compare_with_latest(db)
    assert result.differences == ()
    assert [d.object for d in result.extras if d.table == "ledger"] == ["reference_no"]


def test_transactions_are_numbered_in_id_order_so_the_apps_next_number_is_free(tmp_path):
    db = prototype(tmp_path, at_version_4=False)
    api.upgrade(db, backup=False)
    conn = sqlite3.connect(db)
    try:
        numbered = conn.execute("SELECT id, transaction_id FROM ledger ORDER BY id").fetchall()
        assert [t for _, t in numbered] == [f"TXN-{n:03d}" for n in range(1, 201)]
        (count,) = conn.execute("SELECT count(*) FROM ledger").fetchone()
        conn.execute(  # what the app does next: TXN-{COUNT(*)+1:03d}, id by AUTOINCREMENT
            "INSERT INTO ledger (transaction_id, transaction_type) VALUES (?, 'Payment')",
            (f"TXN-{count + 1:03d}",),
        )
        new = conn.execute(
            "SELECT id, created_at, debit, reconciliation_status FROM ledger "
            "WHERE transaction_id = ?",
            (f"TXN-{count + 1:03d}",),
        ).fetchone()
        assert new[0] == numbered[-1][0] + 1 and new[1] is not None
        assert new[2:] == (0.0, "Unreconciled")
        conn.execute("INSERT INTO residents (flat_no) VALUES ('Z999')")
        assert conn.execute(
            "SELECT monthly_charges FROM residents WHERE flat_no = 'Z999'"
        ).fetchone() == (500.0,)
        index = conn.execute("PRAGMA index_info(idx_ledger_txn_id)").fetchall()
        assert [r[2] for r in index] == ["transaction_id"]
    finally:
        conn.close()


@pytest.mark.parametrize("shape", [s for s in Shape if s is not Shape.PROTOTYPE], ids=str)
def test_every_other_shape_goes_through_the_repair_unchanged(tmp_path, shape):
    db = build(tmp_path / "society.db", shape, residents=10, ledger_rows=50)
    api.upgrade(db, backup=False, target=REPAIR - 1)
    before = snapshot.content(db)
    api.upgrade(db, backup=False, target=REPAIR)
    after = snapshot.content(db)

    def own(content: snapshot.Content) -> tuple:
        schema = [e for e in content.schema if e[2] != HISTORY_TABLE]
        return schema, {t: r for t, r in content.rows.items() if t != HISTORY_TABLE}

    assert after.version == REPAIR
    assert own(after)[0] == own(before)[0]
    snapshot.assert_same_rows(own(before)[1], own(after)[1])
