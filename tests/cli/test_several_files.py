"""The command line with several files: each its own backup, a summary, the worst exit code."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.migration_files import (
    SHIPPED_COUNT,
    copy_shipped,
    fail_where_marked,
    mark_to_fail,
)
from helpers.snapshot import version

import cli
from core import runlog
from samples.legacy import Shape, build


def copies(folder: Path, *names: str) -> list[Path]:
    shape = Shape.MERGED_BY_HAND
    return [build(folder / f"{n}.db", shape, residents=8, ledger_rows=20) for n in names]


def table_rows(out: str) -> dict[str, list[str]]:
    """The summary table's rows by file name: [version, result, backup]."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["File", "Version"])
    rows = {}
    for line in lines[start + 2 :]:
        path, old, _arrow, new, *rest = line.split()
        rows[Path(path).name] = [f"{old} -> {new}", " ".join(rest[:-1]), rest[-1]]
    return rows


def test_three_copies_and_a_text_file_in_one_go(tmp_path, capsys):
    office, laptop, stick = copies(tmp_path, "office", "laptop", "stick")
    notes = tmp_path / "notes.db"
    notes.write_text("not a database", encoding="utf-8")

    code = cli.main(["upgrade", str(office), str(notes), str(laptop), str(stick)])

    out, err = capsys.readouterr()
    assert code == 2  # the worst: a file that can't be used
    rows = table_rows(out)
    assert list(rows) == ["office.db", "notes.db", "laptop.db", "stick.db"]
    latest = f"0 -> {SHIPPED_COUNT}"
    for path in (office, laptop, stick):
        assert version(path) == SHIPPED_COUNT  # the file itself
        (backup,) = (tmp_path / "backups").glob(f"{path.stem}_v0_*.db")
        assert version(backup) == 0
        assert rows[path.name] == [latest, "upgraded", str(backup)]
    assert rows["notes.db"] == ["? -> ?", "not upgraded", "none"]
    assert "notes.db: This file is not a database" in err
    assert notes.read_text(encoding="utf-8") == "not a database"
    lines = runlog.log_path().read_text(encoding="utf-8").splitlines()
    assert [line.split(" | ")[2] for line in lines] == [str(office), str(laptop), str(stick)]


def test_a_failed_copy_is_rolled_back_and_the_others_go_on(tmp_path, capsys):
    folder = copy_shipped(tmp_path / "migrations")
    fail_where_marked(folder, SHIPPED_COUNT + 1)
    first, marked, last = copies(tmp_path, "first", "marked", "last")
    mark_to_fail(marked)

    code = cli.main(["upgrade", str(first), str(marked), str(last), "--migrations", str(folder)])

    out, err = capsys.readouterr()
    assert code == 1
    rows = table_rows(out)
    assert rows["marked.db"][:2] == [f"0 -> {SHIPPED_COUNT}", "failed, rolled back"]
    assert rows["first.db"][1] == rows["last.db"][1] == "upgraded"
    assert version(marked) == SHIPPED_COUNT
    assert version(first) == version(last) == SHIPPED_COUNT + 1
    assert "marked.db: Migration" in err and "rolled back" in err


def test_status_json_of_several_files_is_a_list(tmp_path, capsys):
    office, laptop = copies(tmp_path, "office", "laptop")
    assert cli.main(["status", "--json", str(office), str(laptop)]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [(Path(f["path"]).name, f["state"]) for f in found] == [
        ("office.db", "unversioned"),
        ("laptop.db", "unversioned"),
    ]
    missing = tmp_path / "gone.db"
    assert cli.main(["status", "--json", str(office), str(missing)]) == 2
    assert [f["state"] for f in json.loads(capsys.readouterr().out)] == ["unversioned", "missing"]


def test_one_file_is_still_one_object_and_plain_status_names_each(tmp_path, capsys):
    (office,) = copies(tmp_path, "office")
    assert cli.main(["status", "--json", str(office)]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "unversioned"
    (laptop,) = copies(tmp_path, "laptop")
    assert cli.main(["status", str(office), str(laptop)]) == 0
    out = capsys.readouterr().out
    assert f"== {office}" in out and f"== {laptop}" in out
