"""Add failed-login counting and account lockout to users

Files from the login-security stage already have these columns.
"""

from sqlite3 import Connection

from core.schema import add_column_if_missing


def upgrade(conn: Connection) -> None:
    add_column_if_missing(conn, "users", "failed_login_attempts", "INTEGER DEFAULT 0")
    add_column_if_missing(conn, "users", "locked_until", "TIMESTAMP DEFAULT NULL")
