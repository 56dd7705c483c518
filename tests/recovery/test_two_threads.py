"""Two threads of one program bring one file up to date at once: one waits, both succeed."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from helpers.migration_files import SHIPPED_COUNT
from helpers.snapshot import version

from core import api
from tests.safety.support import integrity

ROUNDS = 5


def _two_at_once(db: Path) -> list[object]:
    """``api.ensure_current(db)`` from two threads released together; what each returned."""
    start = threading.Barrier(2)
    results: list[object] = []

    def app_start() -> None:
        start.wait()
        try:
            results.append(api.ensure_current(db))
        except Exception as exc:  # handed to the test
            results.append(exc)

    threads = [threading.Thread(target=app_start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "an ensure_current never returned"
    return results


def test_two_threads_calling_ensure_current_both_succeed(legacy_db: Path, tmp_path: Path):
    failures: list[str] = []
    for round_ in range(ROUNDS):
        folder = tmp_path / f"round{round_}"
        folder.mkdir()
        db = shutil.copyfile(legacy_db, folder / "society.db")

        results = _two_at_once(db)

        failures += [f"round {round_}: {r}" for r in results if isinstance(r, Exception)]
        assert version(db) == SHIPPED_COUNT and integrity(db) == "ok"
        versions = [b.version for b in api.list_backups(db)]
        assert 0 in versions, "no backup of the file as it was"  # the other's: as it saw it
        assert all(v is not None and 0 <= v <= SHIPPED_COUNT for v in versions)
    assert failures == []
