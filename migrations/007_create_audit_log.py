"""Create the audit log that records logins and changes

The newest app writes a row here on every login attempt (so without the table
nobody can log in) and on every change to residents, vehicles, domestic help
and payments. ``timestamp`` is local time written by the app; ``user_id`` is
-1 for an unknown user; ``old_values``/``new_values`` hold JSON. The app lists
the log newest first, by user and by action, hence the indexes. A table some
install already has keeps its rows and gets only the columns it lacks.
"""

from sqlite3 import Connection

from core.schema import create_index_if_missing, ensure_table

AUDIT_LOG = {
    "id": "INTEGER PRIMARY KEY",
    "timestamp": "TIMESTAMP",
    "user_id": "INTEGER",
    "username": "TEXT",
    "action": "TEXT",
    "table_name": "TEXT",
    "record_id": "INTEGER",
    "old_values": "TEXT",
    "new_values": "TEXT",
    "details": "TEXT",
    "ip_address": "TEXT",
    "session_id": "TEXT",
}
INDEXES = {
    "idx_audit_log_timestamp": "timestamp",
    "idx_audit_log_user": "user_id",
    "idx_audit_log_action": "action",
}


def upgrade(conn: Connection) -> None:
    ensure_table(conn, "audit_log", AUDIT_LOG)
    for index, column in INDEXES.items():
        create_index_if_missing(conn, index, "audit_log", [column])
