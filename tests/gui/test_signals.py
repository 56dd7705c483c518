"""PySide6's emit must not eat references to ``True`` (it crashes Python 3.11 after a while)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from gui.signals import _Probe, emit

GUI = Path(__file__).resolve().parents[2] / "gui"


def test_emitting_many_times_keeps_the_reference_count_of_true():
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(5000):
        emit(probe.ping)
    assert abs(sys.getrefcount(True) - before) < 10  # a faulty emit alone would lose 5000


def test_every_signal_in_gui_is_emitted_through_the_helper():
    raw = re.compile(r"\.emit\(")
    offenders = [
        f"{path.name}:{number}"
        for path in GUI.glob("*.py")
        if path.name != "signals.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if raw.search(line)
    ]
    assert offenders == []
