"""After an upgrade, every file has what the newest Society app reads and writes.

:data:`NEWEST_APP_NEEDS` is a fact, written down once from the app's public
source (its ``main`` branch, September 2025: ``models/``,
``utils/audit_logger.py``, ``gui/login_dialog.py``,
``gui/user_profile_dialog.py``, ``database.py``): the tables its SQL names and
the columns it selects, inserts or updates in each. It is data, not the app's
code. ``transaction_reversals`` and ``accounting_periods`` are left out: the
app's model classes create those themselves.

Every starting point (see ``helpers/starting_points.py``) is upgraded and
then checked: each table and column is there, a row naming every needed
column can be written and read back, and the defaults the app leans on hold.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import snapshot, starting_points
from helpers.starting_points import DRIFTS, STARTING_POINTS

from core import api
from samples.testing import compare_with_latest

NEWEST_APP_NEEDS: dict[str, tuple[str, ...]] = {
    "residents": (
        "id", "flat_no", "name", "resident_type", "mobile_no", "email", "date_joining",
        "cars", "scooters", "parking_slot", "car_numbers", "scooter_numbers",
        "monthly_charges", "status", "remarks", "profile_photo_path", "vacancy_reason",
        "expected_occupancy_date", "last_maintenance_date", "maintenance_person_name",
        "maintenance_person_phone",
    ),
    "ledger": (
        "id", "transaction_id", "date", "flat_no", "transaction_type", "category",
        "description", "debit", "credit", "balance", "payment_mode", "entered_by",
        "created_at", "reconciliation_status",
    ),
    "users": (
        "id", "username", "password_hash", "role", "failed_login_attempts", "locked_until",
        "totp_secret", "totp_enabled",
    ),
    "society": ("id", "name", "address", "phone", "email", "bank_details"),
    "bank_statements": (
        "id", "date", "description", "amount", "balance", "reference_number", "import_date",
        "reconciliation_status", "matched_ledger_id",
    ),
    "reconciliation_history": (
        "id", "reconciliation_date", "user", "period_start", "period_end", "matched_count",
        "unmatched_ledger_count", "unmatched_bank_count", "notes",
    ),
    "sessions": ("session_id", "username", "created_at", "expires_at"),
    "audit_log": (
        "id", "timestamp", "user_id", "username", "action", "table_name", "record_id",
        "old_values", "new_values", "details", "ip_address", "session_id",
    ),
    "vehicles": (
        "id", "resident_id", "vehicle_type", "registration_number", "make", "model", "color",
        "parking_slot", "status",
    ),
    "domestic_help": (
        "id", "resident_id", "name", "role", "phone", "id_proof_type", "id_proof_number",
        "photo_path", "status", "access_permissions",
    ),
    "matching_rules": (
        "id", "name", "description", "priority", "conditions", "actions", "updated_at",
    ),
}  # fmt: skip
# What the app leaves to the schema when it inserts a row without naming the column.
DEFAULTS_IT_RELIES_ON = {
    ("vehicles", "status"): "Active",
    ("domestic_help", "status"): "Active",
}
KEYS = {"id", "session_id"}


def upgraded(tmp_path: Path, name: str) -> Path:
    db = STARTING_POINTS[name](tmp_path / "society.db")
    api.upgrade(db, backup=False)
    return db


@pytest.mark.parametrize("name", starting_points.params())
def test_every_table_and_column_the_app_uses_is_there(tmp_path, name):
    db = upgraded(tmp_path, name)
    have = {t.lower(): {c.lower() for c in cols} for t, cols in snapshot.columns_of(db).items()}
    missing = {
        table: sorted(set(needed) - have.get(table, set()))
        for table, needed in NEWEST_APP_NEEDS.items()
        if set(needed) - have.get(table, set())
    }
    assert missing == {}


@pytest.mark.parametrize("name", starting_points.params())
def test_a_row_naming_every_column_can_be_written_and_read_back(tmp_path, name):
    db = upgraded(tmp_path, name)
    conn = sqlite3.connect(db)
    try:
        for table, needed in NEWEST_APP_NEEDS.items():
            written = [c for c in needed if c not in KEYS]
            values = [f"v-{i}" for i in range(len(written))]
            if table == "sessions":  # the app's own key; the others are rowids
                written, values = ["session_id", *written], ["s-new", *values]
            marks = ", ".join("?" * len(written))
            cursor = conn.execute(
                f'INSERT INTO "{table}" ({", ".join(written)}) VALUES ({marks})', values
            )
            back = conn.execute(
                f'SELECT {", ".join(written)} FROM "{table}" WHERE rowid = ?', (cursor.lastrowid,)
            ).fetchone()
            assert list(back) == values, table
        conn.rollback()
    finally:
        conn.close()


@pytest.mark.parametrize("name", starting_points.params(settled_only=True))
def test_the_defaults_the_app_leans_on(tmp_path, name):
    db = upgraded(tmp_path, name)
    conn = sqlite3.connect(db)
    try:
        for (table, column), expected in DEFAULTS_IT_RELIES_ON.items():
            rowid = conn.execute(f'INSERT INTO "{table}" (resident_id) VALUES (1)').lastrowid
            got = conn.execute(f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rowid,))
            assert got.fetchone()[0] == expected, (table, column)
        # Every user who never set up two-step login is off (the app reads NULL as off too).
        enabled = conn.execute("SELECT COUNT(*) FROM users WHERE totp_enabled = 1").fetchone()[0]
        assert enabled == (1 if name == "two_factor_by_the_apps_manager" else 0)
        conn.rollback()
    finally:
        conn.close()


@pytest.mark.parametrize("name", starting_points.params())
def test_check_finds_nothing_the_latest_version_lacks(tmp_path, name):
    """Extras (hand-made columns and tables) are listed apart and are fine."""
    assert compare_with_latest(upgraded(tmp_path, name)).differences == ()


def test_a_new_file_gets_rule_times_and_login_off_by_default(tmp_path):
    """On a file the migrations created, a new rule and a new user need no times or flags."""
    db = upgraded(tmp_path, "empty_file")
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO users (username, role) VALUES ('sysadmin', 'System Admin')")
        conn.execute("INSERT INTO matching_rules (name, priority) VALUES ('Exact', 75)")
        assert conn.execute("SELECT totp_enabled, totp_secret FROM users").fetchone() == (0, None)
        created, updated = conn.execute(
            "SELECT created_at, updated_at FROM matching_rules"
        ).fetchone()
        assert created and updated and created[:2] == "20"
    finally:
        conn.close()


@pytest.mark.parametrize("name", list(DRIFTS))
def test_what_an_install_already_had_is_kept_with_its_values(tmp_path, name):
    db = STARTING_POINTS[name](tmp_path / "society.db")
    before_columns = snapshot.columns_of(db)
    before_rows = snapshot.all_rows(db)
    api.upgrade(db, backup=False)
    after = {t: snapshot.rows(db, t, cols) for t, cols in before_columns.items()}
    snapshot.assert_same_rows(before_rows, after)


def test_a_table_an_install_made_without_links_or_times_is_brought_to_the_definition(tmp_path):
    """What ALTER TABLE can't add (a foreign key, a time default) comes by a rebuild."""
    for name in ("vehicles_partly_with_extras", "matching_rules_without_times"):
        STARTING_POINTS[name](tmp_path / f"{name}.db")
        api.upgrade(tmp_path / f"{name}.db", backup=False)
    conn = sqlite3.connect(tmp_path / "vehicles_partly_with_extras.db")
    try:
        links = conn.execute("PRAGMA foreign_key_list(vehicles)").fetchall()
        assert [(r[2], r[3], r[4]) for r in links] == [("residents", "resident_id", "id")]
        assert conn.execute("SELECT sticker_no, status FROM vehicles").fetchall() == [
            ("S-17", "Active")
        ]
    finally:
        conn.close()
    conn = sqlite3.connect(tmp_path / "matching_rules_without_times.db")
    try:
        old = conn.execute("SELECT created_at, updated_at FROM matching_rules").fetchone()
        assert old == (None, None)  # not known, rather than the moment of the upgrade
        conn.execute("INSERT INTO matching_rules (name, priority) VALUES ('New', 50)")
        new = conn.execute("SELECT created_at, updated_at FROM matching_rules WHERE name = 'New'")
        assert all(new.fetchone())
    finally:
        conn.close()
