"""Restore replaces the right file, lists the right backups, and says what it replaces.

- Through a symbolic link, the file the link names is restored; the link stays.
- ``backups society.db`` lists exactly that database's backups: not
  ``society_old.db``'s, and ``soc[1].db`` finds its own (no glob patterns).
- Before replacing, both sides are said: version, when, residents and ledger rows.
- Another program's database is never replaced.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers.migration_files import SHIPPED_COUNT
from helpers.snapshot import assert_same_content, content, version

from core import api
from core.errors import NotASocietyDatabase
from core.events import Event
from samples.legacy import Shape, build
from tests.safety.support import run_cli


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(link, real file, backup): the app opens real/society.db, the person names the link."""
    folder = tmp_path / "real"
    folder.mkdir()
    real = build(folder / "society.db", Shape.MERGED_BY_HAND, residents=20, ledger_rows=50)
    backup = api.backup(real)
    api.upgrade(real, backup=False)
    link = tmp_path / "shortcut.db"
    link.symlink_to(real)
    return link, real, backup


def test_restore_through_a_link_restores_the_file_it_names(linked: tuple[Path, Path, Path]):
    link, real, backup = linked
    wanted = content(backup)

    result = api.restore(backup, link)

    assert link.is_symlink() and link.resolve() == real.resolve(), "the link was replaced"
    assert_same_content(wanted, content(real))
    assert version(real) == 0 and result.restored_version == 0
    assert result.replaced_kept_at is not None and version(result.replaced_kept_at) == SHIPPED_COUNT


def test_a_damaged_file_behind_a_link_is_replaced_and_its_own_journal_cleared(
    linked: tuple[Path, Path, Path],
):
    link, real, backup = linked
    real.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    stale = real.with_name(real.name + "-journal")
    stale.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\x00" * 500)  # not ours to play

    result = api.restore(backup, link)

    assert link.is_symlink() and link.resolve() == real.resolve(), "the link was replaced"
    assert version(real) == 0 and api.status(real).state == "unversioned"
    assert not stale.exists(), "the damaged file's journal was left beside it"
    assert result.replaced_kept_at is not None
    assert result.replaced_kept_at.read_bytes()[:16] == b"SQLite format 3\x00"


def _backup_of(db: Path) -> Path:
    if not db.exists():
        build(db, Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    return api.backup(db)


def test_each_database_lists_exactly_its_own_backups(tmp_path: Path):
    society, old, brackets = (tmp_path / n for n in ("society.db", "society_old.db", "soc[1].db"))
    own = {_backup_of(society), _backup_of(society)}
    api.upgrade(society)  # and the one an upgrade takes
    own |= {p for p in (tmp_path / "backups").iterdir() if p not in own}
    others = {_backup_of(old)}
    bracketed = {_backup_of(brackets)}
    (tmp_path / "backups" / "society_notes.db").write_bytes(b"someone else's")
    assert len(own) == 3

    assert {b.path for b in api.list_backups(society)} == own
    assert {b.path for b in api.list_backups(old)} == others
    assert {b.path for b in api.list_backups(brackets)} == bracketed

    listed = run_cli("backups", society)
    assert listed.returncode == 0
    assert all(p.name in listed.stdout for p in own)
    assert "society_old" not in listed.stdout and "society_notes" not in listed.stdout


def test_before_replacing_both_sides_are_said(legacy_db: Path):
    backup = api.backup(legacy_db)
    api.upgrade(legacy_db, backup=False)
    conn = sqlite3.connect(legacy_db)
    with conn:
        conn.execute("INSERT INTO ledger (transaction_id) VALUES ('ONE-MORE')")
    conn.close()
    said: list[str] = []

    def hear(event: Event) -> None:
        said.append(event.text)

    api.restore(backup, legacy_db, on_event=hear)
    result = run_cli("restore", api.backup(legacy_db), legacy_db)

    (both,) = [s for s in said if s.startswith("Restoring ")]
    assert f"{backup.name}: version 0, last changed" in both
    assert f"society.db: version {SHIPPED_COUNT}, last changed" in both
    assert "30 residents, 200 ledger rows" in both  # the backup
    assert "30 residents, 201 ledger rows" in both  # the file it replaces
    assert result.returncode == 0, result.stderr
    assert "in place of society.db: version 0" in result.stdout  # the command line says it too


def test_another_programs_database_is_never_replaced(legacy_db: Path, tmp_path: Path):
    backup = api.backup(legacy_db)
    places = tmp_path / "places.sqlite"
    conn = sqlite3.connect(places)
    with conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.close()
    before = _sha(places)
    listing = sorted(p.name for p in backup.parent.iterdir())

    with pytest.raises(NotASocietyDatabase, match="not changed"):
        api.restore(backup, places)
    result = run_cli("restore", backup, places)

    assert result.returncode == 2 and "some other program" in result.stderr
    assert _sha(places) == before
    assert sorted(p.name for p in backup.parent.iterdir()) == listing


def test_a_copy_kept_aside_is_named_for_the_file_it_replaces(linked: tuple[Path, Path, Path]):
    link, real, backup = linked
    result = api.restore(backup, link)
    assert result.replaced_kept_at is not None
    assert result.replaced_kept_at.name.startswith(f"society_v{SHIPPED_COUNT}_replaced_")
    assert result.replaced_kept_at in {b.path for b in api.list_backups(real)}
    shutil.rmtree(real.parent / "backups")
