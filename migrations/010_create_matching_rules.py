"""Create the bank-matching rules table

Rules the reconciliation screen applies to match bank lines with ledger rows,
highest ``priority`` first; ``conditions`` and ``actions`` hold JSON lists.
The app sets ``updated_at`` itself on every change; both times default to now
for a new rule. A table some install already has keeps its rows and gets only
the columns it lacks (SQLite can't give an added column a time default, so
there those columns start empty).
"""

from sqlite3 import Connection

from core.schema import ensure_table

MATCHING_RULES = {
    "id": "INTEGER PRIMARY KEY",
    "name": "TEXT",
    "description": "TEXT",
    "priority": "INTEGER",
    "conditions": "TEXT",
    "actions": "TEXT",
    "created_at": "TIMESTAMP DEFAULT CURRENT_TIMESTAMP",
    "updated_at": "TIMESTAMP DEFAULT CURRENT_TIMESTAMP",
}


def upgrade(conn: Connection) -> None:
    ensure_table(conn, "matching_rules", MATCHING_RULES)
