"""Build society database files in every shape found in the field.

Used for the window's sample database, the tests and the benchmark. The
shapes follow ``shared/reference/society-schema.md``: the schema grew by
``CREATE TABLE IF NOT EXISTS`` and hand-run ``ALTER TABLE``, branches merged
at different times, and every file is at ``user_version = 0``. The data is
made up (no real person's name, phone or e-mail) but shaped like the real
thing: '101' and 'A101' flats, orphan ledger rows, society-level rows with no
flat, bcrypt hashes stored as bytes beside old SHA-256 hex text.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path


class Shape(StrEnum):
    EMPTY_FILE = "empty_file"  # a zero-byte file: a new society
    FIRST_RELEASE = "first_release"
    LOGIN_SECURITY = "login_security"  # + lockout columns by ALTER, + sessions
    VEHICLES = "vehicles"  # login security + vehicle columns by ALTER
    BANK_RECONCILIATION = "bank_reconciliation"  # branched before lockout/vehicles
    MERGED_BY_HAND = "merged_by_hand"  # every branch, every column by ALTER
    LATEST_CODE = "latest_code"  # the last schema written in code, all inline
    # The same, but the login screen never ran, so the app never made sessions.
    LATEST_CODE_NO_SESSIONS = "latest_code_no_sessions"
    # The pre-release prototype: ledger with txn_id/txn_type/reference_no, no defaults.
    PROTOTYPE = "prototype"


RESIDENTS_13 = """CREATE TABLE residents (
    id INTEGER PRIMARY KEY, flat_no TEXT UNIQUE, name TEXT, resident_type TEXT,
    mobile_no TEXT, email TEXT, date_joining DATE, cars INTEGER, scooters INTEGER,
    parking_slot TEXT, monthly_charges REAL DEFAULT 500.0, status TEXT, remarks TEXT)"""
RESIDENTS_LATEST = """CREATE TABLE residents (
    id INTEGER PRIMARY KEY, flat_no TEXT UNIQUE, name TEXT, resident_type TEXT,
    mobile_no TEXT, email TEXT, date_joining DATE, cars INTEGER, scooters INTEGER,
    parking_slot TEXT, car_numbers TEXT, scooter_numbers TEXT,
    monthly_charges REAL DEFAULT 500.0, status TEXT, remarks TEXT)"""
LEDGER_13 = """CREATE TABLE ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT, transaction_id TEXT UNIQUE, date DATE,
    flat_no TEXT, transaction_type TEXT, category TEXT, description TEXT,
    debit REAL DEFAULT 0.0, credit REAL DEFAULT 0.0, balance REAL DEFAULT 0.0,
    payment_mode TEXT, entered_by TEXT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (flat_no) REFERENCES residents (flat_no))"""
LEDGER_LATEST = LEDGER_13.replace(
    "CURRENT_TIMESTAMP,",
    "CURRENT_TIMESTAMP,\n    reconciliation_status TEXT DEFAULT 'Unreconciled',",
)
USERS_4 = """CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT UNIQUE,
    password_hash TEXT, role TEXT)"""
USERS_LATEST = """CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT UNIQUE,
    password_hash TEXT, role TEXT, failed_login_attempts INTEGER DEFAULT 0,
    locked_until TIMESTAMP DEFAULT NULL)"""
SOCIETY = """CREATE TABLE society (id INTEGER PRIMARY KEY, name TEXT, address TEXT,
    phone TEXT, email TEXT, bank_details TEXT)"""
LEDGER_INDEXES = [
    "CREATE INDEX idx_ledger_date ON ledger(date)",
    "CREATE INDEX idx_ledger_flat ON ledger(flat_no)",
    "CREATE INDEX idx_ledger_type ON ledger(transaction_type)",
    "CREATE INDEX idx_ledger_txn_id ON ledger(transaction_id)",
]
BANK_STATEMENTS = """CREATE TABLE bank_statements (
    id INTEGER PRIMARY KEY AUTOINCREMENT, date DATE, description TEXT, amount REAL,
    balance REAL, reference_number TEXT, import_date TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    reconciliation_status TEXT DEFAULT 'Unreconciled', matched_ledger_id INTEGER,
    FOREIGN KEY (matched_ledger_id) REFERENCES ledger (id))"""
RECONCILIATION_HISTORY = """CREATE TABLE reconciliation_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reconciliation_date TIMESTAMP DEFAULT CURRENT_TIMESTAMP, user TEXT,
    period_start DATE, period_end DATE, matched_count INTEGER,
    unmatched_ledger_count INTEGER, unmatched_bank_count INTEGER, notes TEXT)"""
SESSIONS = """CREATE TABLE sessions (session_id TEXT PRIMARY KEY, username TEXT,
    created_at TIMESTAMP, expires_at TIMESTAMP,
    FOREIGN KEY (username) REFERENCES users (username))"""
# Tables the app's own model classes create; no migration may touch them.
APP_MODEL_TABLES = {
    "transaction_reversals": """CREATE TABLE transaction_reversals (
        id INTEGER PRIMARY KEY AUTOINCREMENT, original_transaction_id TEXT,
        reversal_transaction_id TEXT, reason TEXT, reversed_by TEXT,
        reversed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)""",
    "accounting_periods": """CREATE TABLE accounting_periods (
        id INTEGER PRIMARY KEY AUTOINCREMENT, period_name TEXT, start_date DATE,
        end_date DATE, is_closed INTEGER DEFAULT 0, closed_by TEXT, closed_at TIMESTAMP)""",
}
# The app's pre-release prototype database ("The pre-release prototype ledger").
PROTOTYPE_RESIDENTS = RESIDENTS_13.replace(
    "monthly_charges REAL DEFAULT 500.0", "monthly_charges REAL"
)
PROTOTYPE_LEDGER = """CREATE TABLE ledger (
    txn_id INTEGER PRIMARY KEY, date DATE, flat_no TEXT, txn_type TEXT, category TEXT,
    description TEXT, debit REAL, credit REAL, balance REAL, payment_mode TEXT,
    reference_no TEXT, entered_by TEXT)"""
PROTOTYPE_LEDGER_INDEXES = [
    "CREATE INDEX idx_ledger_date ON ledger(date)",
    "CREATE INDEX idx_ledger_flat ON ledger(flat_no)",
    "CREATE INDEX idx_ledger_type ON ledger(txn_type)",
]
ALTER_LOCKOUT = [
    "ALTER TABLE users ADD COLUMN failed_login_attempts INTEGER DEFAULT 0",
    "ALTER TABLE users ADD COLUMN locked_until TIMESTAMP DEFAULT NULL",
]
ALTER_VEHICLES = [
    "ALTER TABLE residents ADD COLUMN car_numbers TEXT",
    "ALTER TABLE residents ADD COLUMN scooter_numbers TEXT",
]
ALTER_RECONCILIATION = [
    "ALTER TABLE ledger ADD COLUMN reconciliation_status TEXT DEFAULT 'Unreconciled'",
]


def schema_statements(shape: Shape) -> list[str]:
    """The DDL that produced a file of this shape, in the order it happened."""
    first = [RESIDENTS_13, LEDGER_13, USERS_4, SOCIETY, *LEDGER_INDEXES]
    login = [*ALTER_LOCKOUT, SESSIONS]
    bank = [*ALTER_RECONCILIATION, BANK_STATEMENTS, RECONCILIATION_HISTORY]
    latest = [
        RESIDENTS_LATEST,
        LEDGER_LATEST,
        USERS_LATEST,
        SOCIETY,
        *LEDGER_INDEXES,
        BANK_STATEMENTS,
        RECONCILIATION_HISTORY,
    ]
    return {
        Shape.EMPTY_FILE: [],
        Shape.FIRST_RELEASE: first,
        Shape.LOGIN_SECURITY: first + login,
        Shape.VEHICLES: first + login + ALTER_VEHICLES,
        Shape.BANK_RECONCILIATION: first + bank,
        Shape.MERGED_BY_HAND: first + bank + login + ALTER_VEHICLES,
        Shape.LATEST_CODE: [*latest, SESSIONS],
        Shape.LATEST_CODE_NO_SESSIONS: latest,
        Shape.PROTOTYPE: [
            PROTOTYPE_RESIDENTS,
            PROTOTYPE_LEDGER,
            USERS_4,
            SOCIETY,
            *PROTOTYPE_LEDGER_INDEXES,
        ],
    }[shape]


def build(
    path: Path | str,
    shape: Shape = Shape.MERGED_BY_HAND,
    *,
    residents: int = 40,
    ledger_rows: int = 300,
    app_tables: bool = True,
    seed: int = 7,
) -> Path:
    """Write a new file of ``shape`` at ``path`` with realistic made-up rows."""
    file = Path(path)
    file.unlink(missing_ok=True)
    file.touch()
    if shape is Shape.EMPTY_FILE:
        return file
    rng = random.Random(seed)
    conn = sqlite3.connect(file, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for statement in schema_statements(shape):
            conn.execute(statement)
        if app_tables:
            for create in APP_MODEL_TABLES.values():
                conn.execute(create)
        _fill(conn, rng, residents, ledger_rows)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return file


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type='table'")}


def flat_numbers(count: int) -> list[str]:
    """'101'-style flats for small societies, 'A101'-style wings for larger ones."""
    if count <= 40:
        return [f"{floor}{unit:02d}" for floor in range(1, 20) for unit in range(1, 5)][:count]
    return [
        f"{wing}{floor}{unit:02d}"
        for wing in "ABCDEFGH"
        for floor in range(1, 30)
        for unit in range(1, 9)
    ][:count]


LEDGER_ROW_COLUMNS = (
    "id",
    "transaction_id",
    "date",
    "flat_no",
    "transaction_type",
    "category",
    "description",
    "debit",
    "credit",
    "balance",
    "payment_mode",
    "entered_by",
    "created_at",
)
# The same rows as the prototype kept them (see _as_prototype).
PROTOTYPE_LEDGER_COLUMNS = [
    {"id": "txn_id", "transaction_type": "txn_type"}.get(c, c)
    for c in LEDGER_ROW_COLUMNS
    if c not in ("transaction_id", "created_at")
]
PROTOTYPE_LEDGER_COLUMNS.insert(PROTOTYPE_LEDGER_COLUMNS.index("entered_by"), "reference_no")


def _fill(conn: sqlite3.Connection, rng: random.Random, residents: int, ledger_rows: int) -> None:
    flats = flat_numbers(residents)
    vehicles = "car_numbers" in _columns(conn, "residents")
    for i, flat in enumerate(flats):
        row = {
            "flat_no": flat,
            "name": f"Sample Resident {i + 1}",
            "resident_type": rng.choice(["Owner", "Owner", "Tenant", "Vacant"]),
            "mobile_no": f"90000{i:05d}",
            "email": f"resident{i + 1}@example.invalid",
            "date_joining": f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-01",
            "cars": rng.randint(0, 2),
            "scooters": rng.randint(0, 2),
            "parking_slot": rng.choice(["", "", "None", f"P{i + 1}"]),
            "monthly_charges": rng.choice([500.0, 750.0, 1200.0]),
            "status": rng.choice(["Active", "Active", "Inactive"]),
            "remarks": "",
        }
        if vehicles:
            cars, scooters = row["cars"], row["scooters"]
            assert isinstance(cars, int) and isinstance(scooters, int)
            row["car_numbers"] = "\n".join(f"MH12AB{rng.randint(1000, 9999)}" for _ in range(cars))
            row["scooter_numbers"] = "\n".join(
                f"MH12XY{rng.randint(1000, 9999)}" for _ in range(scooters)
            )
        _insert(conn, "residents", row)
    ledger_cols = _columns(conn, "ledger")
    names = list(LEDGER_ROW_COLUMNS)
    if "reconciliation_status" in ledger_cols:
        names.append("reconciliation_status")
    rows = _ledger(rng, flats, ledger_rows, "reconciliation_status" in ledger_cols)
    if "txn_id" in ledger_cols:
        names, rows = PROTOTYPE_LEDGER_COLUMNS, map(_as_prototype, rows)
    conn.executemany(
        f"INSERT INTO ledger ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", rows
    )
    _fill_users(conn, rng)
    conn.execute(
        "INSERT INTO society (id, name, address, phone, email, bank_details) "
        "VALUES (1, ?, ?, ?, ?, ?)",
        (
            "Sample Co-operative Housing Society",
            "1 Example Road",
            "0200000000",
            "office@example.invalid",
            json.dumps({"bank": "Example Bank", "account_no": "000111222", "ifsc": "EXMP0000001"}),
        ),
    )
    tables = _tables(conn)
    if "bank_statements" in tables:
        _fill_bank(conn, rng, ledger_rows)
    if "sessions" in tables:
        conn.executemany(
            "INSERT INTO sessions VALUES (?, ?, ?, ?)",
            [
                ("s-1", "admin", "2025-01-05 10:00:00", "2025-01-05 18:00:00"),
                ("s-2", "removed_user", "2024-03-01 09:00:00", "2024-03-01 17:00:00"),  # orphan
            ],
        )
    if "transaction_reversals" in tables and ledger_rows:
        conn.execute(
            "INSERT INTO transaction_reversals (original_transaction_id, reversal_transaction_id, "
            "reason, reversed_by) VALUES ('TXN-001', 'TXN-R-001', 'Entered twice', 'admin')"
        )
    if "accounting_periods" in tables:
        conn.execute(
            "INSERT INTO accounting_periods (period_name, start_date, end_date, is_closed) "
            "VALUES ('FY 2024-25', '2024-04-01', '2025-03-31', 1)"
        )


def _ledger(rng: random.Random, flats: list[str], count: int, recon: bool) -> Iterator[tuple]:
    modes = ["Cash", "Bank Transfer", "Cheque", "Online Payment", "Other"]
    balance = 0.0
    ghosts = ["999", "Z901"]  # flats that have no resident row: old orphans
    for n in range(1, count + 1):
        kind = rng.choices(
            ["Payment", "Expense", "Payment Reversal", "Expense Reversal"], [70, 26, 2, 2]
        )[0]
        amount = float(rng.choice([500, 750, 1200, 2500, 15000]))
        credit = amount if kind in ("Payment", "Expense Reversal") else 0.0
        debit = amount if kind in ("Expense", "Payment Reversal") else 0.0
        balance += credit - debit
        if kind.startswith("Expense"):
            flat = None  # society-level rows
        elif n % 97 == 0:
            flat = rng.choice(ghosts)
        else:
            flat = rng.choice(flats) if flats else None
        year = 2019 + (n * 6) // max(count, 1)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        created = f"{date} {rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}:00"
        row = (
            n,
            f"TXN-{n:03d}",
            date,
            flat,
            kind,
            "Maintenance" if flat else "Utilities",
            f"{kind} entry {n}",
            debit,
            credit,
            balance,
            rng.choice(modes),
            "admin",
            created,
        )
        yield (*row, rng.choice(["Unreconciled", "Reconciled"])) if recon else row


def _as_prototype(row: tuple) -> tuple:
    """A released ledger row as the prototype kept it: no transaction_id or created_at."""
    n, _txn, date, flat, kind, category, description, debit, credit, balance, mode, by = row[:12]
    reference = f"CHQ{n:06d}" if mode in ("Cheque", "Bank Transfer") else None
    return (
        n * 2,
        date,
        flat,
        kind,
        category,
        description,
        debit,
        credit,
        balance,
        mode,
        reference,
        by,
    )  # ids with gaps: numbering must follow id order, not trust it


def _fill_users(conn: sqlite3.Connection, rng: random.Random) -> None:
    lockout = "failed_login_attempts" in _columns(conn, "users")
    users = [
        ("admin", hashlib.sha256(b"not-a-real-password").hexdigest(), "System Admin"),
        ("treasurer", b"$2b$12$" + bytes(rng.getrandbits(8) for _ in range(53)), "Treasurer"),
        ("secretary", b"$2b$12$" + bytes(rng.getrandbits(8) for _ in range(53)), "Admin"),
        ("auditor", hashlib.sha256(b"also-not-real").hexdigest(), "Viewer"),
    ]
    for i, (username, pw_hash, role) in enumerate(users, start=1):
        row: dict[str, object] = {
            "id": i,
            "username": username,
            "password_hash": pw_hash,
            "role": role,
        }
        if lockout:
            row["failed_login_attempts"] = 0 if i != 4 else 3
            row["locked_until"] = None if i != 4 else "2025-02-01 12:30:00"
        _insert(conn, "users", row)


def _fill_bank(conn: sqlite3.Connection, rng: random.Random, ledger_rows: int) -> None:
    rows = []
    for n in range(1, min(ledger_rows, 50) + 1):
        matched = n if n % 3 else None
        if n == 50:
            matched = ledger_rows + 1000  # points past the ledger: an old orphan
        rows.append(
            (
                f"2024-{(n % 12) + 1:02d}-10",
                f"NEFT {n}",
                float(rng.choice([500, -1200])),
                0.0,
                f"REF{n:05d}",
                "Reconciled" if matched else "Unreconciled",
                matched,
            )
        )
    conn.executemany(
        "INSERT INTO bank_statements (date, description, amount, balance, reference_number, "
        "reconciliation_status, matched_ledger_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute(
        "INSERT INTO reconciliation_history (user, period_start, period_end, matched_count, "
        "unmatched_ledger_count, unmatched_bank_count, notes) "
        "VALUES ('treasurer', '2024-04-01', '2024-04-30', 30, 4, 2, '')"
    )


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, object]) -> None:
    cols = ", ".join(row)
    marks = ", ".join("?" * len(row))
    conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()))


# --- Files numbered by the app's own, unpublished migration manager ----------
# Its numbering, from the reference's "Files versioned by the app's own,
# unpublished migration manager". Its 001 made the tables the app's start-up
# code made then (the first release with bank reconciliation); the rest:
APP_MANAGER_STEPS: dict[int, list[str]] = {
    1: [],  # initial schema
    2: [SESSIONS],
    3: ALTER_VEHICLES,
    4: ALTER_LOCKOUT,
    5: [],  # "parking columns": residents.parking_slot, there from the start
    6: [],  # a template file
    7: [],  # an example data migration
    8: [  # two files numbered 008; one adds the TOTP columns
        "ALTER TABLE users ADD COLUMN totp_secret TEXT",
        "ALTER TABLE users ADD COLUMN totp_enabled INTEGER DEFAULT 0",
    ],
    9: [],  # ledger timestamps moved to local time: a data change only
}


def build_numbered_by_app_manager(
    path: Path | str,
    number: int,
    *,
    residents: int = 40,
    ledger_rows: int = 300,
    seed: int = 7,
) -> Path:
    """A file the app's own manager brought to ``number`` (1..9) in its numbering.

    It has no history table of ours; its ``user_version`` says nothing about
    which of our migrations it has.
    """
    if not 1 <= number <= max(APP_MANAGER_STEPS):
        raise ValueError(f"the app's manager numbered files 1 to 9, not {number}")
    file = build(
        path, Shape.BANK_RECONCILIATION, residents=residents, ledger_rows=ledger_rows, seed=seed
    )
    conn = sqlite3.connect(file, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for step in range(1, number + 1):
            for statement in APP_MANAGER_STEPS[step]:
                conn.execute(statement)
        if number >= 9:  # its timestamp fix: UTC defaults rewritten as India's local time
            conn.execute("UPDATE ledger SET created_at = datetime(created_at, '+330 minutes')")
        conn.execute(f"PRAGMA user_version = {int(number)}")
        conn.execute("COMMIT")
    finally:
        conn.close()
    return file
