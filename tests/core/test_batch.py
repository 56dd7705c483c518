"""Several copies in one go: each its own backup, one failure doesn't stop the others."""

from __future__ import annotations

from pathlib import Path

from helpers import snapshot
from helpers.migration_files import SHIPPED_COUNT, fail_where_marked, mark_to_fail

from core import api, batch
from core.batch import Result
from core.cancel import CancelToken
from core.discovery import load_catalog
from samples.legacy import Shape, build


def copies(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    return [
        build(folder / f"{n}.db", Shape.MERGED_BY_HAND, residents=10, ledger_rows=30) for n in names
    ]


def test_three_copies_are_upgraded_each_with_its_own_backup(tmp_path):
    paths = copies(tmp_path, "office", "treasurer", "usb-stick")
    started: list[Path] = []
    outcomes = batch.upgrade_each(paths, load_catalog(), on_file=lambda _i, p: started.append(p))
    assert started == paths
    latest = load_catalog().latest
    for path, outcome in zip(paths, outcomes, strict=True):
        assert (outcome.result, outcome.from_version, outcome.to_version) == (
            Result.UPGRADED,
            0,
            latest,
        )
        assert api.status(path).current_version == latest  # the file itself
        assert outcome.backup is not None and outcome.backup.parent == tmp_path / "backups"
        assert outcome.backup.name.startswith(f"{path.stem}_v0_")
        assert api.status(outcome.backup).current_version == 0
    assert batch.worst_exit_code(outcomes) == 0


def test_a_failure_and_an_unusable_file_dont_stop_the_others(tmp_path, migrations_dir):
    fail_where_marked(migrations_dir, SHIPPED_COUNT + 1)
    office, laptop, stick = copies(tmp_path, "office", "laptop", "stick")
    mark_to_fail(laptop)
    notes = tmp_path / "notes.db"
    notes.write_text("not a database", encoding="utf-8")
    catalog = load_catalog(migrations_dir)

    outcomes = batch.upgrade_each([office, laptop, notes, stick], catalog)

    assert [o.result for o in outcomes] == [
        Result.UPGRADED,
        Result.FAILED,
        Result.NOT_UPGRADED,
        Result.UPGRADED,
    ]
    failed = outcomes[1]
    assert (failed.from_version, failed.to_version) == (0, SHIPPED_COUNT)
    assert "rolled back" in failed.reason and failed.backup is not None
    assert api.status(laptop, catalog=catalog).current_version == SHIPPED_COUNT
    assert "added_by_the_last" not in snapshot.columns_of(laptop)  # the failed step undone
    assert notes.read_text(encoding="utf-8") == "not a database"
    for path in (office, stick):
        assert api.status(path, catalog=catalog).current_version == SHIPPED_COUNT + 1
    assert batch.worst_exit_code(outcomes) == 2


def test_a_copy_already_up_to_date_is_said_so_and_not_backed_up_again(tmp_path):
    (path,) = copies(tmp_path, "office")
    api.upgrade(path, backup=False)
    (outcome,) = batch.upgrade_each([path], load_catalog())
    assert outcome.result is Result.UP_TO_DATE and outcome.backup is None
    assert not (tmp_path / "backups").exists()


def test_after_a_cancel_the_rest_are_not_started_and_stay_as_they_were(tmp_path):
    paths = copies(tmp_path, "a", "b")
    cancel = CancelToken()
    cancel.cancel()
    outcomes = batch.upgrade_each(paths, load_catalog(), cancel=cancel)
    assert [o.result for o in outcomes] == [Result.NOT_STARTED, Result.NOT_STARTED]
    assert all(api.status(p).current_version == 0 for p in paths)
    assert batch.worst_exit_code(outcomes) == 130


def test_the_summary_table_has_a_row_per_copy_with_versions_result_and_backup(tmp_path):
    outcomes = [
        batch.FileOutcome(Path("/d/office.db"), 0, 4, Result.UPGRADED, Path("/d/backups/o.db")),
        batch.FileOutcome(Path("/d/notes.db"), None, None, Result.NOT_UPGRADED),
    ]
    assert batch.summary_table(outcomes).splitlines() == [
        "File          Version  Result        Backup",
        "------------  -------  ------------  ---------------",
        "/d/office.db  0 -> 4   upgraded      /d/backups/o.db",
        "/d/notes.db   ? -> ?   not upgraded  none",
    ]
