"""Create the domestic help table (people who work in residents' flats)

One row per person, linked to ``residents.id``, with their ID proof, photo
path, 'Active' status and what they may access. A table some install already
has keeps its rows and extra columns and is brought to this definition
(rebuilt if it lacks the link to residents or the default status).
"""

from sqlite3 import Connection

from core.converge import Column, ForeignKey, Table, ensure_defined
from core.schema import create_index_if_missing

DOMESTIC_HELP = Table(
    "domestic_help",
    columns=(
        Column("id", "INTEGER", primary_key=True),
        Column("resident_id", "INTEGER"),
        Column("name", "TEXT"),
        Column("role", "TEXT"),
        Column("phone", "TEXT"),
        Column("id_proof_type", "TEXT"),
        Column("id_proof_number", "TEXT"),
        Column("photo_path", "TEXT"),
        Column("status", "TEXT", default="'Active'"),
        Column("access_permissions", "TEXT"),
    ),
    foreign_keys=(ForeignKey(("resident_id",), "residents", ("id",)),),
)


def upgrade(conn: Connection) -> None:
    ensure_defined(conn, DOMESTIC_HELP)
    create_index_if_missing(conn, "idx_domestic_help_resident", "domestic_help", ["resident_id"])
