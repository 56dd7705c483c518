"""Crash safety: an upgrade killed with SIGKILL at any moment leaves a whole file.

One clean run of a seven-migration upgrade (four shipped, then a ledger
rebuild, a backfill over every row and an aggregate) is timed; then copies of
the same 20k-row file are upgraded in child processes killed at delays spread
across that run, and at the moments given lines appear on their output. After
every kill the file must pass ``integrity_check``, be at exactly one of the
versions with exactly that version's schema, hold every row it had, and a
re-run must finish the upgrade.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import snapshot

from core import api, marker
from core.status import UPGRADABLE

from .support import child_env, cli_command, copy_db, fingerprint, integrity, user_version

TIMED_KILLS = 16
MIN_KILL_POINTS = 30


@dataclass(frozen=True)
class Outcome:
    version: int  # the version the file was at after the kill
    alive: bool  # the child was still running when killed
    inside: bool  # killed inside a migration (the crash note was left)
    hot: bool  # a hot journal was left for SQLite to roll back


@dataclass
class Run:
    lines: list[tuple[float, str]]
    seconds: float
    returncode: int


def start(db: Path, migrations: Path) -> tuple[subprocess.Popen[str], float]:
    began = time.perf_counter()
    child = subprocess.Popen(
        cli_command("upgrade", db, "--no-backup", "--migrations", migrations),
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return child, began


def clean_run(db: Path, migrations: Path) -> Run:
    child, began = start(db, migrations)
    assert child.stdout is not None
    lines = [(time.perf_counter() - began, line.rstrip()) for line in child.stdout]
    child.wait(timeout=60)
    child.stdout.close()
    return Run(lines, time.perf_counter() - began, child.returncode)


def kill_after(db: Path, migrations: Path, delay: float) -> bool:
    """Kill the upgrade ``delay`` seconds after it starts; False if it had already finished."""
    child, began = start(db, migrations)
    time.sleep(max(0.0, delay - (time.perf_counter() - began)))
    alive = child.poll() is None
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    return alive


def kill_at_line(db: Path, migrations: Path, prefix: str, then: float = 0.0) -> bool:
    """Kill the upgrade as soon as (or ``then`` seconds after) a line starting so appears."""
    child, _ = start(db, migrations)
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith(prefix):
            if then:
                time.sleep(then)
            break
    else:
        child.wait(timeout=30)
        child.stdout.close()
        return False
    alive = child.poll() is None
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=30)
    return alive


def hot_journal(db: Path) -> bool:
    """A rollback journal SQLite must play back: killed after it was synced (during a commit)."""
    journal = db.with_name(db.name + "-journal")
    return journal.is_file() and journal.read_bytes()[:1] not in (b"", b"\x00")


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_a_whole_file_at_one_version(
    big_legacy: Path,
    heavy_migrations: Path,
    schema_at: dict[int, snapshot.LogicalSchema],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    latest = max(schema_at)
    original = fingerprint(big_legacy)

    timing = clean_run(copy_db(big_legacy, tmp_path / "timing.db"), heavy_migrations)
    assert timing.returncode == 0, "the clean run failed"
    assert user_version(tmp_path / "timing.db") == latest
    plan_at = next(t for t, line in timing.lines if line.startswith("The database is at version"))
    span = timing.seconds - plan_at
    delays = [plan_at + span * (i + 0.5) / TIMED_KILLS for i in range(TIMED_KILLS)]

    points: list[tuple[str, float | tuple[str, float]]] = [(f"after {d:.3f} s", d) for d in delays]
    for version in range(1, latest + 1):
        points.append((f"at start of {version:03d}", (f"Applying migration {version:03d}", 0.0)))
        points.append((f"after {version:03d}", (f"Applied migration {version:03d}", 0.0)))
    for version in (5, 6, 7):  # the heavy steps: also some way into them
        points.append((f"inside {version:03d}", (f"Applying migration {version:03d}", 0.02)))

    def trial(n: int, label: str, how: float | tuple[str, float]) -> Outcome:
        db = copy_db(big_legacy, tmp_path / f"kill{n}" / "society.db")
        if isinstance(how, float):
            alive = kill_after(db, heavy_migrations, how)
        else:
            alive = kill_at_line(db, heavy_migrations, *how)
        hot = hot_journal(db)

        found = api.status(db, heavy_migrations)  # the tool's first look after the crash
        assert found.state in UPGRADABLE, f"kill {label}: the file was classed {found.state}"
        assert integrity(db) == "ok", f"kill {label}: integrity_check failed"
        version = user_version(db)
        assert version == found.current_version
        assert version in schema_at, f"kill {label}: user_version {version} is not a version"
        differences = snapshot.logical_schema(db).differences(schema_at[version])
        assert differences == [], f"kill {label}: schema is not version {version}'s"
        assert fingerprint(db, original).keeps(original) == [], f"kill {label}: rows lost"
        note = marker.read(db)
        inside = note is not None and note.version > version
        if inside:  # killed inside a migration: the tool's look explains it
            assert found.interrupted is not None, f"kill {label}: the crash was not explained"
            assert "cut short" in found.summary
        else:  # killed between steps or after the last: nothing was rolled back to explain
            assert found.interrupted is None, f"kill {label}: a crash note that isn't true"

        result = api.upgrade(db, migrations_dir=heavy_migrations, backup=False)
        assert result.to_version == latest, f"kill {label}: the re-run did not finish"
        assert integrity(db) == "ok"
        assert snapshot.logical_schema(db).differences(schema_at[latest]) == []
        assert fingerprint(db, original).keeps(original) == [], f"kill {label}: re-run lost rows"
        assert api.status(db, heavy_migrations).interrupted is None
        db.unlink()
        return Outcome(version, alive, inside, hot)

    # Two at a time (CI has two cores); every assertion surfaces through result().
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(trial, n, label, how) for n, (label, how) in enumerate(points)]
        outcomes = [f.result() for f in futures]
    reached = Counter(o.version for o in outcomes)
    killed_alive = sum(o.alive for o in outcomes)

    with capsys.disabled():
        print(
            f"\n[crash safety] {len(points)} kill points tried ({killed_alive} killed mid-run, "
            f"{sum(o.inside for o in outcomes)} inside a migration, "
            f"{sum(o.hot for o in outcomes)} leaving a hot journal); "
            f"versions found after the kill: {dict(sorted(reached.items()))}; "
            f"clean run {timing.seconds:.2f} s"
        )
    assert len(points) >= MIN_KILL_POINTS
    # A kill timed by the clean run can come after a faster run ended: most must land.
    assert killed_alive >= 25, "too few kills landed while the upgrade was running"
    assert len(reached) >= 4, "the kills did not spread across the upgrade"
