"""The command line: the same engine as the window, without Qt.

Exit codes: 0 done (also when nothing was pending), 1 a migration failed and
was rolled back (for ``check``: the file differs from its version's schema),
2 the file can't be used or the command was mistyped, 3 the migrations were
applied but the file still differs from the schema of the version reached,
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
from core import api, batch, wording
from core.api import Action, CancelToken
from core.check import Outcome
from core.errors import CatalogError, MigrationError, MigrationFailed, UpgradeCancelled
from core.events import BackupProgress, Event
from core.scaffold import new_migration

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE, EXIT_DIFFERS, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
COMMANDS = ("status", "check", "upgrade", "backup", "backups", "restore", "new")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="society-migrate",
        description="Bring a Society Management database file safely up to date.",
        epilog="Exit codes: 0 done, 1 a migration failed and was rolled back (check: the "
        "file differs), 2 the file can't be used or bad usage, 3 the migrations were "
        "applied but the file still differs from its version's schema.",
    )
    verbs = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    status = verbs.add_parser("status", help="show the version and every migration's state")
    status.add_argument("db", type=Path, nargs="+", help="the society database file(s)")
    status.add_argument(
        "--json", action="store_true", help="print one JSON object (a list for several files)"
    )
    _migrations_option(status)

    check = verbs.add_parser(
        "check", help="compare the file with the schema its version must have, in words"
    )
    check.add_argument("db", type=Path, help="the society database file")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    _migrations_option(check)

    upgrade = verbs.add_parser(
        "upgrade", help="apply the pending migrations (to several copies one after another)"
    )
    upgrade.add_argument("db", type=Path, nargs="+", help="the society database file(s)")
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
        return _error(wording.catalog_unusable(exc))
    except UpgradeCancelled as exc:
        return _error(str(exc), EXIT_INTERRUPTED)
    except MigrationFailed as exc:
        return _error(str(exc), EXIT_FAILED)
    except MigrationError as exc:
        return _error(str(exc))
    except ValueError as exc:
        return _error(str(exc))
    except OSError as exc:  # a file the engine did not expect to fail: a message, never a traceback
        return _error(wording.file_error(exc.filename, str(exc.strerror or exc)))
    except KeyboardInterrupt:
        return _error(wording.INTERRUPTED, EXIT_INTERRUPTED)


def _status(args: argparse.Namespace) -> int:
    found = api.status(args.db, args.migrations)
    usable = found.state.allows(Action.UPGRADE)
    if args.json:
        print(json.dumps(found.to_json(), indent=2))
        return EXIT_OK if usable else EXIT_UNUSABLE
    if not usable:
        return _error(found.summary)
    print(wording.status_report(found))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    report = api.check(args.db, args.migrations)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    elif report.outcome is Outcome.UNUSABLE:
        return _error(report.status.summary)
    else:
        print(wording.check_report(report))
    return int(report.outcome)


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
        print(wording.backup_kept(result.backup))
    if result.cancelled:
        return _error(wording.stopped_as_asked(result.to_version), EXIT_INTERRUPTED)
    if result.differences:  # the last event listed them; say it where scripts look
        return _error(wording.left_differing(result.to_version, args.db), EXIT_DIFFERS)
    return EXIT_OK


@contextmanager
def ctrl_c_stops(cancel: CancelToken) -> Iterator[CancelToken]:
    """Ctrl+C or SIGTERM means "stop now": the running migration is rolled back.

    Python's own KeyboardInterrupt can't stop a long SQLite statement; the
    engine's cancel token can, and it reports the rollback properly.
    """
    if threading.current_thread() is not threading.main_thread():
        yield cancel
        return

    def stop_now(_sig: int, _frame: object) -> None:
        cancel.cancel(interrupt=True)  # raises in a migration's own code, if that is running

    asked = [signal.SIGINT, signal.SIGTERM]  # Ctrl+C, and a polite kill (closing a terminal)
    previous = {sig: signal.signal(sig, stop_now) for sig in asked}
    try:
        yield cancel
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _rehearse(args: argparse.Namespace) -> int:
    rehearsal = api.rehearse(
        args.db, migrations_dir=args.migrations, target=args.to, on_event=print_event
    )
    print()
    print(rehearsal.text)
    print(wording.SCHEMA_AFTER_REHEARSAL)
    for table, cols in rehearsal.schema.items():
        print(f"  {wording.table_columns(table, cols)}")
    if rehearsal.succeeded and rehearsal.differences:
        return EXIT_DIFFERS
    return EXIT_OK if rehearsal.succeeded else EXIT_FAILED


def _backup(args: argparse.Namespace) -> int:
    made = api.backup(args.db, out=args.out, migrations_dir=args.migrations, on_event=print_event)
    print(wording.backup_kept(made))
    return EXIT_OK


def _backups(args: argparse.Namespace) -> int:
    found = api.list_backups(args.db)
    if not found:
        print(wording.no_backups(args.db, api.default_backup_dir(args.db)))
    for item in found:
        print(wording.backup_line(item))
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    result = api.restore(args.backup, args.db, migrations_dir=args.migrations, on_event=print_event)
    if result.replaced_kept_at is not None:
        print(wording.replaced_kept(result))
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    made = new_migration(args.migrations, args.description)
    print(wording.migration_created(made))
    return EXIT_OK


def with_file(args: argparse.Namespace, path: Path) -> argparse.Namespace:
    """``args`` for the one-file handlers: ``db`` is ``path``."""
    return argparse.Namespace(**{**vars(args), "db": path})


def _status_files(args: argparse.Namespace) -> int:
    """One file as before; several: each in turn (a JSON list), the worst exit code."""
    if len(args.db) == 1:
        return _status(with_file(args, args.db[0]))
    if not args.json:
        codes = []
        for path in args.db:
            print(wording.file_heading(path), flush=True)
            codes.append(_status(with_file(args, path)))
            print()
        return max(codes)
    catalog = api.load_catalog(args.migrations)
    found = [api.status(path, catalog=catalog) for path in args.db]
    print(json.dumps([f.to_json() for f in found], indent=2))
    return max(EXIT_OK if f.state.allows(Action.UPGRADE) else EXIT_UNUSABLE for f in found)


def _upgrade_files(args: argparse.Namespace) -> int:
    """One file as before; several: each in turn with its own backup, then the summary table.

    One copy's failure doesn't stop the others; Ctrl+C stops the rest. The exit
    code is the worst of them.
    """
    if len(args.db) == 1 or args.dry_run:
        return max(_upgrade(with_file(args, path)) for path in args.db)
    catalog = api.load_catalog(args.migrations)
    total = len(args.db)
    with ctrl_c_stops(CancelToken()) as cancel:
        outcomes = batch.upgrade_each(
            args.db,
            catalog,
            target=args.to,
            backup=not args.no_backup,
            on_file=lambda i, path: print(f"\n{wording.file_heading(path, i, total)}", flush=True),
            on_event=print_event,
            cancel=cancel,
        )
    for outcome in outcomes:
        if outcome.reason and outcome.result is not batch.Result.UP_TO_DATE:
            print(wording.file_reason(outcome.path, outcome.reason), file=sys.stderr)
    print()
    print(batch.summary_table(outcomes))
    return batch.worst_exit_code(outcomes)


HANDLERS = {
    "status": _status_files,
    "check": _check,
    "upgrade": _upgrade_files,
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
