"""One zip a society can send to whoever supports them, with no resident's data in it.

It holds the run log, the versions of everything involved, and, for the open
file, its state, its version, its migration history and its schema: the
``CREATE`` statements, never a row. The history table is the engine's own
(versions, names, checksums, dates), so it is copied whole.
"""

from __future__ import annotations

import json
import platform
import sqlite3
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from core import runlog
from core.connection import open_readonly
from core.discovery import Catalog
from core.status import DatabaseStatus, inspect_database
from core.version import TOOL_VERSION, read_history


def versions(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The tool's, Python's and SQLite's versions (the window adds Qt's)."""
    return {
        "Society DB Migrator": TOOL_VERSION,
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "System": platform.platform(),
        "Standalone build": "yes" if getattr(sys, "frozen", False) else "no",
        **(extra or {}),
    }


def database_facts(path: Path, catalog: Catalog) -> dict[str, Any]:
    """State, version, history and schema of ``path``; only what the engine itself wrote."""
    status: DatabaseStatus = inspect_database(path, catalog)
    facts: dict[str, Any] = {
        "file": str(path),
        "state": status.state.value,
        "summary": status.summary,
        "current_version": status.current_version,
        "latest_version": status.latest_version,
        "migrations": [
            {"version": m.version, "name": m.name, "status": m.status} for m in status.migrations
        ],
    }
    if status.state.value in ("missing", "unreadable", "not_sqlite", "corrupt", "locked"):
        return facts
    try:
        conn = open_readonly(path)
        try:
            facts["history"] = [vars(row) for row in read_history(conn).values()]
            facts["schema"] = [
                {"type": kind, "name": name, "table": table, "sql": sql}
                for kind, name, table, sql in conn.execute(
                    "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
                )
            ]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        facts["schema_error"] = type(exc).__name__
    return facts


def save(
    out: Path,
    *,
    database: Path | None = None,
    catalog: Catalog | None = None,
    extra_versions: dict[str, str] | None = None,
    log: Path | None = None,
) -> Path:
    """Write the zip to ``out`` and return it; raises ``OSError`` if it can't be written."""
    log_file = log or runlog.log_path()
    about = {
        "made_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "versions": versions(extra_versions),
        "run_log": str(log_file),
        "migrations_folder": str(catalog.directory) if catalog else None,
        "latest_schema_version": catalog.latest if catalog else None,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("about.json", json.dumps(about, indent=2))
            if log_file.is_file():
                zf.write(log_file, runlog.LOG_NAME)
            else:
                zf.writestr(runlog.LOG_NAME, "")
            if database is not None and catalog is not None:
                facts = database_facts(database, catalog)
                zf.writestr("database.json", json.dumps(facts, indent=2, default=str))
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return out
