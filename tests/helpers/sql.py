"""Set a test file up with plain SQL, outside the engine (triggers, versions, locks)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def run_sql(db: Path, *statements: str) -> Path:
    """Run ``statements`` in autocommit mode on ``db``; returns ``db``."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()
    return db
