"""What an upgrade will do, decided from facts alone: no file is opened here.

Given what the file is (its inspected status), the catalog and the target,
:func:`plan_upgrade` names the steps, the versions from and to, and how the
file is made safe first. The window's confirm dialog, the CLI and the
pipeline all read the same :class:`Plan`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core import wording
from core.adopt import Adoption
from core.connection import readonly_error
from core.discovery import Catalog, Migration
from core.events import StepInfo
from core.status import DatabaseStatus, State, require_upgradable


class Safety(StrEnum):
    """How the file is made safe before the first step: one whole-file pass at most."""

    NONE = "none"  # nothing to do, or an empty file: nothing to lose
    BACKUP = "backup"  # a verified copy (its integrity check covers the original)
    CHECK = "check"  # no copy wanted: SQLite's consistency check instead


@dataclass(frozen=True)
class Plan:
    from_version: int
    to_version: int
    steps: tuple[Migration, ...]
    safety: Safety
    adopt: Adoption | None = None  # numbered by another tool: made ours before the steps

    @property
    def nothing_to_do(self) -> bool:
        return not self.steps and self.adopt is None

    @property
    def backup_due(self) -> bool:
        return self.safety is Safety.BACKUP

    @property
    def step_infos(self) -> tuple[StepInfo, ...]:
        return tuple(step_info(m) for m in self.steps)


def step_info(m: Migration) -> StepInfo:
    return StepInfo(m.version, m.name, m.description)


def check_target(catalog: Catalog, target: int | None) -> int:
    """The version to reach; ``None`` means the latest the catalog knows."""
    goal = catalog.latest if target is None else target
    if not 0 <= goal <= catalog.latest:
        raise ValueError(wording.bad_target(goal, catalog.latest))
    return goal


def plan_upgrade(
    found: DatabaseStatus, catalog: Catalog, target: int | None = None, *, backup: bool = True
) -> Plan:
    """The steps from where ``found`` stands to ``target``; refuses a file that can't go."""
    goal = check_target(catalog, target)
    require_upgradable(found)
    current = found.current_version or 0
    steps = catalog.between(current, goal)
    verdict = found.schema
    adopt = None
    if found.state is State.NUMBERED_ELSEWHERE and verdict and verdict.carried is not None:
        adopt = Adoption(verdict.version, verdict.carried)
    writes = bool(steps) or adopt is not None
    if writes and not found.writable:
        raise readonly_error(found.path)
    if not writes or found.state is State.NEW:
        safety = Safety.NONE
    else:
        safety = Safety.BACKUP if backup else Safety.CHECK
    return Plan(current, max(current, goal), steps, safety, adopt)
