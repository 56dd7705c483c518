"""What a database file is, and what can be done with it in each state.

:class:`State` is what a look at the file found (:mod:`core.status`);
:data:`CAPABILITIES` is the one table of what each state lets the engine
do. The CLI, the window and the engine ask :meth:`State.allows` instead of
keeping lists of states of their own.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    UPGRADE = "upgrade"  # the upgrade verb accepts it (an up-to-date file: nothing to do)
    REHEARSE = "rehearse"  # the upgrade can be tested on a copy
    BACK_UP = "back up"  # a verified safety copy can be made of it
    RESTORE_FROM = "restore from"  # it can be put back as a backup
    RESTORE_OVER = "restore over"  # a backup can be put in its place
    COPY_INTO = "copy into"  # a restore writes into it with SQLite, not by replacing the file


class State(StrEnum):
    MISSING = "missing"
    UNREADABLE = "unreadable"
    NOT_SQLITE = "not_sqlite"
    CORRUPT = "corrupt"
    NOT_SOCIETY = "not_society"
    LOCKED = "locked"
    NEW = "new"
    UNVERSIONED = "unversioned"
    PENDING = "pending"
    UP_TO_DATE = "up_to_date"
    DIFFERS = "differs"  # lacks or changed something its version owns (at any version)
    NUMBERED_ELSEWHERE = "numbered_elsewhere"  # user_version set by another tool
    TOO_NEW = "too_new"
    NOT_OURS = "bookkeeping_not_ours"  # version or history not as this tool writes them

    def allows(self, action: Action) -> bool:
        """Whether a file in this state lets ``action`` go ahead (other facts aside)."""
        return action in CAPABILITIES[self]


_A = Action
_SOCIETY_FILE = frozenset(
    {_A.UPGRADE, _A.REHEARSE, _A.BACK_UP, _A.RESTORE_FROM, _A.RESTORE_OVER, _A.COPY_INTO}
)
_DAMAGED = frozenset({_A.RESTORE_OVER})  # only a backup put in its place helps

CAPABILITIES: dict[State, frozenset[Action]] = {
    State.MISSING: frozenset({_A.RESTORE_OVER}),
    State.UNREADABLE: _DAMAGED,
    State.NOT_SQLITE: _DAMAGED,
    State.CORRUPT: _DAMAGED,
    State.NOT_SOCIETY: frozenset(),  # another program's file: a restore never replaces it
    State.LOCKED: frozenset(),  # another program holds it: wait, don't touch
    State.NEW: frozenset({_A.UPGRADE, _A.REHEARSE, _A.RESTORE_OVER}),
    State.UNVERSIONED: _SOCIETY_FILE,
    State.PENDING: _SOCIETY_FILE,
    State.UP_TO_DATE: _SOCIETY_FILE,  # upgrading or rehearsing it says: nothing to do
    State.DIFFERS: _SOCIETY_FILE,  # pending migrations may bring it into shape
    State.NUMBERED_ELSEWHERE: _SOCIETY_FILE,  # the upgrade places it by schema first
    State.TOO_NEW: frozenset({_A.BACK_UP, _A.RESTORE_OVER, _A.COPY_INTO}),
    State.NOT_OURS: frozenset({_A.RESTORE_OVER}),  # nothing is done to it but replacing it
}

UPGRADABLE = frozenset(s for s in State if s.allows(Action.UPGRADE))
