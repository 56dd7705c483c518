"""A new migration file: the next number, its docstring, the helpers as comments.

``main.py new "add index on residents status"`` writes
``NNN_add_index_on_residents_status.py`` right after the last migration. The
file runs as it is (a no-op), so a developer can see it applied, then fill in.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.discovery import load_catalog
from core.errors import CatalogError, CatalogProblem

TEMPLATE = '''"""{description}

Anything after the first line is for developers: why this change, and which
files in the field it meets. The first line is what staff see in the window.
"""

from sqlite3 import Connection

# State intent with the helpers; each refuses, by name, a table or column that
# isn't there, and always quotes identifiers:
#   from core.schema import add_column_if_missing, create_index_if_missing
#   add_column_if_missing(conn, "residents", "alt_mobile_no", "TEXT")
#   create_index_if_missing(conn, "idx_residents_status", "residents", ["status"])
#
# What ALTER TABLE can't do (a type, default, NOT NULL or CHECK change, a
# dropped column, a new foreign key) is a table rebuild. Rows are copied inside
# SQLite; indexes, triggers, AUTOINCREMENT and unknown columns are kept:
#   from core.rebuild import Column, changed, rebuild
#   rebuild(conn, changed(conn, "ledger",
#       Column("debit", "INTEGER", default="0", value="round(debit * 100)")))
#
# Never commit, BEGIN or set user_version: the engine does, all or nothing.
# Test it on every realistic starting point with
# samples.testing.upgrade_every_starting_point.


def upgrade(conn: Connection) -> None:
    pass
'''


def file_name(version: int, description: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "_", description.lower()).strip("_")
    if not words:
        raise ValueError("Describe the migration in a few words, for example: add vehicle colour")
    return f"{version:03d}_{words[:60].rstrip('_')}.py"


def first_line(description: str) -> str:
    """One line for staff: no quotes or backslashes that could end the docstring."""
    text = " ".join(description.replace("\\", " ").replace('"', "'").split())
    return text[:1].upper() + text[1:]


def new_migration(folder: Path, description: str) -> Path:
    """Write the next-numbered migration in ``folder``; refuses a malformed folder."""
    catalog = load_catalog(folder)  # names a duplicate, a gap or a broken file
    path = folder / file_name(catalog.latest + 1, description)
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(TEMPLATE.format(description=first_line(description)))
    except OSError as exc:
        raise CatalogError(path, CatalogProblem.CANT_WRITE, detail=str(exc)) from exc
    return path
