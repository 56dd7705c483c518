"""The migrations table model: Qt's model checks, and the words and marks it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from core import api
from gui.migrations_model import STATUS, MigrationsModel, duration_text, local_time
from samples.legacy import Shape, build


def rows_of(tmp_path, *, upgraded: bool):
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    if upgraded:
        api.upgrade(path, backup=False, target=2)
    return api.status(path).migrations


def test_model_passes_qt_checks_empty_filled_and_marked(qtmodeltester, tmp_path):
    model = MigrationsModel()
    qtmodeltester.check(model)
    model.set_rows(rows_of(tmp_path, upgraded=True))
    qtmodeltester.check(model)
    model.mark_running(3)
    model.mark_failed(4, "RuntimeError: boom")
    qtmodeltester.check(model)


def test_statuses_follow_the_run_and_failures_outlive_a_reread(tmp_path):
    model = MigrationsModel()
    rows = rows_of(tmp_path, upgraded=True)
    model.set_rows(rows)
    assert [model.status_text(r) for r in range(4)] == ["Applied", "Applied", "Pending", "Pending"]
    model.mark_running(3)
    assert model.status_text(2) == "Running…"
    assert model.data(model.index(2, STATUS), Qt.ItemDataRole.BackgroundRole) is not None
    model.mark_applied(3, 0.25)
    assert model.status_text(2) == "Applied"
    assert model.data(model.index(2, 4)) == "250 ms"
    model.mark_failed(4, "RuntimeError: boom")
    assert "RuntimeError: boom" in model.data(model.index(3, 0), Qt.ItemDataRole.ToolTipRole)

    model.set_rows(rows, keep_marks=True)  # the file read again after the run
    assert model.status_text(3) == "Failed, rolled back"
    model.set_rows(rows)  # another file opened
    assert model.status_text(3) == "Pending"


def test_pending_rows_stand_out(tmp_path):
    model = MigrationsModel()
    model.set_rows(rows_of(tmp_path, upgraded=True))
    font = model.data(model.index(3, 1), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert model.data(model.index(0, 1), Qt.ItemDataRole.FontRole) is None


def test_times_and_durations_read_well():
    assert duration_text(None) == ""
    assert duration_text(12.4) == "12 ms"
    assert duration_text(2500) == "2.5 s"
    assert local_time(None) == ""
    assert local_time("not a time") == "not a time"
    assert len(local_time("2024-05-01T10:00:00+00:00")) == len("2024-05-01 10:00")
