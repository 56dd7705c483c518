"""The expected schema of every version: what the migrations make of an empty file."""

from __future__ import annotations

import pytest
from helpers.migration_files import copy_shipped, shipped_file, write_migration

from core import api
from core.connection import open_readonly
from core.discovery import load_catalog
from core.errors import CatalogError
from core.expected import ENGINE_TABLES, expected_schema, expected_schemas
from core.schemadiff import compare
from core.schemashape import EMPTY, read_schema
from samples.legacy import Shape, build


def file_schema(path):
    conn = open_readonly(path)
    try:
        return read_schema(conn)
    finally:
        conn.close()


def test_the_latest_expected_schema_is_what_an_upgrade_makes_of_an_empty_file(tmp_path):
    catalog = load_catalog()
    db = build(tmp_path / "new.db", Shape.EMPTY_FILE)
    api.upgrade(db, backup=False)
    found = file_schema(db)
    result = compare(expected_schema(catalog, catalog.latest), found, ignore=ENGINE_TABLES)
    assert result.matches and result.extras == ()
    assert "migration_history" in found.tables  # the engine's own, left out on purpose


def test_every_version_is_the_migrations_up_to_it(tmp_path):
    catalog = load_catalog()
    schemas = expected_schemas(catalog)
    assert len(schemas) == catalog.latest + 1 and schemas[0] == EMPTY
    for version in range(1, catalog.latest + 1):
        db = build(tmp_path / f"v{version}.db", Shape.EMPTY_FILE)
        api.upgrade(db, target=version, backup=False)
        assert compare(schemas[version], file_schema(db), ignore=ENGINE_TABLES).matches
    assert "ledger" in schemas[1].tables and "sessions" not in schemas[1].tables
    assert schemas[1].tables["residents"].column("car_numbers") is None
    assert schemas[2].tables["residents"].column("car_numbers") is not None


def test_it_is_computed_once_per_catalog_and_again_from_a_migration_that_changed(tmp_path):
    folder = copy_shipped(tmp_path / "migrations")
    first = expected_schemas(load_catalog(folder))
    again = expected_schemas(load_catalog(folder))
    assert all(a is b for a, b in zip(first, again, strict=True))
    path = shipped_file(folder, 2)
    path.write_text(path.read_text().replace('"TEXT")', "\"TEXT DEFAULT ''\")"))
    changed = expected_schemas(load_catalog(folder))
    assert changed[1] is first[1]  # migration 001 is the same: not run again
    assert changed[2] is not first[2]
    assert changed[2].tables["residents"].column("car_numbers").default == "''"


def test_a_version_needs_only_the_migrations_up_to_it(tmp_path):
    folder = copy_shipped(tmp_path / "migrations")
    write_migration(folder, len(list(folder.glob("0*.py"))) + 1, "boom", "raise ValueError('x')")
    catalog = load_catalog(folder)
    assert "ledger" in expected_schema(catalog, catalog.latest - 1).tables
    with pytest.raises(CatalogError, match=r"_boom\.py fails on an empty database"):
        expected_schema(catalog, catalog.latest)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("conn.execute('CREATE TABLE t (x)')\nconn.commit()", "fails on an empty database"),
        ("conn.execute('SELECT * FROM residents_typo')", "fails on an empty database"),
    ],
)
def test_a_migration_that_cannot_run_on_an_empty_file_is_named(tmp_path, body, words):
    folder = copy_shipped(tmp_path / "migrations")
    write_migration(folder, len(list(folder.glob("0*.py"))) + 1, "broken", body)
    with pytest.raises(CatalogError, match=words) as caught:
        expected_schemas(load_catalog(folder))
    assert "_broken.py" in str(caught.value)
