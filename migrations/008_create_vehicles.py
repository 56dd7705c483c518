"""Create the vehicles table (each resident's cars and scooters)

One row per vehicle, linked to ``residents.id``; ``status`` starts as
'Active'. The residents' older ``car_numbers``/``scooter_numbers`` text is left
as it is: the app still reads it. A table some install already has keeps its
rows and gets only the columns it lacks.
"""

from sqlite3 import Connection

from core.schema import create_index_if_missing, ensure_table

VEHICLES = {
    "id": "INTEGER PRIMARY KEY",
    "resident_id": "INTEGER REFERENCES residents (id)",
    "vehicle_type": "TEXT",
    "registration_number": "TEXT",
    "make": "TEXT",
    "model": "TEXT",
    "color": "TEXT",
    "parking_slot": "TEXT",
    "status": "TEXT DEFAULT 'Active'",
}


def upgrade(conn: Connection) -> None:
    ensure_table(conn, "vehicles", VEHICLES)
    create_index_if_missing(conn, "idx_vehicles_resident", "vehicles", ["resident_id"])
