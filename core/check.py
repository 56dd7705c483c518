"""The schema check: everything a file lacks or has otherwise than its version owns.

Read-only, like status (it is status's look at the file, with nothing left
out): every difference from the expected schema of the file's version, the
extras no migration made, and the applied migrations whose files changed
since they ran. The command line prints it, the window shows it as a report
a person can read and copy; the sentences are made in :mod:`core.wording`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from core.conformance import SchemaVerdict
from core.discovery import Catalog
from core.status import UPGRADABLE, DatabaseStatus, MigrationRow, State, inspect_database
from core.wording import describe


class Outcome(IntEnum):
    """The check's verdict, as the command line's exit code."""

    CLEAN = 0  # nothing the migrations own is missing or different (extras allowed)
    DIFFERS = 1  # something is
    UNUSABLE = 2  # the file can't be checked (missing, damaged, another program's, newer)


@dataclass(frozen=True)
class CheckReport:
    status: DatabaseStatus

    @property
    def verdict(self) -> SchemaVerdict | None:
        return self.status.schema

    @property
    def changed(self) -> tuple[MigrationRow, ...]:
        return self.status.changed

    @property
    def outcome(self) -> Outcome:
        if self.status.state not in UPGRADABLE:
            return Outcome.UNUSABLE
        if self.status.state is State.NEW:
            return Outcome.CLEAN  # an empty file: nothing that could differ
        if self.verdict is None:
            return Outcome.UNUSABLE  # the expected schema can't be worked out
        return Outcome.CLEAN if self.verdict.matches else Outcome.DIFFERS

    @property
    def clean(self) -> bool:
        """Nothing the migrations own is missing or different (extras allowed)."""
        return self.outcome is Outcome.CLEAN

    def to_json(self) -> dict[str, Any]:
        verdict = self.verdict
        rows = (
            ("differences", verdict.comparison.differences if verdict else ()),
            ("extras", verdict.comparison.extras if verdict else ()),
        )
        data: dict[str, Any] = {
            "path": str(self.status.path),
            "state": self.status.state.value,
            "summary": self.status.summary,
            "outcome": self.outcome.name.lower(),
            "compared_with_version": verdict.version if verdict else None,
            "numbered_by_another_tool": verdict.carried if verdict else None,
            "changed_since_applied": [m.version for m in self.changed],
        }
        for key, found in rows:
            data[key] = [
                {
                    "kind": d.kind.value,
                    "table": d.table,
                    "object": d.object,
                    "expected": d.expected,
                    "found": d.found,
                    "text": describe(d, verdict.version if verdict else 0),
                }
                for d in found
            ]
        return data


def check_database(path: Path | str, catalog: Catalog) -> CheckReport:
    """Look at the file and its schema; never writes."""
    return CheckReport(inspect_database(path, catalog))
