"""Throwaway migration folders (yoyo's ``migrations_dir`` idea) for engine tests."""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "migrations"
SHIPPED_COUNT = len(list(SHIPPED.glob("[0-9][0-9][0-9]_*.py")))
# Engine tests that plant their own 005, 006, ... build on the first four shipped
# migrations, so that shipping a new migration doesn't renumber every one of them.
ENGINE_BASE = 4


def copy_shipped(folder: Path, upto: int | None = None) -> Path:
    """Copy the shipped migrations (1..upto) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(SHIPPED.glob("[0-9][0-9][0-9]_*.py")):
        if upto is None or int(source.name[:3]) <= upto:
            shutil.copy(source, folder / source.name)
    return folder


def shipped_file(folder: Path, version: int) -> Path:
    (path,) = folder.glob(f"{version:03d}_*.py")
    return path


def write_migration(
    folder: Path, version: int, name: str, body: str, doc: str = "A test migration"
) -> Path:
    """Write ``NNN_name.py`` whose ``upgrade(conn)`` runs ``body`` (indented for you)."""
    path = folder / f"{version:03d}_{name}.py"
    code = f'"""{doc}"""\n\n\ndef upgrade(conn):\n{textwrap.indent(textwrap.dedent(body), "    ")}'
    path.write_text(code.rstrip() + "\n", encoding="utf-8")
    return path


def fail_after_real_work(folder: Path, version: int) -> Path:
    """Make shipped migration ``version`` do its real work, change data, then raise."""
    path = shipped_file(folder, version)
    path.write_text(
        path.read_text(encoding="utf-8")
        + textwrap.dedent(
            f"""

            _real_upgrade = upgrade


            def upgrade(conn):
                _real_upgrade(conn)
                conn.execute("UPDATE residents SET remarks = 'half done'")
                conn.execute("CREATE TABLE half_done (x)")
                raise RuntimeError("deliberate failure in migration {version}")
            """
        ),
        encoding="utf-8",
    )
    return path


MARK_TO_FAIL = "make_me_fail"


def fail_where_marked(folder: Path, version: int) -> Path:
    """A migration that fails only in a file holding a table named ``make_me_fail``.

    Several copies upgraded with the same migrations: one fails, the others don't.
    """
    return write_migration(
        folder,
        version,
        "fail_where_marked",
        f"""
        conn.execute("CREATE TABLE added_by_the_last (x)")
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = '{MARK_TO_FAIL}'").fetchone():
            raise RuntimeError("this copy was marked to fail")
        """,
    )


def mark_to_fail(db: Path) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(f"CREATE TABLE {MARK_TO_FAIL} (x)")
    conn.close()
