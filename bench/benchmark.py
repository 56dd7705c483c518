"""Benchmark: status and upgrade on a large society file, with numbers.

Run: ``.venv/bin/python bench/benchmark.py [--ledger-rows 1000000]``. Prints
how long each step takes and the peak memory, next to the cost of what the
engine avoids (a whole-file ``PRAGMA foreign_key_check`` per migration).
Timings are for reading, not for asserting: no test fails on them.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import api
from core.events import BackupDone, Event, MigrationApplied
from samples.legacy import Shape, build


def timed(label: str, fn, results: dict[str, float]):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - began
    return value


def peak_mb() -> float:
    """This process's peak resident memory.

    Linux's ``ru_maxrss`` keeps the parent's peak across ``exec``, so read the
    per-process high-water mark (VmHWM) where it exists.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / 1_048_576


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger-rows", type=int, default=1_000_000)
    parser.add_argument("--residents", type=int, default=2000)
    args = parser.parse_args(argv)
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="society-bench-") as folder:
        source = Path(folder) / "source.db"
        timed(
            "build fixture",
            lambda: build(
                source, Shape.MERGED_BY_HAND, residents=args.residents, ledger_rows=args.ledger_rows
            ),
            results,
        )
        size_mb = source.stat().st_size / 1_048_576
        db = Path(folder) / "society.db"

        shutil.copy(source, db)
        timed("status (read-only look)", lambda: api.status(db), results)
        latest = api.status(db).latest_version

        steps: list[MigrationApplied] = []
        backup_seconds: list[float] = []

        def on_event(event: Event) -> None:
            if isinstance(event, MigrationApplied):
                steps.append(event)
            if isinstance(event, BackupDone):
                backup_seconds.append(event.seconds)

        timed(
            f"upgrade 0 -> {latest}, no backup",
            lambda: api.upgrade(db, backup=False, on_event=on_event),
            results,
        )
        timed("status after upgrade", lambda: api.status(db), results)

        shutil.copy(source, db)
        timed(
            f"upgrade 0 -> {latest}, with verified backup",
            lambda: api.upgrade(db, on_event=on_event),
            results,
        )
        results["  of which: backup copied and verified"] = sum(backup_seconds)

        conn = sqlite3.connect(db)
        timed(
            "one whole-file foreign_key_check (avoided per step)",
            lambda: conn.execute("PRAGMA foreign_key_check").fetchall(),
            results,
        )
        conn.close()

    print(f"File: {args.ledger_rows:,} ledger rows, {args.residents:,} residents, {size_mb:.1f} MB")
    for label, seconds in results.items():
        print(f"  {label:<55} {seconds * 1000:>10.1f} ms")
    for step in steps[: len(steps) // 2]:  # the run without backup
        print(
            f"    migration {step.step.version:03d} ({step.step.description[:40]})"
            f"{step.seconds * 1000:>12.1f} ms"
        )
    print(f"  peak memory (max RSS of this process)                   {peak_mb():>10.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
