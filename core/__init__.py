"""The migration engine: stdlib ``sqlite3`` only, never Qt.

Callers use the facade in :mod:`core.api`; the rest is split by concern
(discovery, status, runner, version, backup, guard, errors, events).
"""
