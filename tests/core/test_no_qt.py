"""``core`` never imports Qt: the command line and the Society app must not pay for it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from samples.legacy import Shape, build

pytestmark = pytest.mark.slow  # every test here starts a Python process

ROOT = Path(__file__).resolve().parents[2]
CORE_MODULES = sorted(
    f"core.{p.stem}" for p in (ROOT / "core").glob("*.py") if p.stem != "__init__"
)

REPORT_QT = """
import json, sys
qt = [m for m in sys.modules if m.startswith("PySide6") or m.split(".")[0].startswith("Qt")]
print(json.dumps(sorted(qt)))
"""


def qt_modules_after(code: str, *argv: str) -> list[str]:
    """Run ``code`` then REPORT_QT in a fresh interpreter; the Qt modules it loaded."""
    out = subprocess.run(
        [sys.executable, "-c", code + REPORT_QT, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_core_modules_exist_to_be_checked():
    assert "core.api" in CORE_MODULES and "core.upgrade" in CORE_MODULES


def test_importing_every_core_module_loads_no_qt():
    code = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in CORE_MODULES)
    assert qt_modules_after(code) == []


def test_a_full_upgrade_and_status_load_no_qt(tmp_path):
    db = build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=5, ledger_rows=20)
    code = (
        "import sys\nfrom core import api\n"
        "api.upgrade(sys.argv[1], backup=False)\n"
        "assert api.status(sys.argv[1]).state == 'up_to_date'\n"
    )
    assert qt_modules_after(code, str(db)) == []


def test_the_status_command_through_main_loads_no_qt(tmp_path):
    db = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=5, ledger_rows=20)
    code = (
        "import sys, io, contextlib\nimport main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main.main(['status', sys.argv[1], '--json'])\n"
        "assert code == 0, code\n"
    )
    assert qt_modules_after(code, str(db)) == []
