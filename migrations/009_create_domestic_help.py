"""Create the domestic help table (people who work in residents' flats)

One row per person, linked to ``residents.id``, with their ID proof, photo
path, 'Active' status and what they may access. A table some install already
has keeps its rows and gets only the columns it lacks.
"""

from sqlite3 import Connection

from core.schema import create_index_if_missing, ensure_table

DOMESTIC_HELP = {
    "id": "INTEGER PRIMARY KEY",
    "resident_id": "INTEGER REFERENCES residents (id)",
    "name": "TEXT",
    "role": "TEXT",
    "phone": "TEXT",
    "id_proof_type": "TEXT",
    "id_proof_number": "TEXT",
    "photo_path": "TEXT",
    "status": "TEXT DEFAULT 'Active'",
    "access_permissions": "TEXT",
}


def upgrade(conn: Connection) -> None:
    ensure_table(conn, "domestic_help", DOMESTIC_HELP)
    create_index_if_missing(conn, "idx_domestic_help_resident", "domestic_help", ["resident_id"])
