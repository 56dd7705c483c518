"""The one table of what each state allows, checked once over every state on real files.

For each state a real file is made; every verb is tried on it and must go
ahead exactly when :data:`core.state.CAPABILITIES` says so, refusing with the
engine's error (and leaving the file as it was) otherwise.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.migration_files import SHIPPED_COUNT
from helpers.sql import run_sql

from core import api
from core.errors import DatabaseUnusable
from core.state import CAPABILITIES, Action, State
from samples.legacy import Shape, build


def society(db: Path) -> Path:
    return build(db, Shape.MERGED_BY_HAND, residents=5, ledger_rows=20)


def at_version(version: int) -> Callable[[Path], Path]:
    def make(db: Path) -> Path:
        return run_sql(society(db), f"PRAGMA user_version = {version}")

    return make


def upgraded_to(version: int, *then: str) -> Callable[[Path], Path]:
    """Brought to ``version`` by this tool (so with our history), then ``then`` run."""

    def make(db: Path) -> Path:
        api.upgrade(society(db), target=version, backup=False)
        return run_sql(db, *then) if then else db

    return make


def unix_socket(db: Path) -> Path:
    """A path that exists but can't be opened as a file, even by root."""
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(db))
    server.close()
    return db


MAKERS: dict[State, Callable[[Path], Path]] = {
    State.MISSING: lambda db: db,
    State.UNREADABLE: unix_socket,
    State.NOT_SQLITE: lambda db: db.write_bytes(b"just some notes\n" * 50) and db,
    State.CORRUPT: lambda db: db.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000) and db,
    State.NOT_SOCIETY: lambda db: run_sql(db, "CREATE TABLE bookmarks (url TEXT)"),
    State.LOCKED: society,  # and held: see held_if_locked
    State.NEW: lambda db: db.touch() or db,
    State.UNVERSIONED: society,
    State.PENDING: upgraded_to(2),
    State.UP_TO_DATE: upgraded_to(SHIPPED_COUNT),
    State.DIFFERS: upgraded_to(SHIPPED_COUNT, "DROP INDEX idx_ledger_date"),
    State.NUMBERED_ELSEWHERE: at_version(9),  # no history of ours: another tool's number
    State.TOO_NEW: upgraded_to(SHIPPED_COUNT, f"PRAGMA user_version = {SHIPPED_COUNT + 3}"),
    State.NOT_OURS: at_version(-1),
}


A = Action
SOCIETY_FILE = {A.UPGRADE, A.REHEARSE, A.BACK_UP, A.RESTORE_FROM, A.RESTORE_OVER, A.COPY_INTO}
EXPECTED = {
    State.MISSING: {A.RESTORE_OVER},
    State.UNREADABLE: {A.RESTORE_OVER},
    State.NOT_SQLITE: {A.RESTORE_OVER},
    State.CORRUPT: {A.RESTORE_OVER},
    State.NOT_SOCIETY: set(),
    State.LOCKED: set(),
    State.NEW: {A.UPGRADE, A.REHEARSE, A.RESTORE_OVER},
    State.UNVERSIONED: SOCIETY_FILE,
    State.PENDING: SOCIETY_FILE,
    State.UP_TO_DATE: SOCIETY_FILE,
    State.DIFFERS: SOCIETY_FILE,
    State.NUMBERED_ELSEWHERE: SOCIETY_FILE,
    State.TOO_NEW: {A.BACK_UP, A.RESTORE_OVER, A.COPY_INTO},
    State.NOT_OURS: {A.RESTORE_OVER},
}


def test_every_state_has_its_row_and_a_maker():
    assert set(CAPABILITIES) == set(State) == set(MAKERS)
    assert {state: set(allowed) for state, allowed in CAPABILITIES.items()} == EXPECTED


@contextmanager
def held_if_locked(db: Path, state: State) -> Iterator[None]:
    """For LOCKED, another connection holds the exclusive lock while the verbs run."""
    if state is not State.LOCKED:
        yield
        return
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def accepted(verb: Callable[[], object]) -> bool:
    try:
        verb()
    except DatabaseUnusable:
        return False
    return True


def good_backup(folder: Path) -> Path:
    folder.mkdir()
    return at_version(1)(folder / "good_backup.db")


@pytest.mark.parametrize("state", list(State), ids=str)
def test_each_verb_goes_ahead_exactly_when_the_state_allows_it(
    tmp_path: Path, state: State
) -> None:
    db = MAKERS[state](tmp_path / "society.db")
    source = good_backup(tmp_path / "elsewhere")
    with held_if_locked(db, state):
        found = api.status(db)
        assert found.state is state
        tried = {
            Action.BACK_UP: lambda: api.backup(db, out=tmp_path / "copy.db"),
            Action.REHEARSE: lambda: api.rehearse(db),
            Action.RESTORE_FROM: lambda: api.restore(db, tmp_path / "restored.db"),
            Action.UPGRADE: lambda: api.upgrade(db, backup=False, lock_timeout=0.2),
        }
        for action, verb in tried.items():
            assert accepted(verb) == state.allows(action), action
    target = MAKERS[state]((tmp_path / "over").mkdir() or tmp_path / "over" / "society.db")
    if state is State.UNREADABLE:  # a socket can't be kept aside, whatever the table
        return
    inode = target.stat().st_ino if target.exists() else None
    with held_if_locked(target, state):
        restored = accepted(lambda: api.restore(source, target))
    assert restored == state.allows(Action.RESTORE_OVER)
    if restored and inode is not None:  # written into under SQLite's locks, or replaced
        assert (target.stat().st_ino == inode) == state.allows(Action.COPY_INTO)


def test_a_status_offers_an_upgrade_only_with_pending_migrations_and_write_access(
    tmp_path: Path,
) -> None:
    found = api.status(upgraded_to(2)(tmp_path / "society.db"))
    assert found.can(Action.UPGRADE) and found.can(Action.REHEARSE)
    read_only = replace(found, writable=False)
    assert not read_only.can(Action.UPGRADE) and read_only.can(Action.REHEARSE)
    current = api.status(upgraded_to(SHIPPED_COUNT)(tmp_path / "current.db"))
    assert not current.can(Action.UPGRADE) and not current.can(Action.REHEARSE)
    assert current.state.allows(Action.UPGRADE)  # accepted: it says "nothing to do"
    # Another tool's number at the latest: nothing pending, but it is made ours.
    whole = upgraded_to(SHIPPED_COUNT, "DROP TABLE migration_history")
    elsewhere = api.status(whole(tmp_path / "elsewhere.db"))
    assert elsewhere.state is State.NUMBERED_ELSEWHERE and not elsewhere.pending
    assert elsewhere.can(Action.UPGRADE)
