"""Add two-step login (authenticator codes) to users

``totp_secret`` holds the base32 secret (NULL until set up); ``totp_enabled``
is 0 or 1 and starts at 0 for every existing user, so nobody is asked for a
code they never set up. Installs whose own migration manager added these keep
them as they are.
"""

from sqlite3 import Connection

from core.schema import add_column_if_missing


def upgrade(conn: Connection) -> None:
    add_column_if_missing(conn, "users", "totp_secret", "TEXT")
    add_column_if_missing(conn, "users", "totp_enabled", "INTEGER DEFAULT 0")
