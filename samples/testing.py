"""Test a new migration against every realistic starting point, in a few lines.

For the Society app's developers (and this project's tests)::

    from samples.testing import upgrade_every_starting_point

    def test_residents_status_index(tmp_path):
        for upgraded in upgrade_every_starting_point(tmp_path, "migrations"):
            with upgraded.reading() as conn:
                assert index_exists(conn, "idx_residents_status"), upgraded.point

Each starting point (an empty file, every shape found in the field, the
pre-release prototype, the same prototype at version 4 from an earlier
release, files numbered 1-9 by the app's own manager) is built with made-up
rows and upgraded with the migrations folder given. It fails, naming the
starting point, if the upgrade fails, if a table loses rows, or if the file
then differs from what the latest version must have (the ``check`` verb's
comparison). Row values never appear in a failure.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core import api
from core.connection import open_readonly
from core.discovery import Catalog, load_catalog
from core.expected import ENGINE_TABLES, expected_schema
from core.schema import user_tables
from core.schemadiff import Comparison, compare
from core.schemashape import read_schema
from core.wording import first_differences
from samples.legacy import APP_MANAGER_STEPS, Shape, build, build_numbered_by_app_manager

Maker = Callable[[Path], Path]


@dataclass(frozen=True)
class Upgraded:
    point: str  # the starting point's name, for assertion messages
    path: Path
    rows_before: dict[str, int]  # table -> rows it had before the upgrade

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        conn = open_readonly(self.path)
        try:
            yield conn
        finally:
            conn.close()


def prototype_after_earlier_release(
    path: Path | str, *, residents: int = 20, ledger_rows: int = 120
) -> Path:
    """The prototype as release 0.1 left it: at version 4, ledger indexed on a constant.

    That release ran migrations 001-004 and its ``create_index_if_missing``
    quoted the missing ``transaction_id``, which SQLite took as a string.
    """
    file = build(path, Shape.PROTOTYPE, residents=residents, ledger_rows=ledger_rows)
    api.upgrade(file, backup=False, target=4)  # the shipped 001-004, unchanged since
    conn = sqlite3.connect(file)
    try:
        conn.execute('CREATE INDEX "idx_ledger_txn_id" ON "ledger"("transaction_id")')
        conn.commit()
    finally:
        conn.close()
    return file


def starting_points(
    residents: int = 20, ledger_rows: int = 120, app_manager: bool = True
) -> dict[str, Maker]:
    """Every realistic starting point by name, each a function that builds it at a path.

    ``app_manager=False`` leaves out the files numbered by the app's own manager.
    """

    def shape(s: Shape) -> Maker:
        return lambda p: build(p, s, residents=residents, ledger_rows=ledger_rows)

    def numbered(n: int) -> Maker:
        return lambda p: build_numbered_by_app_manager(
            p, n, residents=residents, ledger_rows=ledger_rows
        )

    points: dict[str, Maker] = {str(s): shape(s) for s in Shape}
    points["prototype_at_version_4"] = lambda p: prototype_after_earlier_release(
        p, residents=residents, ledger_rows=ledger_rows
    )
    if app_manager:
        points.update({f"app_manager_{n}": numbered(n) for n in APP_MANAGER_STEPS})
    return points


def upgrade_every_starting_point(
    folder: Path | str,
    migrations: Path | str | None = None,
    *,
    residents: int = 20,
    ledger_rows: int = 120,
    app_manager: bool = True,
) -> list[Upgraded]:
    """Build each starting point in ``folder``, upgrade it, and check it; the results."""
    catalog = load_catalog(migrations)
    Path(folder).mkdir(parents=True, exist_ok=True)
    done = []
    for name, make in starting_points(residents, ledger_rows, app_manager).items():
        path = make(Path(folder) / f"{name}.db")
        before = _row_counts(path)
        try:
            api.upgrade(path, catalog=catalog, backup=False)
        except Exception as exc:
            raise AssertionError(f"{name}: the upgrade failed: {exc}") from exc
        after = _row_counts(path)
        lost = [t for t, n in before.items() if after.get(t, 0) < n]
        assert not lost, f"{name}: rows lost from {', '.join(lost)}"
        result = compare_with_latest(path, catalog)
        assert not result.differences, f"{name}: {first_differences(result, catalog.latest, 5)}"
        done.append(Upgraded(name, path, before))
    return done


def compare_with_latest(path: Path, catalog: Catalog | None = None) -> Comparison:
    """The file against what the latest version must have (extras listed apart)."""
    catalog = catalog or load_catalog()
    conn = open_readonly(path)
    try:
        return compare(expected_schema(catalog, catalog.latest), read_schema(conn), ENGINE_TABLES)
    finally:
        conn.close()


def _row_counts(path: Path) -> dict[str, int]:
    if path.stat().st_size == 0:
        return {}
    conn = open_readonly(path)
    try:
        return {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in user_tables(conn)
        }
    finally:
        conn.close()
