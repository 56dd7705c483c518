"""Files numbered 1..9 by the app's own manager: their place among our versions is found by schema.

The number they carry is the other manager's; only the schema says which of
our migrations they have.
"""

from __future__ import annotations

import sqlite3

import pytest

from core.adopt import Adoption, numbered_elsewhere, place_by_schema, read_adoption, record_adoption
from core.connection import open_readonly
from core.discovery import load_catalog
from core.schemashape import read_schema
from core.version import read_history, read_version
from samples.legacy import build_numbered_by_app_manager


def place(path) -> int:
    conn = open_readonly(path)
    try:
        return place_by_schema(read_schema(conn), load_catalog())
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("number", "lowest", "highest"),
    [
        (1, 1, 1),  # its initial schema is our 001; no vehicle columns (our 002)
        (2, 1, 1),  # its 002 made sessions, but our 002 (vehicles) is still missing
        (3, 2, 2),  # vehicles, but no lockout columns (our 003)
        (4, 4, 99),  # lockout too: our 001-004 all there
        (9, 4, 99),
    ],
)
def test_the_place_is_the_highest_version_whose_schema_the_file_contains(
    tmp_path, number, lowest, highest
):
    db = build_numbered_by_app_manager(tmp_path / "society.db", number, residents=5, ledger_rows=10)
    assert lowest <= place(db) <= highest


def test_only_a_positive_number_without_our_history_is_someone_elses():
    assert numbered_elsewhere(9, {})
    assert not numbered_elsewhere(0, {})
    assert not numbered_elsewhere(-3, {})
    assert not numbered_elsewhere(9, {1: object()})


def test_recording_an_adoption_makes_the_file_ours_at_that_version(tmp_path):
    db = build_numbered_by_app_manager(tmp_path / "society.db", 3, residents=5, ledger_rows=10)
    catalog = load_catalog()
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        record_adoption(conn, catalog, Adoption(2, 3))
        conn.execute("COMMIT")
        assert read_version(conn) == 2
        history = read_history(conn)
        assert sorted(history) == [1, 2]
        assert history[1].checksum == catalog.get(1).checksum
        assert history[1].duration_ms is None  # found done, not run
        adoption = read_adoption(conn)
        assert adoption is not None and (adoption.adopted_version, adoption.carried_version) == (
            2,
            3,
        )
        assert adoption.adopted_at
    finally:
        conn.close()
