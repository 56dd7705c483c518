"""Every sentence staff read, made from facts, in this one module.

The engine reports facts: results, errors (:mod:`core.errors`), events
(:mod:`core.events`), a file's status (:mod:`core.status`). The CLI and the
window turn them into words here, and only here, so that both say the same
thing. Nothing edits a sentence after it is made, and nothing compares
sentences to decide anything: decisions read the facts.

Pure functions; at run time this imports nothing of ``core`` but the state
table, so every other module may use it (the fact types are named for the
type checker only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.reasons import CatalogProblem as P
from core.reasons import Outcome
from core.reasons import Refusal as R
from core.state import Action, State

if TYPE_CHECKING:
    from core.check import CheckReport
    from core.conformance import SchemaVerdict
    from core.errors import CatalogError, DatabaseUnusable
    from core.events import (
        BackupDone,
        BackupProgress,
        BackupStarted,
        MigrationApplied,
        MigrationRolledBack,
        MigrationStarted,
        PlanReady,
        RowsCopied,
        UpgradeFinished,
    )
    from core.marker import InterruptedUpgrade
    from core.plan import Plan
    from core.rehearse import Rehearsal
    from core.restore import BackupInfo, FileSide, RestoreResult
    from core.schemadiff import Comparison, Difference
    from core.status import DatabaseStatus, Distrust

UNCHANGED = "The database file was not changed."
LOCK_HINT = (
    "Close the Society Management System (and any other program using this file), then try again."
)
UNTOUCHED_BY_REHEARSAL = "The real file was not touched."


def count(n: int, noun: str) -> str:
    """``1 migration``, ``2 migrations``, ``1 column``."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


# --- What happened to the file ----------------------------------------------------


def outcome(facts: Outcome) -> str:
    """The sentence that ends every error: what the file is like now."""
    if facts.applied:
        return (
            f"The upgrade stopped at version {facts.applied[-1]}: "
            f"{count(len(facts.applied), 'migration')} had been applied before this, "
            "each one complete. Run the upgrade again for the rest."
        )
    if facts.on_a_copy:
        return UNTOUCHED_BY_REHEARSAL
    if facts.kept_at is not None:
        return f"The database was not changed; a copy of it is at {facts.kept_at}."
    return UNCHANGED if facts.file_exists else ""


def _with_outcome(problem: str, facts: Outcome) -> str:
    return " ".join(part for part in (problem, outcome(facts)) if part)


# --- A file's state ---------------------------------------------------------------


def state_summary(status: DatabaseStatus) -> str:
    """Where the file stands, in one or two sentences (the crash note apart)."""
    version, latest = status.current_version or 0, status.latest_version
    pending = latest - version
    match status.state:
        case State.MISSING if status.is_folder:
            return f"{status.path} is a folder, not a database file."
        case State.MISSING:
            return f"There is no file at {status.path}."
        case State.UNREADABLE if status.journal_needs_writer:
            return (
                "A program was stopped in the middle of writing this file; what it was doing "
                "is kept in the journal beside it. The file is not damaged: SQLite undoes that "
                "change the next time someone who may write to its folder opens it. You may "
                "not write there, so it can't be read from here: ask someone who can to open "
                "it once with the Society app or this tool."
            )
        case State.UNREADABLE:
            return f"The file can't be read: {status.read_error}."
        case State.NOT_SQLITE:
            return "This file is not a database (it is not an SQLite file)."
        case State.CORRUPT:
            return "This SQLite file is damaged and can't be read. Restore it from a backup."
        case State.NOT_SOCIETY:
            return "This is a database of some other program, not a Society Management database."
        case State.LOCKED:
            return f"Another program is writing to this database. {LOCK_HINT}"
        case State.NOT_OURS if status.distrust is not None:
            return (
                f"{distrust(status.distrust)} Nothing will be done to this file; restore it "
                "from a backup, or ask whoever changed it."
            )
        case State.TOO_NEW:
            return (
                f"This database is at version {version}, made by a newer version of the tool "
                f"(this one knows up to {latest})."
            )
        case State.NEW:
            text = (
                "An empty database: upgrading sets it up as a new society database "
                f"(version {latest})."
            )
        case State.UNVERSIONED:
            text = (
                "An unversioned database from an older install: "
                f"{count(pending, 'migration')} pending."
            )
        case State.PENDING:
            text = f"At version {version}: {count(pending, 'migration')} pending."
        case State.DIFFERS | State.NUMBERED_ELSEWHERE:
            text = standing(status.schema, pending, latest)
        case _:
            text = f"Up to date at version {version}."
    if not status.writable:
        text += " The file is read-only, so it can't be upgraded where it is."
    if status.upgrading_elsewhere:
        text += " Another program is upgrading it right now."
    return text


