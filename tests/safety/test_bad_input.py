"""Hostile and broken files: each gets a short, clear refusal and stays byte-for-byte as it was.

``python main.py status`` and ``upgrade`` run in child processes on every file
of the corpus (see ``corpus.py``); after each, the whole corpus folder must be
unchanged (no journal, no backups folder, no crash note left behind).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.migration_files import SHIPPED_COUNT

from .corpus import CASES, VALID, Case, build_corpus
from .support import assert_clean_refusal, folder_state, integrity, run_cli, user_version


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("corpus") / "hostile files")


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("command", ["status", "upgrade"])
def test_a_bad_file_is_refused_clearly_and_left_unchanged(corpus: Path, case: Case, command: str):
    before = folder_state(corpus)
    result = run_cli(command, corpus / case.name)
    code = case.status_code if command == "status" else case.upgrade_code
    message = assert_clean_refusal(result, code)
    assert case.says in message.lower(), f"the message does not say {case.says!r}"
    assert "sqlite3." not in message and "Error:" not in message, "an internal error leaked out"
    assert folder_state(corpus) == before, "the corpus folder changed"


@pytest.mark.slow
@pytest.mark.parametrize("name", VALID)
def test_a_valid_file_under_an_awkward_name_upgrades(corpus: Path, tmp_path: Path, name: str):
    db = tmp_path / name
    shutil.copyfile(corpus / name, db)

    status = run_cli("status", db)
    assert status.returncode == 0 and "Traceback" not in status.stdout + status.stderr
    assert f"{SHIPPED_COUNT} migrations pending" in status.stdout
    upgrade = run_cli("upgrade", db)

    assert upgrade.returncode == 0, upgrade.stderr[-300:]
    assert "Traceback" not in upgrade.stdout + upgrade.stderr
    assert user_version(db) == SHIPPED_COUNT and integrity(db) == "ok"
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.name.startswith(Path(name).stem + "_v0_"), "the backup's name hides its origin"
    assert f"Backup: {backup}" in upgrade.stdout
    assert user_version(backup) == 0 and integrity(backup) == "ok"


@pytest.mark.slow
def test_a_zero_byte_file_is_a_new_database_status_leaves_it_upgrade_sets_it_up(tmp_path: Path):
    db = tmp_path / "new society ñ.db"
    db.touch()
    status = run_cli("status", db)
    assert status.returncode == 0 and "empty database" in status.stdout.lower()
    assert db.stat().st_size == 0, "status wrote to the empty file"

    upgrade = run_cli("upgrade", db)  # on the command line, upgrade is the request to set it up
    assert upgrade.returncode == 0 and "Traceback" not in upgrade.stdout + upgrade.stderr
    assert user_version(db) == SHIPPED_COUNT and integrity(db) == "ok"
