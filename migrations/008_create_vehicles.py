"""Create the vehicles table (each resident's cars and scooters)

One row per vehicle, linked to ``residents.id``; ``status`` starts as
'Active'. The residents' older ``car_numbers``/``scooter_numbers`` text is left
as it is: the app still reads it. A table some install already has keeps its
rows and extra columns and is brought to this definition (rebuilt if it lacks
the link to residents).
"""

from sqlite3 import Connection

from core.converge import Column, ForeignKey, Table, ensure_defined
from core.schema import create_index_if_missing

VEHICLES = Table(
    "vehicles",
    columns=(
        Column("id", "INTEGER", primary_key=True),
        Column("resident_id", "INTEGER"),
        Column("vehicle_type", "TEXT"),
        Column("registration_number", "TEXT"),
        Column("make", "TEXT"),
        Column("model", "TEXT"),
        Column("color", "TEXT"),
        Column("parking_slot", "TEXT"),
        Column("status", "TEXT", default="'Active'"),
    ),
    foreign_keys=(ForeignKey(("resident_id",), "residents", ("id",)),),
)


def upgrade(conn: Connection) -> None:
    ensure_defined(conn, VEHICLES)
    create_index_if_missing(conn, "idx_vehicles_resident", "vehicles", ["resident_id"])