def distrust(facts: Distrust) -> str:
    """What in a file's bookkeeping this tool never writes, in words."""
    if facts.kind == facts.NEGATIVE_VERSION:
        return (
            f"This database's version number is {facts.number}. A version is never negative: "
            "it was set by hand or by another program, so which migrations it has can't "
            "be known from it."
        )
    if facts.kind == facts.FOREIGN_HISTORY:
        return (
            f"This database has a {facts.name} named {facts.table} that this tool didn't "
            "make (it is not the tool's history table), so its history can't be read."
        )
    if facts.kind == facts.ODD_VERSIONS:
        return (
            f"This database's {facts.table} table has {count(facts.number, 'row')} "
            "whose version is empty or not a whole number; this tool never writes such "
            "a row, so its history can't be trusted."
        )
    return (
        f"This database has a trigger ({facts.name}) on the tool's own {facts.table} table. "
        "It would run its own code whenever the tool records a migration, so the tool "
        "won't write to this file."
    )


STATE_WORDS: dict[State, str] = {
    State.MISSING: "not found",
    State.UNREADABLE: "can't be read",
    State.NOT_SQLITE: "not a database",
    State.CORRUPT: "damaged",
    State.NOT_SOCIETY: "not a society database",
    State.LOCKED: "locked by another program",
    State.NEW: "empty (set it up on its own)",
    State.UNVERSIONED: "unversioned",
    State.PENDING: "pending",
    State.UP_TO_DATE: "up to date",
    State.DIFFERS: "differs from its version",
    State.NUMBERED_ELSEWHERE: "numbered by another tool",
    State.TOO_NEW: "newer than this tool",
    State.NOT_OURS: "bookkeeping not this tool's",
}


def state_words(status: DatabaseStatus) -> str:
    """Where a file stands in a few words (a row of a list of copies)."""
    society = status.state.allows(Action.UPGRADE) and status.state is not State.NEW
    if society and status.pending and not status.writable:
        return "read-only"
    if society and status.pending:
        pending = f"pending: {count(len(status.pending), 'migration')}"
        return f"differs; {pending}" if status.state is State.DIFFERS else pending
    return STATE_WORDS[status.state]


def status_summary(status: DatabaseStatus) -> str:
    """The state and, after a crash, what was cut short."""
    if status.interrupted is None:
        return state_summary(status)
    return f"{state_summary(status)} {interrupted(status.interrupted)}"


def interrupted(note: InterruptedUpgrade) -> str:
    backup = f" The backup taken before it is {note.backup}." if note.backup else ""
    return (
        f"The last upgrade was cut short while migration {note.version:03d} "
        f"({note.description}) was running. SQLite rolled that migration back, so the "
        f"file is intact at the version shown.{backup} You can retry the upgrade, "
        "or restore the backup."
    )


def changed_since_applied(version: int) -> str:
    return (
        f"Migration {version:03d} was changed after it was applied to this file; "
        "the file was upgraded by different code than this tool ships."
    )


CHANGED_WARNING = (
    "Warning: the file of an applied migration has changed since it ran; "
    "the database was upgraded by different code than this tool ships."
)


