"""Create the base tables and ledger indexes, adding what an older file lacks

Field files already have most of these tables (the app created them with
CREATE TABLE IF NOT EXISTS); a file from before bank reconciliation lacks
``ledger.reconciliation_status``, ``bank_statements`` and
``reconciliation_history``. Vehicle and login-lockout columns and the sessions
table come in 002-004, so that each of those files meets the same path.
"""

from sqlite3 import Connection

from core.schema import add_column_if_missing, create_index_if_missing

TABLES = {
    "residents": """
        CREATE TABLE IF NOT EXISTS residents (
            id INTEGER PRIMARY KEY,
            flat_no TEXT UNIQUE,
            name TEXT,
            resident_type TEXT,
            mobile_no TEXT,
            email TEXT,
            date_joining DATE,
            cars INTEGER,
            scooters INTEGER,
            parking_slot TEXT,
            monthly_charges REAL DEFAULT 500.0,
            status TEXT,
            remarks TEXT
        )""",
    "ledger": """
        CREATE TABLE IF NOT EXISTS ledger (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            transaction_id TEXT UNIQUE,
            date DATE,
            flat_no TEXT,
            transaction_type TEXT,
            category TEXT,
            description TEXT,
            debit REAL DEFAULT 0.0,
            credit REAL DEFAULT 0.0,
            balance REAL DEFAULT 0.0,
            payment_mode TEXT,
            entered_by TEXT,
            created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
            reconciliation_status TEXT DEFAULT 'Unreconciled',
            FOREIGN KEY (flat_no) REFERENCES residents (flat_no)
        )""",
    "users": """
        CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY,
            username TEXT UNIQUE,
            password_hash TEXT,
            role TEXT
        )""",
    "society": """
        CREATE TABLE IF NOT EXISTS society (
            id INTEGER PRIMARY KEY,
            name TEXT,
            address TEXT,
            phone TEXT,
            email TEXT,
            bank_details TEXT
        )""",
    "bank_statements": """
        CREATE TABLE IF NOT EXISTS bank_statements (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            date DATE,
            description TEXT,
            amount REAL,
            balance REAL,
            reference_number TEXT,
            import_date TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
            reconciliation_status TEXT DEFAULT 'Unreconciled',
            matched_ledger_id INTEGER,
            FOREIGN KEY (matched_ledger_id) REFERENCES ledger (id)
        )""",
    "reconciliation_history": """
        CREATE TABLE IF NOT EXISTS reconciliation_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            reconciliation_date TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
            user TEXT,
            period_start DATE,
            period_end DATE,
            matched_count INTEGER,
            unmatched_ledger_count INTEGER,
            unmatched_bank_count INTEGER,
            notes TEXT
        )""",
}

# Columns an older file may lack, with the definition ALTER TABLE can add.
LATE_COLUMNS = [
    ("ledger", "reconciliation_status", "TEXT DEFAULT 'Unreconciled'"),
]

LEDGER_INDEXES = {
    "idx_ledger_date": "date",
    "idx_ledger_flat": "flat_no",
    "idx_ledger_type": "transaction_type",
    "idx_ledger_txn_id": "transaction_id",
}


def upgrade(conn: Connection) -> None:
    for create in TABLES.values():
        conn.execute(create)
    for table, column, definition in LATE_COLUMNS:
        add_column_if_missing(conn, table, column, definition)
    for index, column in LEDGER_INDEXES.items():
        create_index_if_missing(conn, index, "ledger", [column])
