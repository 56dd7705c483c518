"""The diagnostics zip: versions, the run log, the file's history and schema, never a row."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path

from core import api, diagnostics, runlog
from core.discovery import load_catalog
from core.version import HISTORY_TABLE


def is_timestamp(text: str) -> bool:
    """Rows made today carry today's time, as the zip's own lines do: no leak, the same clock."""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def row_values(db: Path) -> set[str]:
    """Every text value in the file's rows (our history table aside) that its schema lacks.

    Timestamps aside: a ledger row made a second ago has the run log's time.
    """
    conn = sqlite3.connect(db)
    try:
        schema = " ".join(r[0] or "" for r in conn.execute("SELECT sql FROM sqlite_master"))
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        values: set[str] = set()
        for table in tables:
            if table == HISTORY_TABLE or table.startswith("sqlite_"):
                continue
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    if len(text) >= 4 and text not in schema and not is_timestamp(text):
                        values.add(text)
        return values
    finally:
        conn.close()


def zip_text(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()}


def test_the_zip_holds_versions_log_history_and_schema_but_no_row_value(legacy_db, tmp_path):
    result = api.upgrade(legacy_db)  # a history, the latest schema
    runlog.append(runlog.RunRecord("upgrade", legacy_db, 0, result.to_version, None, "done"))
    values = row_values(legacy_db)
    assert any("@example.invalid" in v for v in values)  # the file does hold personal data
    assert any(v.startswith("Sample Resident") for v in values)

    out = diagnostics.save(
        tmp_path / "out" / "diagnostics.zip",
        database=legacy_db,
        catalog=load_catalog(),
        extra_versions={"Qt": "6.test"},
    )
    members = zip_text(out)
    assert set(members) == {"about.json", "runs.log", "database.json"}
    about = json.loads(members["about.json"])
    assert {"Society DB Migrator", "Python", "SQLite", "Qt"} <= set(about["versions"])
    assert about["latest_schema_version"] == load_catalog().latest
    facts = json.loads(members["database.json"])
    assert facts["current_version"] == facts["latest_version"] == load_catalog().latest
    assert [h["version"] for h in facts["history"]] == list(range(1, facts["latest_version"] + 1))
    assert any(s["name"] == "residents" and "flat_no" in s["sql"] for s in facts["schema"])
    assert str(legacy_db) in members["runs.log"]
    everything = "\n".join(members.values())
    leaked = sorted(v for v in values if v in everything)
    assert not leaked, f"row values in the zip: {leaked[:5]}"
    assert not list(out.parent.glob("*.part"))


def test_a_file_that_is_not_a_database_still_gives_a_zip(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("Resident Zyxqua Marvellous, 98765 01234", encoding="utf-8")
    out = diagnostics.save(tmp_path / "d.zip", database=notes, catalog=load_catalog())
    members = zip_text(out)
    assert json.loads(members["database.json"])["state"] == "not_sqlite"
    assert "Zyxqua" not in "".join(members.values())


def test_without_a_run_log_the_zip_says_so_with_an_empty_one(tmp_path):
    assert not runlog.log_path().exists()
    members = zip_text(diagnostics.save(tmp_path / "d.zip"))
    assert members["runs.log"] == ""
    assert "database.json" not in members
