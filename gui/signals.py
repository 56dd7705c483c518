"""Emit Qt signals from Python without losing a reference to ``True``.

PySide6 6.12.0's ``SignalInstance.emit`` returns ``True`` without taking a
reference for it, so every call drops one reference that the interpreter still
counts on. On Python 3.11, where ``True`` is not immortal, a few thousand emits
end the program with "Fatal Python error: bool_dealloc". Every signal in
``gui/`` is emitted through :func:`emit`, which gives the reference back when,
and only when, the running PySide6 has that fault (checked once, at import).
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    ping = Signal()


def _emit_drops_a_reference() -> bool:
    """Emit a few times and count; give back whatever the probe itself lost."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return lost > 0


EMIT_DROPS_TRUE = _emit_drops_a_reference()


def emit(signal: SignalInstance, *args: object) -> None:
    """``signal.emit(*args)``, with PySide6's lost reference to ``True`` restored."""
    result = signal.emit(*args)
    if EMIT_DROPS_TRUE and result is True:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
