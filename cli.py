"""The command line: the same engine as the window, without Qt.

Exit codes: 0 done (also when nothing was pending), 1 a migration failed and
was rolled back, 2 the file can't be used or the command was mistyped,
130 interrupted with Ctrl+C (the running migration rolled back).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import migrations
from core import api
from core.api import CancelToken, DatabaseStatus
from core.errors import CatalogError, MigrationError, MigrationFailed, UpgradeCancelled
from core.events import BackupProgress, Event
from core.scaffold import new_migration
from core.status import UPGRADABLE

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE, EXIT_INTERRUPTED = 0, 1, 2, 130
COMMANDS = ("status", "upgrade", "backup", "backups", "restore", "new")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="society-migrate",
        description="Bring a Society Management database file safely up to date.",
        epilog="Exit codes: 0 done, 1 a migration failed and was rolled back, "
        "2 the file can't be used or bad usage.",
    )
    verbs = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    status = verbs.add_parser("status", help="show the version and every migration's state")
    status.add_argument("db", type=Path, help="the society database file")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    _migrations_option(status)

    upgrade = verbs.add_parser("upgrade", help="apply the pending migrations")
    upgrade.add_argument("db", type=Path, help="the society database file")
    upgrade.add_argument("--to", type=int, metavar="N", help="stop at version N")
    upgrade.add_argument(
        "--no-backup", action="store_true", help="skip the safety copy (for scripts and tests)"
    )
    upgrade.add_argument(
        "--dry-run",
        action="store_true",
        help="rehearse on a temporary copy and report; the file is not touched",
    )
    _migrations_option(upgrade)

    backup = verbs.add_parser("backup", help="make a verified safety copy")
    backup.add_argument("db", type=Path, help="the society database file")
    backup.add_argument("--out", type=Path, metavar="PATH", help="where to write the copy")
    _migrations_option(backup)

    backups = verbs.add_parser("backups", help="list the safety copies of a database")
    backups.add_argument("db", type=Path, help="the society database file")

    restore = verbs.add_parser("restore", help="put a backup back in place of the database")
    restore.add_argument("backup", type=Path, help="the backup file to restore")
    restore.add_argument("db", type=Path, help="the society database file to replace")
    _migrations_option(restore)

    new = verbs.add_parser("new", help="write the next-numbered migration file (for developers)")
    new.add_argument("description", help='what it does, e.g. "add index on residents status"')
    _migrations_option(new)
    return parser


def _migrations_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--migrations",
        type=Path,
        metavar="DIR",
        default=migrations.FOLDER,
        help="use another migrations folder (default: the shipped one)",
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return HANDLERS[args.command](args)
    except CatalogError as exc:
        return _error(f"The migrations are not usable: {exc}")
    except UpgradeCancelled as exc:
        return _error(str(exc), EXIT_INTERRUPTED)
    except MigrationFailed as exc:
        return _error(str(exc), EXIT_FAILED)
    except MigrationError as exc:
        return _error(str(exc))
    except ValueError as exc:
        return _error(str(exc))
    except KeyboardInterrupt:
        return _error("Interrupted. Any migration that was running was rolled back.", 130)


def _status(args: argparse.Namespace) -> int:
    found = api.status(args.db, args.migrations)
    usable = found.state in UPGRADABLE
    if args.json:
        print(json.dumps(found.to_json(), indent=2))
        return EXIT_OK if usable else EXIT_UNUSABLE
    if not usable:
        return _error(found.summary)
    print(render_status(found))
    return EXIT_OK


def render_status(found: DatabaseStatus) -> str:
    lines = [
        f"Database: {found.path}",
        f"Version:  {found.current_version} (latest {found.latest_version})",
        f"State:    {found.summary}",
        "",
    ]
    for row in found.migrations:
        when = (row.applied_at or "date not recorded") if row.status == "applied" else ""
        mark = "  CHANGED SINCE APPLIED" if row.changed_since_applied else ""
        lines.append(f"  {row.version:03d}  {row.status:<8} {when:<26} {row.description}{mark}")
    if found.changed:
        lines += [
            "",
            "Warning: the file of an applied migration has changed since it ran; "
            "the database was upgraded by different code than this tool ships.",
        ]
    return "\n".join(lines)


def _upgrade(args: argparse.Namespace) -> int:
    if args.dry_run:
        return _rehearse(args)
    with ctrl_c_stops(CancelToken()) as cancel:
        result = api.upgrade(
            args.db,
            migrations_dir=args.migrations,
            target=args.to,
            backup=not args.no_backup,
            on_event=print_event,
            cancel=cancel,
        )
    if result.backup is not None:
        print(f"Backup: {result.backup}")
    if result.cancelled:
        return _error(
            f"Stopped at version {result.to_version} as asked; every migration applied is "
            "complete. Run the upgrade again for the rest.",
            EXIT_INTERRUPTED,
        )
    return EXIT_OK


@contextmanager
def ctrl_c_stops(cancel: CancelToken) -> Iterator[CancelToken]:
    """Ctrl+C means "stop now": the running migration is rolled back through SQLite.

    Python's own KeyboardInterrupt can't stop a long SQLite statement; the
    engine's cancel token can, and it reports the rollback properly.
    """
    if threading.current_thread() is not threading.main_thread():
        yield cancel
        return
    previous = signal.signal(signal.SIGINT, lambda _sig, _frame: cancel.cancel(interrupt=True))
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)


def _rehearse(args: argparse.Namespace) -> int:
    rehearsal = api.rehearse(
        args.db, migrations_dir=args.migrations, target=args.to, on_event=print_event
    )
    print()
    print(rehearsal.text)
    print("Schema after the rehearsal:")
    for table, cols in rehearsal.schema.items():
        print(f"  {table} ({len(cols)} columns): {', '.join(cols)}")
    return EXIT_OK if rehearsal.succeeded else EXIT_FAILED


def _backup(args: argparse.Namespace) -> int:
    made = api.backup(args.db, out=args.out, migrations_dir=args.migrations, on_event=print_event)
    print(f"Backup: {made}")
    return EXIT_OK


def _backups(args: argparse.Namespace) -> int:
    found = api.list_backups(args.db)
    if not found:
        print(f"No backups of {args.db.name} in {args.db.resolve().parent / 'backups'}.")
    for item in found:
        version = "unreadable" if item.version is None else f"version {item.version}"
        print(f"{item.taken_at:%Y-%m-%d %H:%M}  {version:<12} {item.path}")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    result = api.restore(args.backup, args.db, migrations_dir=args.migrations, on_event=print_event)
    if result.replaced_kept_at is not None:
        print(f"The file that was replaced is kept at {result.replaced_kept_at}")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    made = new_migration(args.migrations, args.description)
    print(f"Created {made}; it runs as it is (a no-op) until you fill in upgrade().")
    return EXIT_OK


HANDLERS = {
    "status": _status,
    "upgrade": _upgrade,
    "backup": _backup,
    "backups": _backups,
    "restore": _restore,
    "new": _new,
}


def print_event(event: Event) -> None:
    """Print what the engine reports, one line each (page-by-page backup counts skipped)."""
    if isinstance(event, BackupProgress):
        return
    print(event.text, flush=True)


def _error(message: str, code: int = EXIT_UNUSABLE) -> int:
    print(message, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
