"""Add car and scooter number plates to residents

Files from the vehicles branch already have these columns (added by hand);
files from the bank-reconciliation branch and the first release do not.
"""

from sqlite3 import Connection

from core.schema import add_column_if_missing


def upgrade(conn: Connection) -> None:
    add_column_if_missing(conn, "residents", "car_numbers", "TEXT")
    add_column_if_missing(conn, "residents", "scooter_numbers", "TEXT")
