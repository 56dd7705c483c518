"""The schema every version must have: what migrations 1..N make of an empty file.

Like Flyway Desktop's shadow database or Atlas's dev database, without a
server: each migration of the catalog is run, in order, on an in-memory
SQLite database under the same guard the real upgrade uses, and the schema
after each step is read. Computed once per catalog (keyed by the migrations'
checksums, so an edited file is a new catalog) and kept for the process.
"""

from __future__ import annotations

import sqlite3
import threading

from core.discovery import Catalog
from core.errors import CatalogError, CatalogProblem
from core.guard import EngineConnection, WriteLog, run_migration
from core.schemashape import EMPTY, Schema, read_schema
from core.version import ADOPTION_TABLE, HISTORY_TABLE

# Tables the engine itself keeps in a file; no migration makes them, and they
# are not the file's business: left out of every comparison.
ENGINE_TABLES = frozenset({HISTORY_TABLE, ADOPTION_TABLE})

_cache: dict[tuple[str, ...], tuple[Schema, ...]] = {}
_lock = threading.Lock()


def expected_schemas(catalog: Catalog) -> tuple[Schema, ...]:
    """Schema at every version: index 0 is the empty file, index N after migration N."""
    key = tuple(m.checksum for m in catalog.migrations)
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            cached = _cache[key] = _build(catalog)
        return cached


def expected_schema(catalog: Catalog, version: int) -> Schema:
    """What a file at ``version`` has (``0 <= version <= catalog.latest``)."""
    return expected_schemas(catalog)[version]


def _build(catalog: Catalog) -> tuple[Schema, ...]:
    conn = sqlite3.connect(":memory:", isolation_level=None, factory=EngineConnection)
    assert isinstance(conn, EngineConnection)
    schemas = [EMPTY]
    try:
        for migration in catalog.migrations:
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
            schemas.append(read_schema(conn))
    finally:
        conn.close()
    return tuple(schemas)
