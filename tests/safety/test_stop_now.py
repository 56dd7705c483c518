"""Stop now means now: a migration busy in its own Python code is stopped and rolled back.

Ctrl+C and SIGTERM on the command line, and the window's "stop" (the cancel
token's interrupt, from another thread), stop a migration that loops or
sleeps in Python within a couple of seconds; it is rolled back and the
command line exits with 130.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from helpers.migration_files import SHIPPED_COUNT
from helpers.snapshot import assert_same_content, content, version

from core import api
from core.cancel import CancelToken
from core.errors import UpgradeCancelled
from core.events import Event, MigrationStarted

from .support import add_migration, child_env, cli_command, integrity

NEXT = SHIPPED_COUNT + 1
BUSY = {
    "loop": "n = 0\n    while True:\n        n += 1",
    "sleep": "time.sleep(600)",
    "swallowing": (
        "while True:\n        try:\n            time.sleep(0.2)\n"
        "        except Exception:\n            pass"
    ),
}
STOP_WITHIN = 5.0  # seconds, generous for a loaded machine; it takes well under one


def _busy_migration(folder: Path, how: str) -> None:
    add_migration(
        folder,
        f"{NEXT:03d}_recount_in_python.py",
        f'"""Recount in Python"""\n\nimport time\n\n\ndef upgrade(conn):\n'
        f'    conn.execute("CREATE TABLE recount (n INTEGER)")\n    {BUSY[how]}\n',
    )


@pytest.fixture
def at_latest(legacy_db: Path, migrations_dir: Path) -> Path:
    api.upgrade(legacy_db, migrations_dir=migrations_dir, backup=False)
    return legacy_db


@pytest.mark.slow
@pytest.mark.parametrize("how", ["loop", "sleep"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_stops_a_migration_busy_in_python(
    at_latest: Path, migrations_dir: Path, how: str, sig: signal.Signals
) -> None:
    _busy_migration(migrations_dir, how)
    before = content(at_latest)
    child = subprocess.Popen(
        cli_command("upgrade", at_latest, "--no-backup", "--migrations", migrations_dir),
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith(f"Applying migration {NEXT:03d}"):
            break
    asked = time.monotonic()
    child.send_signal(sig)
    try:
        out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    took = time.monotonic() - asked

    assert child.returncode == 130, f"exit {child.returncode}: {err[-300:]}"
    assert took < STOP_WITHIN, f"it took {took:.1f} s to stop"
    assert "Traceback" not in out + err
    assert "cancelled" in err and f"version {SHIPPED_COUNT}" in err
    assert version(at_latest) == SHIPPED_COUNT and integrity(at_latest) == "ok"
    assert_same_content(before, content(at_latest))


@pytest.mark.parametrize("how", ["loop", "swallowing"])
def test_stop_from_another_thread_breaks_into_a_busy_migration(
    at_latest: Path, migrations_dir: Path, how: str
) -> None:
    """What the window does when it is closed: the token's interrupt, from the GUI thread."""
    _busy_migration(migrations_dir, how)
    before = content(at_latest)
    cancel, started = CancelToken(), threading.Event()
    outcome: list[object] = []

    def hear(event: Event) -> None:
        if isinstance(event, MigrationStarted) and event.step.version == NEXT:
            started.set()

    def worker() -> None:
        try:
            outcome.append(
                api.upgrade(
                    at_latest,
                    migrations_dir=migrations_dir,
                    backup=False,
                    on_event=hear,
                    cancel=cancel,
                )
            )
        except Exception as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    assert started.wait(timeout=30), "the busy migration never started"
    asked = time.monotonic()
    cancel.cancel(interrupt=True)
    thread.join(timeout=STOP_WITHIN)

    assert not thread.is_alive(), "the migration kept running after stop now"
    assert time.monotonic() - asked < STOP_WITHIN
    (result,) = outcome
    assert isinstance(result, UpgradeCancelled), result
    assert version(at_latest) == SHIPPED_COUNT
    assert_same_content(before, content(at_latest))


def test_stop_asked_between_migrations_raises_nowhere_else(at_latest: Path) -> None:
    """Outside a migration's code the interrupt only sets the flag: the engine is not disturbed."""
    cancel = CancelToken()
    cancel.cancel(interrupt=True)  # no migration running: nothing is raised
    result = api.upgrade(at_latest, backup=False, cancel=cancel)
    assert result.to_version == SHIPPED_COUNT