def status_report(status: DatabaseStatus) -> str:
    """The command line's ``status``: the file, its version, and every migration."""
    lines = [
        f"Database: {status.path}",
        f"Version:  {status.current_version} (latest {status.latest_version})",
        f"State:    {status_summary(status)}",
        "",
    ]
    for row in status.migrations:
        when = (row.applied_at or "date not recorded") if row.status == "applied" else ""
        mark = "  CHANGED SINCE APPLIED" if row.changed_since_applied else ""
        lines.append(f"  {row.version:03d}  {row.status:<8} {when:<26} {row.description}{mark}")
    if status.changed:
        lines += ["", CHANGED_WARNING]
    return "\n".join(lines)


# --- Plans and results ------------------------------------------------------------


def plan(facts: Plan) -> str:
    return _plan(facts.from_version, facts.to_version, len(facts.steps))


def _plan(current: int, target: int, steps: int) -> str:
    if not steps:
        return f"The database is at version {current}; nothing to do."
    return (
        f"The database is at version {current}; "
        f"{count(steps, 'migration')} will bring it to version {target}."
    )


def backup_kept(path: Path) -> str:
    return f"Backup: {path}"


def stopped_as_asked(version: int) -> str:
    return (
        f"Stopped at version {version} as asked; every migration applied is complete. "
        "Run the upgrade again for the rest."
    )


def restored(backup: Path, version: int) -> str:
    return f"Restored {backup.name}: the database is back at version {version}."


def replaced_kept(result: RestoreResult) -> str:
    """Where the file a restore replaced is kept ("" when there was none)."""
    if result.replaced_kept_at is None:
        return ""
    return f"The file that was replaced is kept at {result.replaced_kept_at}"


def restoring(backup: FileSide, replaced: FileSide) -> str:
    return f"Restoring {file_side(backup)}; in place of {file_side(replaced)}."


def file_side(side: FileSide) -> str:
    """One side of a restore, as a person tells files apart: version, when, how much."""
    if side.changed_at is None:
        return f"{side.path.name}: no file yet"
    if side.version is None:
        return f"{side.path.name}: can't be read, last changed {side.changed_at:%Y-%m-%d %H:%M}"
    counts = ", ".join(
        f"{n} {what}"
        for n, what in ((side.residents, "residents"), (side.ledger_rows, "ledger rows"))
        if n is not None
    )
    return (
        f"{side.path.name}: version {side.version}, last changed "
        f"{side.changed_at:%Y-%m-%d %H:%M}{', ' + counts if counts else ''}"
    )


def kept_aside(path: Path) -> str:
    return f"The file being replaced was kept at {path}."


def rehearsal(report: Rehearsal) -> str:
    if report.differences and not report.error:
        ending = still_differs(report.differences, report.to_version, len(report.steps))
        return f"Rehearsal on a copy: {ending} {UNTOUCHED_BY_REHEARSAL}"
    if report.error:
        return f"Rehearsal on a copy: {report.error} {UNTOUCHED_BY_REHEARSAL}"
    n = len(report.steps)
    done = count(n, "migration")
    if report.cancelled:
        return f"Rehearsal on a copy: stopped as asked after {done}. {UNTOUCHED_BY_REHEARSAL}"
    if not report.steps:
        return f"Rehearsal on a copy: nothing to do. {UNTOUCHED_BY_REHEARSAL}"
    total = sum(s.seconds for s in report.steps)
    return (
        f"Rehearsal on a copy: {'all ' if n != 1 else ''}{done} would succeed "
        f"(version {report.from_version} to {report.to_version}, {total * 1000:.0f} ms). "
        f"{UNTOUCHED_BY_REHEARSAL}"
    )


def table_columns(table: str, names: Iterable[str]) -> str:
    """``residents (3 columns): flat_no, name, phone`` (one table of a schema)."""
    cols = list(names)
    return f"{table} ({count(len(cols), 'column')}): {', '.join(cols)}"


