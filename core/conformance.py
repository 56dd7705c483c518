"""Does the file have what its version owns? The one place a verdict meets the schema.

A version number is a claim; the schema is the fact. :func:`judge` reads the
file's schema and compares it with the expected schema of the version it
stands at: its own ``user_version`` when it carries our history, or, for a
file numbered by another tool, the version its schema shows it has reached
(:mod:`core.adopt`). ``status``, the end of every upgrade and ``check`` ask it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from core.adopt import numbered_elsewhere, place_by_schema
from core.discovery import Catalog
from core.errors import CatalogError
from core.expected import ENGINE_TABLES, expected_schema
from core.schemadiff import Comparison, compare
from core.schemashape import Schema, read_schema


@dataclass(frozen=True)
class SchemaVerdict:
    """The file against the expected schema of ``version`` (ours)."""

    version: int  # the version compared with
    comparison: Comparison
    carried: int | None = None  # another tool's number, when it was numbered elsewhere

    @property
    def matches(self) -> bool:
        return self.comparison.matches

    @property
    def numbered_elsewhere(self) -> bool:
        return self.carried is not None


def judge(
    conn: sqlite3.Connection, catalog: Catalog, version: int, history: Mapping[int, object]
) -> SchemaVerdict | None:
    """Compare the file with what its version owns; None when nothing can be compared.

    A version above the catalog's (a newer tool's file) has no known schema,
    nor has one whose migrations fail on an empty database (the number then
    stands alone, as before there was a check).
    """
    if version == 0:  # nothing is owned yet: no need to read a thing (status stays instant)
        return SchemaVerdict(0, Comparison((), ()))
    found = read_schema(conn)
    try:
        if numbered_elsewhere(version, history):
            place = place_by_schema(found, catalog)
            return SchemaVerdict(place, _against(catalog, place, found), carried=version)
        if not 0 <= version <= catalog.latest:
            return None
        return SchemaVerdict(version, _against(catalog, version, found))
    except CatalogError:
        return None


def verify(conn: sqlite3.Connection, catalog: Catalog, version: int) -> Comparison | None:
    """The file against what ``version`` owns: the last stage of every upgrade.

    None when a migration up to ``version`` can't run on an empty database.
    """
    try:
        return _against(catalog, version, read_schema(conn))
    except CatalogError:
        return None


def _against(catalog: Catalog, version: int, found: Schema) -> Comparison:
    return compare(expected_schema(catalog, version), found, ignore=ENGINE_TABLES)
