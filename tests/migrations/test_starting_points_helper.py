"""samples.testing: a new migration tested on every realistic starting point in a few lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.migration_files import SHIPPED_COUNT, write_migration

from core.schema import index_exists
from samples.legacy import Shape
from samples.testing import upgrade_every_starting_point

ROOT = Path(__file__).resolve().parents[2]


def test_the_test_helper_upgrades_and_checks_every_starting_point(tmp_path, migrations_dir):
    write_migration(
        migrations_dir,
        SHIPPED_COUNT + 1,
        "residents_status_index",
        """
        from core.schema import create_index_if_missing
        create_index_if_missing(conn, "idx_residents_status", "residents", ["status"])
        """,
    )
    # Files numbered by the app's own manager are left out until the upgrade
    # places them by schema (core/adopt.py): today their number is taken as ours.
    results = upgrade_every_starting_point(
        tmp_path, migrations_dir, residents=5, ledger_rows=20, app_manager=False
    )
    assert {r.point for r in results} >= {str(s) for s in Shape} | {"prototype_at_version_4"}
    for upgraded in results:
        with upgraded.reading() as conn:
            assert index_exists(conn, "idx_residents_status"), upgraded.point


def test_the_test_helper_names_the_starting_point_a_migration_breaks(tmp_path, migrations_dir):
    write_migration(
        migrations_dir,
        SHIPPED_COUNT + 1,
        "drops_on_old_files",
        """
        if conn.execute("SELECT count(*) FROM residents").fetchone()[0]:
            conn.execute("DROP INDEX idx_ledger_date")
        """,
    )
    with pytest.raises(AssertionError, match=r"^first_release: .*idx_ledger_date"):
        upgrade_every_starting_point(
            tmp_path, migrations_dir, residents=5, ledger_rows=20, app_manager=False
        )


def test_the_readme_example_holds(tmp_path, migrations_dir):
    """README, "Writing a migration": the paise rebuild and its test, as printed there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("## Writing a migration")[1].split("```python\n")
    migration, test = (b.split("```")[0] for b in blocks[1:3])
    (migrations_dir / f"{SHIPPED_COUNT + 1:03d}_ledger_paise.py").write_text(migration)
    namespace: dict = {}
    exec(
        compile(test.replace('"migrations"', repr(str(migrations_dir))), "README", "exec"),
        namespace,
    )
    namespace["test_ledger_amounts_in_paise"](tmp_path / "points")
