"""Kill the CLI at its N-th file-system call under a folder: a kill at a chosen moment.

The child installs an audit hook (``sys.addaudithook``) before running
``main.py``; every Python-level ``open``, rename, link, remove, chmod and
``sqlite3.connect`` of a path under the watched folder counts as one point,
and at point N the process sends itself SIGKILL, with nothing flushed or
cleaned up. ``count_points`` runs it once to learn how many points there are.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .support import MAIN, child_env

CHILD = r"""
import os, runpy, signal, sys
kill_at, watch = int(sys.argv[1]), sys.argv[2]
EVENTS = {"open", "os.rename", "os.link", "os.remove", "os.chmod", "os.rmdir", "os.mkdir",
          "shutil.rmtree", "sqlite3.connect", "tempfile.mkdtemp"}
seen = 0

def under(arg):
    try:
        return os.fsdecode(arg).startswith(watch)
    except TypeError:
        return False

def hook(event, args):
    global seen
    if event in EVENTS and any(under(a) for a in args[:2]):
        seen += 1
        if seen == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

sys.addaudithook(hook)
sys.argv = [sys.argv[3], *sys.argv[4:]]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    print(f"KILL POINTS {seen}", file=sys.stderr, flush=True)
"""

POINTS = "KILL POINTS "


def run_killed_at(
    n: int, watch: Path, *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``main.py ARGS``, killed at its ``n``-th call under ``watch`` (0: never killed)."""
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(n), str(watch), str(MAIN), *map(str, args)],
        env={**child_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def count_points(watch: Path, *args: str | Path, env: dict[str, str] | None = None) -> int:
    """How many kill points a clean run has (it must succeed)."""
    result = run_killed_at(0, watch, *args, env=env)
    assert result.returncode == 0, result.stderr[-500:]
    line = next(x for x in result.stderr.splitlines() if x.startswith(POINTS))
    return int(line.removeprefix(POINTS))


def was_killed(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode == -9 or (os.name != "nt" and result.returncode == 128 + 9)