SCHEMA_AFTER_REHEARSAL = "Schema after the rehearsal:"


def bad_target(goal: int, latest: int) -> str:
    return f"--to must be between 0 and {latest}, not {goal}."


def migration_created(path: Path) -> str:
    return f"Created {path}; it runs as it is (a no-op) until you fill in upgrade()."


def file_heading(path: Path, index: int | None = None, total: int | None = None) -> str:
    """``== society.db (2 of 3)``: which copy the lines below are about."""
    where = f" ({index + 1} of {total})" if index is not None and total is not None else ""
    return f"== {path}{where}"


def file_reason(path: Path, reason: str) -> str:
    return f"{path}: {reason}"


def no_backups(db: Path, folder: Path) -> str:
    return f"No backups of {db.name} in {folder}."


def backup_line(item: BackupInfo) -> str:
    """One backup in a list: when, which version, where."""
    version = "unreadable" if item.version is None else f"version {item.version}"
    return f"{item.taken_at:%Y-%m-%d %H:%M}  {version:<12} {item.path}"


INTERRUPTED = "Interrupted. Any migration that was running was rolled back."


# --- Events -----------------------------------------------------------------------


def plan_ready(event: PlanReady) -> str:
    return _plan(event.current_version, event.target_version, len(event.steps))


def waiting_for_lock() -> str:
    return "Another program is writing to this database; waiting for it to finish."


def old_orphans(described: str) -> str:
    return (
        f"Found links to missing rows that were already in the file: {described}. "
        "They were left as they are."
    )


def broken_links(described: str) -> str:
    return f"it would leave broken links between tables ({described})"


def links(violations: Iterable[tuple[str, str, int]]) -> str:
    """``3 rows in ledger point to missing residents rows; ...``."""
    return "; ".join(
        f"{count(n, 'row')} in {child} point to missing {parent} rows"
        for child, parent, n in violations
    )


def rows_copied(event: RowsCopied) -> str:
    return f"Rebuilding {event.table}: {event.done:,} of {event.total:,} rows copied."


def backup_started(event: BackupStarted) -> str:
    return f"Making a safety copy of the database: {event.destination}"


def backup_progress(event: BackupProgress) -> str:
    return f"Safety copy: {event.pages_done} of {event.pages_total} pages copied."


def backup_done(event: BackupDone) -> str:
    return f"Safety copy made and checked: {event.destination}"


def migration_started(event: MigrationStarted) -> str:
    return (
        f"Applying migration {event.step.version:03d} "
        f"({event.index} of {event.total}): {event.step.description}"
    )


def copying_rows(version: int, event: RowsCopied) -> str:
    """The line above the bar while migration ``version`` rebuilds a table."""
    percent = event.done * 100 // event.total if event.total else 100
    return f"Migration {version:03d}: copying rows… {percent}%"


def migration_applied(event: MigrationApplied) -> str:
    return (
        f"Applied migration {event.step.version:03d} in {event.seconds * 1000:.0f} ms; "
        f"the database is now at version {event.step.version}."
    )


def migration_rolled_back(event: MigrationRolledBack) -> str:
    if event.cancelled:
        what = "was cancelled"
        return (
            f"Migration {event.step.version:03d} ({event.step.description}) {what}. "
            f"It was rolled back; the database is still at version {event.version_now}."
        )
    return rolled_back(event.step.version, event.step.description, event.reason, event.version_now)


def upgrade_finished(event: UpgradeFinished) -> str:
    if event.differences:  # never "up to date" for a file that isn't
        return still_differs(event.differences, event.to_version, event.applied)
    if event.cancelled:
        return f"Upgrade stopped at version {event.to_version} as asked."
    if event.applied == 0:
        return f"The database is up to date at version {event.to_version}."
    return (
        f"Upgrade finished: version {event.from_version} to {event.to_version}, "
        f"{count(event.applied, 'migration')} applied."
    )


