"""Repair a ledger and residents table left from the app's pre-release prototype

The app's first commit carried a prototype database whose ledger has
``txn_id``/``txn_type``/``reference_no`` and no ``transaction_id``,
``transaction_type`` or ``created_at``, and whose ``residents.monthly_charges``
has no default. Migration 001's ``CREATE TABLE IF NOT EXISTS`` left that
ledger as it was (and an earlier release of this tool indexed the string
'transaction_id' on it). Here the ledger is rebuilt into the released one:
``txn_id`` becomes ``id`` with AUTOINCREMENT, ``txn_type`` becomes
``transaction_type``, rows are numbered TXN-001, TXN-002, ... in id order (the
app numbers the next one COUNT(*)+1), ``created_at`` and the released defaults
are added, ``reference_no`` and any other column are kept with their values.
Every other shape is left exactly as it is.
"""

from sqlite3 import Connection

from core.rebuild import Column, ForeignKey, Index, Table, changed, read_table, rebuild
from core.schema import create_index_if_missing, is_prototype_ledger, table_exists

LEDGER = Table(
    "ledger",
    columns=(
        Column("id", "INTEGER", primary_key=True),
        Column("transaction_id", "TEXT", unique=True),
        Column("date", "DATE"),
        Column("flat_no", "TEXT"),
        Column("transaction_type", "TEXT"),
        Column("category", "TEXT"),
        Column("description", "TEXT"),
        Column("debit", "REAL", default="0.0"),
        Column("credit", "REAL", default="0.0"),
        Column("balance", "REAL", default="0.0"),
        Column("payment_mode", "TEXT"),
        Column("entered_by", "TEXT"),
        Column("created_at", "TIMESTAMP", default="CURRENT_TIMESTAMP"),
        Column("reconciliation_status", "TEXT", default="'Unreconciled'"),
    ),
    autoincrement=True,
    foreign_keys=(ForeignKey(("flat_no",), "residents", ("flat_no",)),),
    renames={"txn_id": "id", "txn_type": "transaction_type"},
    indexes=(Index("idx_ledger_txn_id", ("transaction_id",)),),  # replaces one on a constant
)
LEDGER_INDEXES = {
    "idx_ledger_date": "date",
    "idx_ledger_flat": "flat_no",
    "idx_ledger_type": "transaction_type",
}
NUMBER_IN_ID_ORDER = """
    UPDATE ledger SET transaction_id = printf('TXN-%03d', numbered.n)
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM ledger) AS numbered
    WHERE ledger.id = numbered.id"""


def upgrade(conn: Connection) -> None:
    if table_exists(conn, "ledger") and is_prototype_ledger(conn):
        rebuild(conn, LEDGER)
        conn.execute(NUMBER_IN_ID_ORDER)
        for index, column in LEDGER_INDEXES.items():
            create_index_if_missing(conn, index, "ledger", [column])
    if not table_exists(conn, "residents"):
        return
    charges = read_table(conn, "residents").column("monthly_charges")
    if charges is not None and charges.default is None:
        rebuild(conn, changed(conn, "residents", Column(charges.name, "REAL", default="500.0")))
