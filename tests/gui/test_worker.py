"""A job's worker on its own thread: events as signals, and no exception ever escapes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gui_helpers import UPGRADE_TIMEOUT_MS, user_version
from helpers.migration_files import SHIPPED_COUNT
from PySide6.QtCore import QObject, QThread, Signal, Slot

from core import api
from core.discovery import load_catalog
from core.errors import NotADatabase
from core.events import MigrationApplied, UpgradeFinished
from gui.jobs import rehearse, restore, upgrade
from gui.worker import Failure, JobWorker
from samples.legacy import Shape, build


def upgrade_worker(path) -> JobWorker:
    return JobWorker(upgrade.upgrade_work(path, load_catalog()), upgrade.UNEXPECTED)


class Relay(QObject):
    """Receives the worker's signals in the GUI thread, as the window does, and passes them on.

    pytest-qt's blockers connect plain callables, which would run in the worker's
    thread; waiting on the relay's signals keeps every check in the GUI thread.

    Signals:
        completed(object), failed(object), finished(): as the worker's, in the GUI thread.
    """

    completed = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, worker: JobWorker) -> None:
        super().__init__()
        self.events: list[object] = []
        worker.reported.connect(self._on_worker_event)
        worker.completed.connect(self._on_worker_completed)
        worker.failed.connect(self._on_worker_failed)
        worker.finished.connect(self._on_worker_finished)

    @Slot(object)
    def _on_worker_event(self, event: object) -> None:
        self.events.append(event)

    @Slot(object)
    def _on_worker_completed(self, result: object) -> None:
        self.completed.emit(result)

    @Slot(object)
    def _on_worker_failed(self, failure: Failure) -> None:
        self.failed.emit(failure)

    @Slot()
    def _on_worker_finished(self) -> None:
        self.finished.emit()


@pytest.fixture
def start(qtbot) -> Iterator:
    """Start a worker in a QThread; teardown waits for the thread to end."""
    threads: list[QThread] = []

    def run(worker: JobWorker) -> QThread:
        thread = QThread()
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.finished.connect(thread.quit)
        threads.append(thread)
        thread.start()
        return thread

    yield run
    for thread in threads:
        thread.quit()
        assert thread.wait(UPGRADE_TIMEOUT_MS)


def test_worker_reports_events_and_result(qtbot, tmp_path, start):
    path = build(tmp_path / "society.db", Shape.MERGED_BY_HAND, residents=5, ledger_rows=20)
    worker = upgrade_worker(path)
    relay = Relay(worker)
    with qtbot.waitSignal(relay.completed, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        blocker.connect(relay.failed)
        start(worker)
    (result,) = blocker.args
    assert (result.from_version, result.to_version, result.cancelled) == (0, SHIPPED_COUNT, False)
    assert result.backup is not None and result.backup.exists()
    applied = [e.step.version for e in relay.events if isinstance(e, MigrationApplied)]
    assert applied == list(range(1, SHIPPED_COUNT + 1))
    assert isinstance(relay.events[-1], UpgradeFinished)  # queued in order, before completed
    assert user_version(path) == SHIPPED_COUNT


def test_engine_error_becomes_its_own_text_without_details(qtbot, tmp_path, start):
    notes = tmp_path / "notes.db"
    notes.write_text("shopping list, not a database\n", encoding="utf-8")
    worker = upgrade_worker(notes)
    relay = Relay(worker)
    with qtbot.waitSignal(relay.failed, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        blocker.connect(relay.completed)  # a success would end the wait too, with other args
        start(worker)
    (failure,) = blocker.args
    assert isinstance(failure.error, NotADatabase)  # the fact, for the window to decide by
    assert "This file is not a database" in failure.message
    assert "The database file was not changed" in failure.message
    assert failure.details == ""


def test_unexpected_error_becomes_generic_text_with_traceback(qtbot, tmp_path, start):
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)

    def buggy(on_event, cancel):  # the window never asks this; a bug would
        return api.upgrade(path, target=99, on_event=on_event, cancel=cancel)

    worker = JobWorker(buggy, upgrade.UNEXPECTED)
    relay = Relay(worker)
    with qtbot.waitSignal(relay.failed, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        blocker.connect(relay.completed)
        start(worker)
    (failure,) = blocker.args
    assert failure.message == upgrade.UNEXPECTED and failure.error is None
    assert failure.details.startswith("Traceback") and "ValueError" in failure.details
    assert user_version(path) == 0


@pytest.mark.parametrize(
    "make",
    [
        lambda db, other: JobWorker(restore.restore_work(other, db, None), restore.UNEXPECTED),
        lambda db, other: JobWorker(
            rehearse.rehearse_work(other, load_catalog()), rehearse.UNEXPECTED
        ),
    ],
    ids=["restore", "test on a copy"],
)
def test_every_kind_of_worker_reports_engine_errors_as_text(qtbot, tmp_path, start, make):
    path = build(tmp_path / "society.db", Shape.FIRST_RELEASE, residents=3, ledger_rows=3)
    before = path.read_bytes()
    worker = make(path, tmp_path / "missing.db")
    relay = Relay(worker)
    with qtbot.waitSignal(relay.failed, timeout=UPGRADE_TIMEOUT_MS) as blocker:
        blocker.connect(relay.completed)
        start(worker)
    (failure,) = blocker.args
    assert "missing.db" in failure.message and failure.details == ""
    assert path.read_bytes() == before
