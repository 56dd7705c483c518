"""The desktop window of the Society DB Migrator (PySide6 widgets over ``core``).

Only this package imports Qt; it shows what :mod:`core.api` reports and runs
:func:`core.api.upgrade` on a worker thread.
"""
