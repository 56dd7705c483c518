"""Every starting point, once upgraded, has everything the latest version owns, exactly.

The check looks at the file, not at the version number: an upgrade that
stamps the number on a file it could not bring into shape fails here. The
starting points are every shape, the files numbered 1 to 9 by the app's own
manager and the drifted files (``helpers/starting_points.py``).
"""

from __future__ import annotations

import pytest
from helpers import starting_points
from helpers.starting_points import STARTING_POINTS

from core import api
from core.check import Outcome
from core.schemadiff import Kind
from core.status import State
from samples.legacy import APP_MODEL_TABLES


@pytest.mark.parametrize("name", starting_points.params())
def test_nothing_is_missing_or_different_after_the_upgrade(tmp_path, name):
    db = STARTING_POINTS[name](tmp_path / "society.db")
    result = api.upgrade(db, backup=False)
    assert result.differences == ()
    report = api.check(db)
    assert report.outcome is Outcome.CLEAN and report.verdict is not None
    assert report.verdict.version == report.status.latest_version
    assert report.status.state is State.UP_TO_DATE
    extra_tables = {d.table for d in report.verdict.comparison.extras if d.kind is Kind.EXTRA_TABLE}
    assert extra_tables <= set(APP_MODEL_TABLES)  # the app's own, left alone and only listed
