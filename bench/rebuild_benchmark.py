"""Benchmark: the table rebuild against a hand-written 12-step rebuild, on a big ledger.

Run: ``.venv/bin/python bench/rebuild_benchmark.py [--ledger-rows 1000000]``.
Both change ``ledger.debit``/``credit`` from REAL rupees to INTEGER paise on
copies of the same file: once as a migration through the engine (the
rebuild, then the engine's own foreign-key check, the version and history,
one commit) and once as plain SQL written by hand in one transaction with a
``foreign_key_check`` of the ledger. Prints both times and their ratio.
Timings are for reading, not for asserting: no test fails on them.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import api
from core.events import Event, MigrationApplied, MigrationStarted
from samples.legacy import LEDGER_INDEXES, Shape, build

MIGRATION = '''"""Keep ledger amounts in paise"""

from core.rebuild import Column, changed, rebuild


def upgrade(conn):
    rebuild(conn, changed(conn, "ledger",
        Column("debit", "INTEGER", default="0", value="round(debit * 100)"),
        Column("credit", "INTEGER", default="0", value="round(credit * 100)")))
'''

BY_HAND = [
    """CREATE TABLE ledger_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT, transaction_id TEXT UNIQUE, date DATE,
        flat_no TEXT, transaction_type TEXT, category TEXT, description TEXT,
        debit INTEGER DEFAULT 0, credit INTEGER DEFAULT 0, balance REAL DEFAULT 0.0,
        payment_mode TEXT, entered_by TEXT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
        reconciliation_status TEXT DEFAULT 'Unreconciled',
        FOREIGN KEY (flat_no) REFERENCES residents (flat_no))""",
    """INSERT INTO ledger_new SELECT id, transaction_id, date, flat_no, transaction_type,
        category, description, round(debit * 100), round(credit * 100), balance,
        payment_mode, entered_by, created_at, reconciliation_status FROM ledger""",
    "DROP TABLE ledger",
    "ALTER TABLE ledger_new RENAME TO ledger",
    *LEDGER_INDEXES,
]


def by_hand(db: Path) -> float:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        began = time.perf_counter()
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("BEGIN IMMEDIATE")
        for statement in BY_HAND:
            conn.execute(statement)
        conn.execute("PRAGMA foreign_key_check(ledger)").fetchall()
        conn.execute("COMMIT")
        return time.perf_counter() - began
    finally:
        conn.close()


def through_engine(db: Path, migrations: Path) -> tuple[float, float]:
    """The step (start to committed) and the whole upgrade call, in seconds."""
    marks: dict[str, float] = {}

    def on_event(event: Event) -> None:
        if isinstance(event, MigrationStarted):
            marks["started"] = time.perf_counter()
        if isinstance(event, MigrationApplied):
            marks["applied"] = time.perf_counter()

    began = time.perf_counter()
    api.upgrade(db, migrations_dir=migrations, backup=False, on_event=on_event)
    return marks["applied"] - marks["started"], time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger-rows", type=int, default=1_000_000)
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    shipped = Path(__file__).resolve().parent.parent / "migrations"
    with tempfile.TemporaryDirectory(prefix="society-rebuild-bench-") as folder:
        work = Path(folder)
        migrations = work / "migrations"
        shutil.copytree(shipped, migrations, ignore=shutil.ignore_patterns("__*"))
        latest = max(int(p.name[:3]) for p in migrations.glob("[0-9][0-9][0-9]_*.py"))
        source = build(
            work / "source.db",
            Shape.MERGED_BY_HAND,
            residents=args.residents,
            ledger_rows=args.ledger_rows,
        )
        api.upgrade(source, migrations_dir=migrations, backup=False)
        (migrations / f"{latest + 1:03d}_ledger_paise.py").write_text(MIGRATION)
        hand, step, whole = [], [], []
        db = work / "society.db"
        for _ in range(args.rounds):
            shutil.copy(source, db)
            hand.append(by_hand(db))
            shutil.copy(source, db)
            s, w = through_engine(db, migrations)
            step.append(s)
            whole.append(w)
        size_mb = source.stat().st_size / 1_048_576
    best_hand, best_step, best_whole = min(hand), min(step), min(whole)
    print(f"File: {args.ledger_rows:,} ledger rows, {size_mb:.1f} MB; best of {args.rounds} rounds")
    print(f"  hand-written 12-step rebuild + foreign_key_check    {best_hand * 1000:>10.1f} ms")
    print(f"  the migration through the engine (step, committed)  {best_step * 1000:>10.1f} ms")
    print(f"  the whole upgrade call (+ quick_check of the file)  {best_whole * 1000:>10.1f} ms")
    print(f"  ratio, migration step / hand-written                {best_step / best_hand:>10.2f}x")
    ratios = sorted(s / h for s, h in zip(step, hand, strict=True))
    each = ", ".join(f"{r:.2f}x" for r in ratios)
    print(f"  ratio in each round (same load on both), sorted     {each}")
    print(
        f"  median of the rounds' ratios                        {statistics.median(ratios):>10.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
