"""Create the bank-matching rules table

Rules the reconciliation screen applies to match bank lines with ledger rows,
highest ``priority`` first; ``conditions`` and ``actions`` hold JSON lists.
The app sets ``updated_at`` itself on every change; both times default to now
for a new rule. A table some install already has keeps its rows and extra
columns and is brought to this definition (rebuilt if it lacks the time
defaults; rules that were there get NULL times, "not known").
"""

from sqlite3 import Connection

from core.converge import Column, Table, ensure_defined

MATCHING_RULES = Table(
    "matching_rules",
    columns=(
        Column("id", "INTEGER", primary_key=True),
        Column("name", "TEXT"),
        Column("description", "TEXT"),
        Column("priority", "INTEGER"),
        Column("conditions", "TEXT"),
        Column("actions", "TEXT"),
        Column("created_at", "TIMESTAMP", default="CURRENT_TIMESTAMP"),
        Column("updated_at", "TIMESTAMP", default="CURRENT_TIMESTAMP"),
    ),
)


def upgrade(conn: Connection) -> None:
    ensure_defined(conn, MATCHING_RULES)
