"""Naming widgets for the tests: ``named(QLabel(), "statusLabel")``.

Tests find widgets by ``objectName``; Qt's constructors take it as a keyword
at run time, but PySide6's type stubs don't know that, so it is set here.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

Q = TypeVar("Q", bound=QObject)


def named(obj: Q, name: str) -> Q:
    """``obj`` with its ``objectName`` set to ``name``."""
    obj.setObjectName(name)
    return obj
