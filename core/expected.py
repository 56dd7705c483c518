"""The schema every version must have: what migrations 1..N make of an empty file.

Like Flyway Desktop's shadow database or Atlas's dev database, without a
server: each migration of the catalog is run, in order, on an in-memory
SQLite database under the same guard the real upgrade uses, and the schema
after each step is read. Computed once per catalog (keyed by the migrations'
checksums, so an edited file is a new catalog) and kept for the process; only
the migrations up to the version asked for are run.
"""

from __future__ import annotations

import sqlite3
import threading

from core.discovery import Catalog, Migration
from core.errors import CatalogError, CatalogProblem
from core.guard import EngineConnection, WriteLog, run_migration
from core.schemashape import EMPTY, Schema, read_schema
from core.version import ADOPTION_TABLE, HISTORY_TABLE

# Tables the engine itself keeps in a file; no migration makes them, and they
# are not the file's business: left out of every comparison.
ENGINE_TABLES = frozenset({HISTORY_TABLE, ADOPTION_TABLE})

# Per catalog prefix (the checksums of migrations 1..N): the in-memory file after
# migration N, serialized, and its schema. A later version continues from the
# longest prefix known, so a status at version 4 never runs migration 5.
_cache: dict[tuple[str, ...], tuple[bytes, Schema]] = {}
_lock = threading.Lock()


def expected_schema(catalog: Catalog, version: int) -> Schema:
    """What a file at ``version`` has (``0 <= version <= catalog.latest``).

    Runs only migrations 1..version, and only those not already run for a
    catalog with the same first migrations.
    """
    if version == 0:
        return EMPTY
    sums = tuple(m.checksum for m in catalog.migrations[:version])
    with _lock:
        known = next(n for n in range(version, -1, -1) if n == 0 or sums[:n] in _cache)
        if known == version:
            return _cache[sums][1]
        return _extend(catalog, sums, known, version)


def expected_schemas(catalog: Catalog) -> tuple[Schema, ...]:
    """Schema at every version: index 0 is the empty file, index N after migration N."""
    return tuple(expected_schema(catalog, v) for v in range(catalog.latest + 1))


def _extend(catalog: Catalog, sums: tuple[str, ...], known: int, version: int) -> Schema:
    conn = sqlite3.connect(":memory:", isolation_level=None, factory=EngineConnection)
    assert isinstance(conn, EngineConnection)
    try:
        if known:
            conn.deserialize(_cache[sums[:known]][0])
        schema = EMPTY
        for migration in catalog.migrations[known:version]:
            _run(conn, migration)
            schema = read_schema(conn)
            _cache[sums[: migration.version]] = (conn.serialize(), schema)
        return schema
    finally:
        conn.close()


def _run(conn: EngineConnection, migration: Migration) -> None:
    """One migration in its own transaction, under the guard the real upgrade uses."""
    log = WriteLog()
    conn.execute("BEGIN IMMEDIATE")
    try:
        with conn.guarded(log):
            run_migration(conn, migration.upgrade)
        if log.denied or not conn.in_transaction:
            raise RuntimeError(f"it tried {log.denied[-1] if log.denied else 'to commit'}")
        conn.execute("COMMIT")
    except Exception as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise CatalogError(
            migration.path,
            CatalogProblem.FAILS_ON_EMPTY,
            expected=migration.version,
            detail=str(exc),
        ) from exc
