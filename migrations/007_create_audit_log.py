"""Create the audit log that records logins and changes

The newest app writes a row here on every login attempt (so without the table
nobody can log in) and on every change to residents, vehicles, domestic help
and payments. ``timestamp`` is local time written by the app; ``user_id`` is
-1 for an unknown user; ``old_values``/``new_values`` hold JSON. The app lists
the log newest first, by user and by action, hence the indexes. A table some
install already has keeps its rows and extra columns and is brought to this
definition (rebuilt if, say, the app's lost migration gave it AUTOINCREMENT).
"""

from sqlite3 import Connection

from core.converge import Column, Table, ensure_defined
from core.schema import create_index_if_missing

AUDIT_LOG = Table(
    "audit_log",
    columns=(
        Column("id", "INTEGER", primary_key=True),
        Column("timestamp", "TIMESTAMP"),
        Column("user_id", "INTEGER"),
        Column("username", "TEXT"),
        Column("action", "TEXT"),
        Column("table_name", "TEXT"),
        Column("record_id", "INTEGER"),
        Column("old_values", "TEXT"),
        Column("new_values", "TEXT"),
        Column("details", "TEXT"),
        Column("ip_address", "TEXT"),
        Column("session_id", "TEXT"),
    ),
)
INDEXES = {
    "idx_audit_log_timestamp": "timestamp",
    "idx_audit_log_user": "user_id",
    "idx_audit_log_action": "action",
}


def upgrade(conn: Connection) -> None:
    ensure_defined(conn, AUDIT_LOG)
    for index, column in INDEXES.items():
        create_index_if_missing(conn, index, "audit_log", [column])
