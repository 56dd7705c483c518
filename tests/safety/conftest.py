"""Session-wide fixtures for the safety proof: one realistic file, built once, copied per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import snapshot

from core import api
from samples.legacy import Shape, build

from .support import copy_db, working_migrations

LEDGER_ROWS = 20_000
RESIDENTS = 400


@pytest.fixture(scope="session")
def big_legacy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An unversioned bank-reconciliation file: 20k ledger rows, old orphans, app tables.

    That branch lacks the vehicle and lockout columns and the sessions table, so every
    shipped migration changes its schema and each version can be told from the next.
    Never changed by a test: copy it with :func:`copy_db`.
    """
    folder = tmp_path_factory.mktemp("big_legacy")
    return build(
        folder / "society.db",
        Shape.BANK_RECONCILIATION,
        residents=RESIDENTS,
        ledger_rows=LEDGER_ROWS,
    )


@pytest.fixture(scope="session")
def heavy_migrations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped migrations plus three that rebuild, backfill and summarise the ledger."""
    return working_migrations(tmp_path_factory.mktemp("heavy") / "migrations")


@pytest.fixture(scope="session")
def schema_at(
    big_legacy: Path, heavy_migrations: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[int, snapshot.LogicalSchema]:
    """The logical schema of the big file at every version, by upgrading clean copies."""
    folder = tmp_path_factory.mktemp("schema_at")
    latest = api.status(big_legacy, heavy_migrations).latest_version
    result = {0: snapshot.logical_schema(big_legacy)}
    for version in range(1, latest + 1):
        copy = copy_db(big_legacy, folder / f"v{version}.db")
        api.upgrade(copy, migrations_dir=heavy_migrations, target=version, backup=False)
        result[version] = snapshot.logical_schema(copy)
    assert len({repr(sorted(s.tables.items())) for s in result.values()}) == latest + 1, (
        "every version must have a schema of its own for the crash test to tell them apart"
    )
    return result


@pytest.fixture
def legacy_copy(big_legacy: Path, tmp_path: Path) -> Path:
    return copy_db(big_legacy, tmp_path / "society.db")
