"""Add residents' photo, vacancy and flat-maintenance details

The newest Society app lists and saves these six columns with every resident:
``profile_photo_path`` (a path under ``resident_photos/``), ``vacancy_reason``
(why a Vacant flat is empty), ``expected_occupancy_date`` and
``last_maintenance_date`` ('yyyy-MM-dd' text), and the name and phone of who
looks after the flat. Without them residents can't be listed or added. Files
where someone already added some of them keep those as they are.
"""

from sqlite3 import Connection

from core.schema import add_column_if_missing

RESIDENT_COLUMNS = (
    "profile_photo_path",
    "vacancy_reason",
    "expected_occupancy_date",
    "last_maintenance_date",
    "maintenance_person_name",
    "maintenance_person_phone",
)


def upgrade(conn: Connection) -> None:
    for column in RESIDENT_COLUMNS:
        add_column_if_missing(conn, "residents", column, "TEXT")
