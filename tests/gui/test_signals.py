"""The installed PySide6 must not lose references to ``True`` on emit.

PySide6 6.12.0's ``SignalInstance.emit`` drops one reference to ``True`` per
call; on Python 3.11 a few thousand emits (a long upgrade's progress events)
abort the interpreter with "Fatal Python error: bool_dealloc". pyproject.toml
excludes that release; this test fails if a faulty one is ever installed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()
    payload = Signal(object)


def test_emitting_many_times_keeps_the_reference_count_of_true(qapp) -> None:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(200):
        probe.ping.emit()
        probe.payload.emit(None)
    lost = before - sys.getrefcount(True)
    # Give back what a faulty emit took, so a failing run doesn't also crash.
    if lost > 0:
        import ctypes

        for _ in range(lost):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    assert lost < 10, f"this PySide6 lost {lost} references to True in 400 emits"
