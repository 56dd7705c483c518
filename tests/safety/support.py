"""Shared pieces of the safety-net proof: realistic files, test migrations, child runs.

Nothing here prints or returns row values: the checks compare counts and
checksums, because in real files the rows are residents' personal data.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers.migration_files import ENGINE_BASE, copy_shipped
from helpers.snapshot import connect_ro, version

from core.schema import columns, quote, user_tables

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
WAITING = "Another program is writing to this database; waiting"
UNCHANGED = "The database file was not changed."

# Extra migrations that do real work on a realistic file, so that an upgrade
# has many moments at which it writes: a table rebuild, a backfill over every
# row, an aggregate into a new table.
EXTRA_MIGRATIONS = {
    "005_rebuild_ledger.py": '''
        """Rebuild the ledger so payment_mode defaults to Cash (copy, drop, rename, re-index)"""

        from core.schema import columns, quote

        LEDGER = """
            CREATE TABLE ledger_rebuilt (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                transaction_id TEXT UNIQUE,
                date DATE,
                flat_no TEXT,
                transaction_type TEXT,
                category TEXT,
                description TEXT,
                debit REAL DEFAULT 0.0,
                credit REAL DEFAULT 0.0,
                balance REAL DEFAULT 0.0,
                payment_mode TEXT DEFAULT 'Cash',
                entered_by TEXT,
                created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
                reconciliation_status TEXT DEFAULT 'Unreconciled',
                FOREIGN KEY (flat_no) REFERENCES residents (flat_no)
            )"""
        INDEXES = {
            "idx_ledger_date": "date",
            "idx_ledger_flat": "flat_no",
            "idx_ledger_type": "transaction_type",
            "idx_ledger_txn_id": "transaction_id",
        }


        def upgrade(conn):
            conn.execute(LEDGER)
            names = ", ".join(quote(c) for c in columns(conn, "ledger"))
            conn.execute(f"INSERT INTO ledger_rebuilt ({names}) SELECT {names} FROM ledger")
            conn.execute("DROP TABLE ledger")
            conn.execute("ALTER TABLE ledger_rebuilt RENAME TO ledger")
            for index, column in INDEXES.items():
                conn.execute(f"CREATE INDEX {index} ON ledger({column})")
        ''',
    "006_add_ledger_month.py": '''
        """Add the accounting month to every ledger row"""


        def upgrade(conn):
            conn.execute("ALTER TABLE ledger ADD COLUMN month TEXT")
            conn.execute("UPDATE ledger SET month = substr(date, 1, 7)")
            conn.execute("CREATE INDEX idx_ledger_month ON ledger(month)")
        ''',
    "007_monthly_totals.py": '''
        """Summarise the ledger by month and flat"""


        def upgrade(conn):
            conn.execute(
                "CREATE TABLE monthly_totals (month TEXT, flat_no TEXT, debit REAL, "
                "credit REAL, PRIMARY KEY (month, flat_no))"
            )
            conn.execute(
                "INSERT INTO monthly_totals SELECT month, coalesce(flat_no, ''), "
                "sum(debit), sum(credit) FROM ledger GROUP BY month, coalesce(flat_no, '')"
            )
        ''',
}


def working_migrations(folder: Path) -> Path:
    """The first four shipped migrations plus the heavy 005-007 above, in ``folder``."""
    copy_shipped(folder, upto=ENGINE_BASE)
    for name, code in EXTRA_MIGRATIONS.items():
        (folder / name).write_text(textwrap.dedent(code).lstrip(), encoding="utf-8")
    return folder


def add_migration(folder: Path, name: str, code: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(code).lstrip(), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Fingerprint:
    """Row counts of every table and a checksum of the ledger's (original) columns."""

    counts: dict[str, int]
    ledger_columns: tuple[str, ...]
    ledger_sha: str

    def keeps(self, other: Fingerprint) -> list[str]:
        """What of ``other`` (the file before) is missing here: table names, never rows."""
        problems = [
            f"{t}: {n} rows before, {self.counts.get(t)} now"
            for t, n in other.counts.items()
            if self.counts.get(t) != n
        ]
        if self.ledger_sha != other.ledger_sha:
            problems.append("ledger: the checksum of its original columns changed")
        return problems


def fingerprint(path: Path, like: Fingerprint | None = None) -> Fingerprint:
    """The file's fingerprint; with ``like``, its ledger checksum over the same columns."""
    conn = connect_ro(path)
    try:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {quote(t)}").fetchone()[0]
            for t in user_tables(conn)
        }
        names = like.ledger_columns if like else tuple(columns(conn, "ledger"))
        digest = hashlib.sha256()
        select = ", ".join(map(quote, names))
        for row in conn.execute(f"SELECT {select} FROM ledger ORDER BY id"):
            digest.update(repr(row).encode())
        return Fingerprint(counts, names, digest.hexdigest())
    finally:
        conn.close()


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check``, opened read-write as any program would open the file.

    (A hot journal left by a kill during a commit can only be rolled back by a writer.)
    """
    conn = sqlite3.connect(path)
    try:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


user_version = version


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    """Every entry below ``folder`` with a hash of its bytes ('dir' for folders)."""
    return {
        str(p.relative_to(folder)): "dir" if p.is_dir() else sha(p)
        for p in sorted(folder.rglob("*"))
    }


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONPATH"] = str(ROOT)
    env.pop("PYTHONSAFEPATH", None)
    return env


def cli_command(*args: str | Path, python: str | None = None) -> list[str]:
    return [python or sys.executable, str(MAIN), *map(str, args)]


def run_cli(
    *args: str | Path,
    cwd: Path | None = None,
    timeout: float = 60,
    preexec_fn: Callable[[], None] | None = None,
    python: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python main.py ARGS`` in a child process; output captured as text."""
    return subprocess.run(
        cli_command(*args, python=python),
        cwd=cwd or ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec_fn,
        check=False,
    )


def assert_clean_refusal(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """A short message on stderr, the expected exit code, no traceback; returns the message."""
    output = result.stdout + result.stderr
    message = result.stderr.strip()
    assert "Traceback" not in output, "a Python traceback reached the user"
    assert result.returncode == code, f"exit code {result.returncode}, expected {code}"
    assert message, "no message on stderr"
    assert len(message.splitlines()) <= 2, "the message runs over more than two lines"
    assert len(message) < 500, "the message is too long to read at a glance"
    return message


def copy_db(source: Path, destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
    return destination
