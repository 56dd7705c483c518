"""Installed beside the Society app, the library is used and the app's own modules stay its own.

The app has its own top-level ``gui`` package and ``main.py`` (and ``models/``,
``utils/``). This test builds a stand-in app folder with those two, installs
this project into a fresh environment (no editable link to the repository),
and runs the app's start-up from the app's folder in a child process, the way
the app does: its ``database.py`` puts its own folder first on ``sys.path``,
then calls ``MigrationManager(db_path, migrations_dir).apply_pending_migrations()``
with a ``migrations_dir`` that was never published. The child reports which
files it imported; the database must come out upgraded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import snapshot
from helpers.migration_files import ROOT, SHIPPED_COUNT

from samples.legacy import Shape, build

APP_FILES = {
    "gui/__init__.py": '"""The app\'s own window package (a stand-in)."""\n',
    "database.py": """
        import os
        import sys

        sys.path.insert(0, os.path.dirname(__file__))

        from core.app_manager import MigrationManager


        class Database:
            def __init__(self, db_path):
                here = os.path.dirname(__file__)
                migrations_dir = os.path.join(here, "ai_agent_utils", "migrations")
                MigrationManager(db_path, migrations_dir).apply_pending_migrations()
        """,
    "main.py": """
        import json
        import sys

        import gui
        from database import Database


        def start(db_path, report):
            Database(db_path)
            import main

            found = {
                "gui": gui.__file__,
                "main": main.__file__,
                "manager": sys.modules["core.app_manager"].__file__,
            }
            with open(report, "w") as out:
                json.dump(found, out)
        """,
}
NOT_PART_OF_THE_LIBRARY = ("tests", "docs", "bench", "tools", "packaging", "build", "*.egg-info")


def install_into_fresh_environment(tmp_path: Path) -> Path:
    """A new venv holding only this project (built from a clean copy of its source)."""
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".*", "__pycache__", *NOT_PART_OF_THE_LIBRARY),
    )
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    return python


def write_app(folder: Path) -> Path:
    for name, code in APP_FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(code).lstrip(), encoding="utf-8")
    return folder


@pytest.mark.slow
def test_the_apps_start_up_line_upgrades_its_file_and_its_own_gui_and_main_stay_its_own(
    tmp_path,
):
    python = install_into_fresh_environment(tmp_path)
    app = write_app(tmp_path / "society_mgmt")
    db = build(app / "society_management.db", Shape.MERGED_BY_HAND, residents=10)
    report = tmp_path / "imported.json"
    child_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}

    run = subprocess.run(
        [str(python), "-c", "import sys, main; main.start(sys.argv[1], sys.argv[2])",
         str(db), str(report)],
        cwd=app,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip

    assert run.returncode == 0, run.stderr[-600:]
    found = {k: Path(v).resolve() for k, v in json.loads(report.read_text()).items()}
    assert found["gui"] == (app / "gui" / "__init__.py").resolve()
    assert found["main"] == (app / "main.py").resolve()
    assert python.parent.parent.resolve() in found["manager"].parents, "not the installed one"
    assert snapshot.version(db) == SHIPPED_COUNT
    assert {"audit_log", "vehicles"} <= set(snapshot.columns_of(db))
    assert (app / "backups").is_dir()
    assert missing_from_install(python) == [], "the installed library lacks these files"


def missing_from_install(python: Path) -> list[str]:
    """Every module of the library in the repository, absent from the installed environment."""
    where = subprocess.run(
        [str(python), "-c", "import core, os; print(os.path.dirname(core.__path__[0]))"],
        cwd=python.parent, capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    site = Path(where)
    return [
        str(source.relative_to(ROOT))
        for package in ("core", "gui", "migrations", "samples")
        for source in sorted((ROOT / package).rglob("*"))
        if source.is_file()
        and "__pycache__" not in source.parts
        and not (site / source.relative_to(ROOT)).is_file()
    ]
