"""Create the login sessions table

Defined exactly as the app's login screen creates it (no defaults), so a file
where the app already made it is left as it is.
"""

from sqlite3 import Connection

SESSIONS = """
    CREATE TABLE IF NOT EXISTS sessions (
        session_id TEXT PRIMARY KEY,
        username TEXT,
        created_at TIMESTAMP,
        expires_at TIMESTAMP,
        FOREIGN KEY (username) REFERENCES users (username)
    )"""


def upgrade(conn: Connection) -> None:
    conn.execute(SESSIONS)
