"""A malformed migrations folder is a CatalogError naming the file, never a traceback."""

from __future__ import annotations

import pytest
from helpers.migration_files import SHIPPED_COUNT, write_migration

from core import api
from core.discovery import load_catalog
from core.errors import CatalogError, MigrationError


def catalog_error(folder) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder)
    assert isinstance(caught.value, MigrationError)
    return caught.value


@pytest.mark.parametrize(
    "name",
    ["5_short_number.py", "005-dashes.py", "005_CamelCase.py", "005_.py", "005_trailing_.py"],
)
def test_a_badly_named_file_is_refused_by_name(migrations_dir, name):
    (migrations_dir / name).write_text("def upgrade(conn):\n    pass\n")
    error = catalog_error(migrations_dir)
    assert error.path.name == name and name in str(error)


def test_a_gap_in_the_numbers_names_the_file_after_it(migrations_dir):
    gap = write_migration(migrations_dir, SHIPPED_COUNT + 2, "after_gap", "pass")
    error = catalog_error(migrations_dir)
    assert error.path == gap and gap.name in str(error)
    assert f"number {SHIPPED_COUNT + 1} is missing" in str(error)


def test_a_missing_first_migration_is_a_gap(tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    write_migration(folder, 2, "second", "pass")
    assert "number 1 is missing" in str(catalog_error(folder))


def test_two_files_with_one_number_are_refused_naming_both(migrations_dir):
    write_migration(migrations_dir, SHIPPED_COUNT + 1, "first_idea", "pass")
    write_migration(migrations_dir, SHIPPED_COUNT + 1, "second_idea", "pass")
    error = catalog_error(migrations_dir)
    assert "first_idea" in str(error) and "second_idea" in str(error)


def test_the_same_number_written_with_more_digits_is_a_duplicate(migrations_dir):
    write_migration(migrations_dir, 1, "again", "pass").rename(migrations_dir / "0001_again.py")
    assert "0001_again.py" in str(catalog_error(migrations_dir))


def test_a_file_that_fails_to_import_is_named(migrations_dir):
    broken = migrations_dir / f"{SHIPPED_COUNT + 1:03d}_broken.py"
    broken.write_text("import no_such_module_here\n\ndef upgrade(conn):\n    pass\n")
    error = catalog_error(migrations_dir)
    assert error.path == broken and broken.name in str(error)
    assert "no_such_module_here" in str(error)


def test_a_syntax_error_is_named(migrations_dir):
    broken = migrations_dir / f"{SHIPPED_COUNT + 1:03d}_syntax.py"
    broken.write_text("def upgrade(conn)\n    pass\n")
    assert catalog_error(migrations_dir).path == broken


def test_a_file_without_upgrade_is_named(migrations_dir):
    empty = migrations_dir / f"{SHIPPED_COUNT + 1:03d}_no_upgrade.py"
    empty.write_text('"""Forgot the function"""\n\nupgrade = "not callable"\n')
    error = catalog_error(migrations_dir)
    assert error.path == empty and "upgrade(conn)" in str(error)


def test_a_missing_folder_is_named(tmp_path):
    error = catalog_error(tmp_path / "nowhere")
    assert error.path == tmp_path / "nowhere" and "nowhere" in str(error)


def test_upgrade_with_a_bad_folder_refuses_before_touching_the_file(legacy_db, migrations_dir):
    write_migration(migrations_dir, SHIPPED_COUNT + 2, "gap", "pass")
    before = legacy_db.read_bytes()
    with pytest.raises(CatalogError):
        api.upgrade(legacy_db, migrations_dir=migrations_dir)
    assert legacy_db.read_bytes() == before
    assert not (legacy_db.parent / "backups").exists()


def test_the_docstrings_first_line_is_the_description(migrations_dir):
    write_migration(
        migrations_dir,
        SHIPPED_COUNT + 1,
        "described",
        "pass",
        doc="Add the parking register\n\nLonger explanation for developers.",
    )
    last = load_catalog(migrations_dir).migrations[-1]
    assert (last.version, last.name, last.description) == (
        SHIPPED_COUNT + 1,
        "described",
        "Add the parking register",
    )


def test_private_files_are_not_migrations(migrations_dir):
    (migrations_dir / "__init__.py").write_text("")
    (migrations_dir / "_helpers.py").write_text("X = 1\n")
    assert load_catalog(migrations_dir).latest == SHIPPED_COUNT


def test_the_shipped_catalog_runs_one_to_n_with_descriptions():
    catalog = load_catalog()
    assert [m.version for m in catalog.migrations] == list(range(1, SHIPPED_COUNT + 1))
    assert all(m.description and not m.description.endswith(".") for m in catalog.migrations)
    assert len({m.checksum for m in catalog.migrations}) == SHIPPED_COUNT