# --- Errors -----------------------------------------------------------------------


def rolled_back(version: int, description: str, reason: str, version_now: int) -> str:
    return (
        f"Migration {version:03d} ({description}) failed: {reason}. "
        f"It was rolled back; the database is still at version {version_now}."
    )


def cancelled(version_now: int) -> str:
    return (
        f"The upgrade was cancelled. The database is at version {version_now}; "
        "nothing was left half done."
    )


def _too_new(version: int, latest: int) -> str:
    return (
        f"This database is at version {version}, newer than this tool knows "
        f"(it knows up to version {latest}). It was upgraded by a newer version of "
        "the Society Management System; use that version."
    )


def too_new(version: int, latest: int, facts: Outcome) -> str:
    return _with_outcome(_too_new(version, latest), facts)


_FORBIDDEN_CALLS = {
    "commit()": "A migration called commit(). The engine commits each migration itself, "
    "together with its version number, so that it is all or nothing",
    "rollback()": "A migration called rollback(). Raise an exception instead; "
    "the engine then rolls the whole migration back",
    "close()": "A migration called close(); the engine owns the connection",
    "set_authorizer()": "A migration tried to replace the engine's guard",
    "set_progress_handler()": "A migration tried to replace the engine's cancel check",
}


def forbidden(what: str, lost_transaction: bool) -> str:
    """Why a migration was stopped by the guard (the reason inside "failed: ...")."""
    if lost_transaction:
        return (
            "SQLite had already rolled it back after an error (such as a full disk) "
            "that the migration caught and went on from"
        )
    return _FORBIDDEN_CALLS.get(what, f"it tried {what}, which only the engine may do")


def unusable(exc: DatabaseUnusable) -> str:
    """A refusal: what is wrong with the file (or its copy), then what it is like now."""
    path, detail, where = exc.path, exc.detail, exc.where
    match exc.refusal:
        case R.STATE if exc.found is not None:
            problem = state_summary(exc.found)
        case R.READ_ONLY:
            problem = (
                f"The database file or its folder can't be written ({path}). Copy it to a "
                "folder you can write to, or ask for write access."
            )
        case R.IN_USE if exc.waited is not None:
            problem = (
                "Another program is using the database and did not let go within "
                f"{exc.waited:.0f} seconds. {LOCK_HINT}"
            )
        case R.IN_USE:
            problem = f"Another program is using the database. {LOCK_HINT}"
        case R.DAMAGED:
            problem = (
                "This database is damaged (SQLite's consistency check failed), so it will "
                "not be upgraded. Restore it from a backup."
            )
        case R.DAMAGED_COPY:
            problem = (
                "This database is damaged (SQLite's consistency check failed on a fresh "
                "copy of it), so it will not be upgraded. Restore it from a backup."
            )
        case R.CANT_CREATE:
            problem = f"The database {path} can't be created there ({detail})."
        case R.CANT_OPEN:
            problem = f"The database can't be opened: {detail}."
        case R.SQLITE_ERROR:
            problem = f"SQLite reported a problem with the file: {detail}."
        case R.SIDE_FILE:
            problem = f"A file beside the database could not be written ({detail})."
        case R.NOTHING_TO_BACK_UP:
            problem = f"There is nothing to back up in {path}."
        case R.VERSION_MOVED:
            problem = (
                f"Another program set the database back to version {detail} while this "
                "upgrade waited for it."
            )
        case R.BACKUP_FOLDER:
            problem = _no_copy(f"the folder {where} can't be created ({detail})")
        case R.BACKUP_WRITE:
            problem = _no_copy(f"writing {where} failed ({detail})")
        case R.NO_SPACE:
            needed, free = exc.space_mb or (0, 0)
            problem = _no_copy(
                f"there is not enough free space in {where} for the backup "
                f"({needed} MB needed, {free} MB free)"
            )
        case R.COPY_DIFFERS:
            problem = _no_copy("the copy does not hold the same rows as the database")
        case R.BACKUP_DAMAGED:
            problem = f"The backup {path.name} is damaged ({detail})."
        case R.NOT_RESTORABLE:
            found = state_summary(exc.found) if exc.found is not None else detail
            problem = f"{path.name} can't be restored: {found}"
        case R.KEEP_ASIDE_FAILED:
            problem = (
                f"The current file could not be kept aside in backups/ ({detail}), "
                "so nothing was restored."
            )
        case R.KEPT_COPY_DAMAGED:
            problem = f"The copy of the file being replaced failed its check ({path.name})."
        case R.RESTORE_ONTO_ITSELF:
            problem = f"{path.name} is the database file itself; choose one of its backups."
        case R.WONT_REPLACE if exc.found is not None and exc.found.state is State.LOCKED:
            problem = state_summary(exc.found)
        case R.WONT_REPLACE if exc.found is not None:
            problem = f"{state_summary(exc.found)} A restore does not replace it."
        case R.NO_ROOM_FOR_REHEARSAL:
            problem = (
                f"The rehearsal needs a copy of the file in the temporary folder {where}, and "
                f"it could not be made there ({detail}). Free some space there or set TMPDIR "
                "to a folder with room."
            )
        case R.RESTORE_FAILED:
            problem = f"Restoring failed ({detail})."
        case _:
            problem = f"The database can't be used ({exc.refusal})."
    return _with_outcome(problem, exc.outcome)


