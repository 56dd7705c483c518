"""``status`` classifies any path without writing; a file from a newer tool is refused."""

from __future__ import annotations

import json
import random
import sqlite3

import pytest
from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT

from core import api
from core.errors import (
    DatabaseCorrupt,
    DatabaseMissing,
    DatabaseTooNew,
    NotADatabase,
    NotASocietyDatabase,
)
from core.status import SQLITE_MAGIC, State
from samples.legacy import APP_MODEL_TABLES, Shape, build


def set_version(db, version: int) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute(f"PRAGMA user_version = {version}")
    finally:
        conn.close()


def other_apps_database(path):
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO bookmarks (url) VALUES ('https://example.invalid')")
        conn.commit()
    finally:
        conn.close()
    return path


def random_bytes_with_sqlite_header(path):
    rng = random.Random(3)
    path.write_bytes(SQLITE_MAGIC + bytes(rng.getrandbits(8) for _ in range(8192)))
    return path


def app_tables_only(path):
    """Only the tables the app's model classes make: no society schema to upgrade."""
    conn = sqlite3.connect(path)
    try:
        for create in APP_MODEL_TABLES.values():
            conn.execute(create)
        conn.commit()
    finally:
        conn.close()
    return path


UNUSABLE = {
    "missing_path": (lambda p: p / "nothing.db", State.MISSING, DatabaseMissing),
    "directory": (
        lambda p: (p / "folder.db").mkdir() or p / "folder.db",
        State.MISSING,
        DatabaseMissing,
    ),
    "text_file_named_db": (
        lambda p: (p / "notes.db").write_text("shopping list\n") and p / "notes.db",
        State.NOT_SQLITE,
        NotADatabase,
    ),
    "random_bytes_after_sqlite_header": (
        lambda p: random_bytes_with_sqlite_header(p / "garbage.db"),
        State.CORRUPT,
        DatabaseCorrupt,
    ),
    "another_apps_database": (
        lambda p: other_apps_database(p / "browser.db"),
        State.NOT_SOCIETY,
        NotASocietyDatabase,
    ),
    "app_model_tables_only": (
        lambda p: app_tables_only(p / "partial.db"),
        State.NOT_SOCIETY,
        NotASocietyDatabase,
    ),
}


@pytest.mark.parametrize(("make", "state", "error"), UNUSABLE.values(), ids=UNUSABLE.keys())
def test_unusable_paths_are_classified_and_refused_unchanged(tmp_path, make, state, error):
    path = make(tmp_path)
    before = path.read_bytes() if path.is_file() else None
    found = api.status(path)
    assert found.state is state
    assert found.migrations == () and not found.writable and found.summary
    with pytest.raises(error) as refused:
        api.upgrade(path)
    if state is State.MISSING:  # no file to speak of: say what is there instead
        assert "no file" in str(refused.value) or "folder" in str(refused.value)
    else:
        assert "not changed" in str(refused.value)
    if before is not None:
        assert path.read_bytes() == before
    assert not path.exists() or path.is_dir() or path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_a_zero_byte_file_is_a_new_database(tmp_path):
    found = api.status(build(tmp_path / "new.db", Shape.EMPTY_FILE))
    assert found.state is State.NEW and found.current_version == 0
    assert found.writable and len(found.pending) == SHIPPED_COUNT


def test_an_unversioned_field_file(legacy_db):
    found = api.status(legacy_db)
    assert found.state is State.UNVERSIONED and found.current_version == 0
    assert [m.status for m in found.migrations] == ["pending"] * SHIPPED_COUNT


def test_a_partially_upgraded_file_lists_applied_and_pending(legacy_db):
    api.upgrade(legacy_db, target=2, backup=False)
    found = api.status(legacy_db)
    assert found.state is State.PENDING and found.current_version == 2
    assert [m.status for m in found.migrations] == ["applied"] * 2 + ["pending"] * (
        SHIPPED_COUNT - 2
    )
    assert [m.applied_at is not None for m in found.migrations] == [True] * 2 + [False] * (
        SHIPPED_COUNT - 2
    )


def test_an_up_to_date_file(legacy_db):
    api.upgrade(legacy_db, backup=False)
    found = api.status(legacy_db)
    assert found.state is State.UP_TO_DATE and found.pending == ()
    assert found.current_version == found.latest_version == SHIPPED_COUNT


def test_status_output_is_plain_json_data(legacy_db):
    data = json.loads(json.dumps(api.status(legacy_db).to_json()))
    assert data["state"] == "unversioned" and data["current_version"] == 0
    assert {m["status"] for m in data["migrations"]} == {"pending"}


def test_status_never_writes(legacy_db):
    before = legacy_db.read_bytes()
    mtime = legacy_db.stat().st_mtime_ns
    for _ in range(3):
        api.status(legacy_db)
    assert legacy_db.read_bytes() == before and legacy_db.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in legacy_db.parent.iterdir()) == [legacy_db.name]


@pytest.mark.parametrize("shape", [Shape.MERGED_BY_HAND, Shape.FIRST_RELEASE], ids=str)
def test_a_file_from_a_newer_tool_is_refused_and_left_unchanged(tmp_path, shape):
    db = build(tmp_path / "society.db", shape, residents=10, ledger_rows=30)
    api.upgrade(db, backup=False)
    set_version(db, SHIPPED_COUNT + 3)
    before = db.read_bytes()

    found = api.status(db)
    assert found.state is State.TOO_NEW and found.current_version == SHIPPED_COUNT + 3
    with pytest.raises(DatabaseTooNew) as refused:
        api.upgrade(db)
    assert (refused.value.version, refused.value.latest) == (SHIPPED_COUNT + 3, SHIPPED_COUNT)
    assert "newer" in str(refused.value) and "not changed" in str(refused.value)
    assert db.read_bytes() == before
    assert not (tmp_path / "backups").exists()
    assert snapshot.version(db) == SHIPPED_COUNT + 3


FOREIGN_SCHEMAS = {
    "web_app_with_users_and_sessions": [
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, password_hash TEXT)",
        "CREATE TABLE sessions (session_id TEXT PRIMARY KEY, user_id INTEGER)",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT)",
    ],
    "accounting_app_with_its_own_ledger": [
        "CREATE TABLE ledger (id INTEGER PRIMARY KEY, account TEXT, amount REAL)",
        "CREATE TABLE society (id INTEGER PRIMARY KEY, name TEXT)",
    ],
}


@pytest.mark.parametrize("statements", FOREIGN_SCHEMAS.values(), ids=FOREIGN_SCHEMAS.keys())
def test_another_programs_tables_with_society_like_names_are_not_upgraded(tmp_path, statements):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    before = path.read_bytes()

    assert api.status(path).state is State.NOT_SOCIETY
    with pytest.raises(NotASocietyDatabase, match="not changed"):
        api.upgrade(path)
    assert path.read_bytes() == before
