"""The benchmark script keeps running (its numbers are read, never asserted)."""

from __future__ import annotations

import subprocess
import sys

from helpers.migration_files import SHIPPED_COUNT

from tests.conftest import ROOT


def test_benchmark_runs_on_a_small_file_and_prints_its_numbers() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "benchmark.py"),
            "--ledger-rows",
            "2000",
            "--residents",
            "50",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    for label in (
        "status (read-only look)",
        f"upgrade 0 -> {SHIPPED_COUNT}, no backup",
        "backup copied and verified",
        "peak memory",
    ):
        assert label in result.stdout
    assert result.stdout.count("    migration ") == SHIPPED_COUNT


def test_rebuild_benchmark_runs_on_a_small_file_and_prints_the_ratio() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "rebuild_benchmark.py"),
            "--ledger-rows",
            "2000",
            "--residents",
            "50",
            "--rounds",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    for label in ("hand-written 12-step rebuild", "the migration through the engine", "ratio"):
        assert label in result.stdout