def cause(exc: DatabaseUnusable) -> str:
    """A refusal as the reason inside another sentence ("... kept aside (reason)")."""
    if exc.refusal is R.KEPT_COPY_DAMAGED:
        return "the copy of the file being replaced failed its check"
    return str(exc)


def _no_copy(reason: str) -> str:
    return f"The safety copy could not be made: {reason}. Nothing was migrated."


def catalog_problem(exc: CatalogError) -> str:
    name = exc.path.name
    match exc.problem:
        case P.NO_FOLDER:
            return f"The migrations folder {exc.path} does not exist."
        case P.BAD_NAME:
            return (
                f"The migration file name {name!r} is not of the form "
                "NNN_snake_name.py (three or more digits, then lower-case words)."
            )
        case P.DUPLICATE:
            other = exc.other.name if exc.other else "?"
            return f"Two migrations have the number {exc.expected}: {other} and {name}."
        case P.GAP:
            return (
                f"Migration numbers must run 1, 2, 3, ... without gaps; "
                f"{name} comes where number {exc.expected} is missing."
            )
        case P.CANT_LOAD:
            return f"The migration {name} could not be loaded."
        case P.IMPORT_FAILED:
            return f"The migration {name} could not be imported: {exc.detail}."
        case P.CANT_WRITE:
            return f"The migration {exc.path} can't be written: {exc.detail}."
        case P.NOT_PLAIN:
            return (
                f"The migration {name} defines upgrade as {exc.detail}; it must be a plain "
                "function (def upgrade(conn):), or nothing in it would run."
            )
        case P.FAILS_ON_EMPTY:
            return (
                f"Migration {name} fails on an empty database ({exc.detail}), "
                f"so the schema of version {exc.expected} can't be known."
            )
        case _:
            return f"The migration {name} has no upgrade(conn) function."


def file_error(filename: object, reason: str) -> str:
    """An OS error the engine did not expect, said plainly (the command line's last net)."""
    where = f" ({filename})" if filename else ""
    return f"A file could not be read or written{where}: {reason}."


def catalog_unusable(exc: CatalogError) -> str:
    """The command line's and the window's heading for a broken migrations folder."""
    return f"The migrations are not usable: {exc}"


# --- The schema check (facts from core.schemadiff, core.conformance, core.check) -----
# One sentence per difference, naming the object and saying what the file has
# where the version has something else. Only names and declared types appear.


def _default(value: str | None) -> str:
    return f"default {value}" if value is not None else "no default"


