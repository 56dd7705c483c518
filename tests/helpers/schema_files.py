"""Files whose schema differs from what their version owns, for the schema-check tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core import api
from samples.legacy import LEDGER_LATEST, Shape, build, schema_statements


def run_sql(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def upgraded(path: Path, **options: int) -> Path:
    """The latest app schema with rows, upgraded (to ``target`` if given)."""
    db = build(path, Shape.LATEST_CODE, residents=10, ledger_rows=30)
    api.upgrade(db, backup=False, **options)
    return db


def text_debit_file(path: Path) -> Path:
    """The latest app schema, but ledger.debit declared TEXT: no migration changes types."""
    conn = sqlite3.connect(path)
    try:
        for statement in schema_statements(Shape.LATEST_CODE):
            if statement == LEDGER_LATEST:
                statement = statement.replace("debit REAL", "debit TEXT")
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
    return path
