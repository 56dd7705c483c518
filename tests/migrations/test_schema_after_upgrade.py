"""Every starting point, once upgraded, has everything the latest version owns, exactly.

The check looks at the file, not at the version number: an upgrade that
stamps the number on a file it could not bring into shape fails here.
"""

from __future__ import annotations

import pytest

from core import api
from core.connection import open_readonly
from core.discovery import load_catalog
from core.expected import ENGINE_TABLES, expected_schema
from core.schemadiff import Kind, compare
from core.schemashape import read_schema
from samples.legacy import APP_MODEL_TABLES, Shape, build


def check_latest(path):
    catalog = load_catalog()
    conn = open_readonly(path)
    try:
        return compare(expected_schema(catalog, catalog.latest), read_schema(conn), ENGINE_TABLES)
    finally:
        conn.close()


@pytest.mark.parametrize("shape", list(Shape), ids=str)
def test_nothing_is_missing_or_different_after_the_upgrade(tmp_path, shape):
    db = build(tmp_path / "society.db", shape, residents=10, ledger_rows=30)
    api.upgrade(db, backup=False)
    result = check_latest(db)
    assert result.differences == ()
    extra_tables = {d.table for d in result.extras if d.kind is Kind.EXTRA_TABLE}
    assert extra_tables <= set(APP_MODEL_TABLES)  # the app's own, left alone and only listed