def _pk(position: str | None) -> str:
    return "is in the primary key" if position not in (None, "0") else "is not in the primary key"


def _generated(hidden: str | None) -> str:
    return "a generated column" if hidden in ("2", "3") else "a plain column"


def _has(flag: str | None, word: str) -> str:
    return f"has {word}" if flag else f"has no {word}"


_SENTENCES: dict[str, Callable[[Difference, str], str]] = {  # by Kind value
    "missing_table": lambda d, v: f"table {d.table} is missing",
    "missing_column": lambda d, v: (
        f"{d.table} has no column `{d.object}` ({d.expected or 'untyped'} in {v})"
    ),
    "column_type": lambda d, v: (
        f"{d.table}.{d.object} is {d.found or 'untyped'} where {v} has {d.expected or 'no type'}"
    ),
    "column_default": lambda d, v: (
        f"{d.table}.{d.object} has {_default(d.found)} where {v} has {_default(d.expected)}"
    ),
    "column_not_null": lambda d, v: (
        f"{d.table}.{d.object} is NOT NULL where {v} allows empty values"
        if d.found
        else f"{d.table}.{d.object} allows empty values where {v} has NOT NULL"
    ),
    "column_primary_key": lambda d, v: (
        f"{d.table}.{d.object} {_pk(d.found)} where in {v} it {_pk(d.expected)}"
    ),
    "column_generated": lambda d, v: (
        f"{d.table}.{d.object} is {_generated(d.found)} where {v} has {_generated(d.expected)}"
    ),
    "autoincrement": lambda d, v: (
        f"{d.table} {_has(d.found, 'AUTOINCREMENT')} where {v} {_has(d.expected, 'it')}"
    ),
    "without_rowid": lambda d, v: (
        f"{d.table} is {'a' if d.found else 'not a'} WITHOUT ROWID table "
        f"where {v} {'makes' if d.expected else 'does not make'} it one"
    ),
    "missing_unique": lambda d, v: f"{d.table}.{d.object} is not kept unique as in {v}",
    "missing_foreign_key": lambda d, v: f"{d.table} lacks the link {d.object} of {v}",
    "foreign_key_differs": lambda d, v: (
        f"{d.table}.{d.object} links {d.found} where {v} links {d.expected}"
    ),
    "missing_index": lambda d, v: f"index {d.object} is missing",
    "index_differs": lambda d, v: f"index {d.object} is `{d.found}` where {v} has `{d.expected}`",
    "index_on_constant": lambda d, v: (
        f"index {d.object} is on a constant, `{d.found}`, so it indexes nothing; "
        f"{v} has it on `{d.expected}`"
    ),
    "missing_trigger": lambda d, v: f"trigger {d.object} on {d.table} is missing",
    "trigger_differs": lambda d, v: (
        f"trigger {d.object} on {d.table} does something other than in {v}"
    ),
    "missing_view": lambda d, v: f"view {d.table} is missing",
    "view_differs": lambda d, v: f"view {d.table} reads something other than in {v}",
    "extra_table": lambda d, v: f"{d.table} is a table that no migration made",
    "extra_column": lambda d, v: (
        f"{d.table} has an extra column `{d.object}` that no migration made"
    ),
    "extra_unique": lambda d, v: (
        f"{d.table}.{d.object} is kept unique, which no migration asked for"
    ),
    "extra_foreign_key": lambda d, v: f"{d.table} has a link {d.object} that no migration made",
    "extra_index": lambda d, v: f"index {d.object} on {d.table} is one no migration made",
    "extra_trigger": lambda d, v: f"trigger {d.object} on {d.table} is one no migration made",
    "extra_view": lambda d, v: f"view {d.table} is one no migration made",
}


def describe(difference: Difference, version: int) -> str:
    """One difference as a sentence (no full stop), against version ``version``."""
    return _SENTENCES[difference.kind.value](difference, f"version {version}")


def first_differences(comparison: Comparison, version: int, limit: int = 3) -> str:
    """The first few differences in one sentence, for a status line."""
    shown = [describe(d, version) for d in comparison.differences[:limit]]
    more = len(comparison.differences) - len(shown)
    text = "; ".join(shown)
    if more:
        text += f"; and {more} more (the check lists them all)"
    return text + "." if text else ""  # names keep their case, even first


def report_lines(comparison: Comparison, version: int) -> Sequence[str]:
    """Every difference, then every extra, one line each: the check's report."""
    lines = [f"- {describe(d, version)}" for d in comparison.differences]
    if comparison.extras:
        lines.append("Also in the file, left as they are (no migration made them):")
        lines += [f"- {describe(d, version)}" for d in comparison.extras]
    return lines


def _pending(count: int) -> str:
    return f"{count} migration{'s' if count != 1 else ''} pending"


def standing(verdict: SchemaVerdict | None, pending: int, latest: int) -> str:
    """Where a file stands when its schema, not its number, decides (status's summary)."""
    if verdict is None:
        return ""
    if verdict.carried is not None:
        place = f"its schema matches version {verdict.version} of this one"
        if verdict.version == 0:
            place = "its schema matches no version of this one (not even version 1)"
        rest = (
            f"{_pending(pending)}."
            if pending
            else "nothing pending; upgrading records it as ours at that version."
        )
        return f"Numbered {verdict.carried} by another tool; {place}: {rest}"
    text = (
        f"Differs from version {verdict.version}: "
        f"{first_differences(verdict.comparison, verdict.version)}"
    )
    return f"{text} {_pending(pending)[:1].upper()}{_pending(pending)[1:]}." if pending else text


def still_differs(differences: Sequence[Difference], version: int, applied: int) -> str:
    """The end of an upgrade that left the file otherwise than its version owns."""
    n = len(differences)
    done = "The migrations were applied, but" if applied else "Nothing was pending, but"
    listed = "; ".join(describe(d, version) for d in differences)
    return (
        f"{done} the file still differs from what version {version} has "
        f"({n} difference{'s' if n != 1 else ''}): {listed}. "
        "The Society app may fail where these are; the check gives the full report."
    )


def adopted(carried: int, version: int) -> str:
    """The notice when a file numbered by another tool is made ours."""
    return (
        f"This file was numbered {carried} by another tool; its schema matches version "
        f"{version} of this one, so it is now recorded as version {version}."
    )


def unverifiable(version: int) -> str:
    return (
        f"The schema of version {version} can't be worked out (a migration fails on an "
        "empty database), so the file could not be checked against it."
    )


def check_report(report: CheckReport) -> str:
    """The check as a report a person can read and copy (no row values, only names)."""
    found, verdict = report.status, report.verdict
    lines = [f"Database: {found.path}", f"State: {found.summary}", ""]
    if found.state.value == "new":
        lines.append("An empty file: nothing to check yet.")
    elif verdict is None:
        lines.append("The file can't be checked.")
    elif verdict.version == 0 and verdict.carried is None:
        lines.append(
            "No migration has run on this file yet, so nothing in it is owned by one; "
            f"upgrading brings it to version {found.latest_version}."
        )
    else:
        v = verdict.version
        n = len(verdict.comparison.differences)
        lines.append(
            f"Compared with version {v}: "
            + (
                "nothing the migrations make is missing or different."
                if not n
                else f"{n} difference{'s' if n != 1 else ''}:"
            )
        )
        lines += report_lines(verdict.comparison, v)
    if report.changed:
        lines += ["", "Migrations whose files changed since they were applied to this file:"]
        lines += [f"- {m.version:03d} {m.description}" for m in report.changed]
    return "\n".join(lines)


def left_differing(version: int, db: object) -> str:
    """The command line's last word on an upgrade that left the file otherwise."""
    return (
        f"The file does not have everything version {version} owns "
        f"(check {db} lists each difference)."
    )
