"""Find and load migration files: ``NNN_snake_name.py`` with ``upgrade(conn)``.

Discovery fails loudly: a bad name, a gap, a duplicate number, a module that
won't import or has no ``upgrade`` is a :class:`CatalogError` naming the file,
never a silently skipped migration.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import CatalogError, CatalogProblem

MIGRATION_NAME = re.compile(r"^(?P<version>\d{3,})_(?P<name>[a-z0-9]+(?:_[a-z0-9]+)*)\.py$")

UpgradeFn = Callable[[sqlite3.Connection], None]


def shipped_migrations_dir() -> Path:
    """The ``migrations/`` folder shipped beside ``core/``, found by path.

    ``core`` never imports the ``migrations`` package (every migration imports
    ``core.schema``): entry points pass ``migrations.FOLDER`` in. This lookup
    serves only callers that name no folder, such as the Society app calling
    ``api.ensure_current(path)``; both packages are installed side by side.
    """
    return Path(__file__).resolve().parent.parent / "migrations"


default_migrations_dir = shipped_migrations_dir  # the earlier name


@dataclass(frozen=True)
class Migration:
    """One loaded migration; ``description`` is its docstring's first line."""

    version: int
    name: str
    description: str
    path: Path
    checksum: str
    upgrade: UpgradeFn = field(repr=False, compare=False)


@dataclass(frozen=True)
class Catalog:
    """All migrations of a folder, in version order, numbered 1..N."""

    directory: Path
    migrations: tuple[Migration, ...]

    @property
    def latest(self) -> int:
        return len(self.migrations)

    def get(self, version: int) -> Migration:
        return self.migrations[version - 1]

    def between(self, after: int, upto: int) -> tuple[Migration, ...]:
        """Migrations with ``after < version <= upto``."""
        return self.migrations[after:upto]


def file_checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_catalog(directory: Path | str | None = None) -> Catalog:
    """Load every migration in ``directory`` (the shipped ones by default)."""
    folder = Path(directory) if directory is not None else shipped_migrations_dir()
    if not folder.is_dir():
        raise CatalogError(folder, CatalogProblem.NO_FOLDER)
    by_version: dict[int, Path] = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        match = MIGRATION_NAME.match(path.name)
        if match is None:
            raise CatalogError(path, CatalogProblem.BAD_NAME)
        version = int(match["version"])
        if version in by_version:
            raise CatalogError(
                path, CatalogProblem.DUPLICATE, other=by_version[version], expected=version
            )
        by_version[version] = path
    expected = 1
    for version in sorted(by_version):
        if version != expected:
            raise CatalogError(by_version[version], CatalogProblem.GAP, expected=expected)
        expected += 1
    loaded = tuple(_load_one(v, by_version[v]) for v in sorted(by_version))
    return Catalog(directory=folder, migrations=loaded)


def _not_plain(upgrade: object) -> str | None:
    """What ``upgrade`` is when it is not a plain function: calling it would run none of it."""
    if inspect.iscoroutinefunction(upgrade):
        return "an async function"
    if inspect.isasyncgenfunction(upgrade):
        return "an async generator"
    if inspect.isgeneratorfunction(upgrade):
        return "a generator (it uses yield)"
    if not inspect.isfunction(upgrade):
        return f"a {type(upgrade).__name__}, not a function"
    return None


def _load_one(version: int, path: Path) -> Migration:
    """Import one file under a private module name; digits can't start an import."""
    match = MIGRATION_NAME.match(path.name)
    assert match is not None
    module_name = f"_society_migration_{hashlib.sha1(str(path).encode()).hexdigest()[:12]}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise CatalogError(path, CatalogProblem.CANT_LOAD)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # any import-time failure is the file's fault
        raise CatalogError(path, CatalogProblem.IMPORT_FAILED, detail=repr(exc)) from exc
    upgrade = getattr(module, "upgrade", None)
    if not callable(upgrade):
        raise CatalogError(path, CatalogProblem.NO_UPGRADE)
    kind = _not_plain(upgrade)
    if kind:
        raise CatalogError(path, CatalogProblem.NOT_PLAIN, detail=kind)
    doc = (module.__doc__ or "").strip()
    description = doc.splitlines()[0].strip() if doc else match["name"].replace("_", " ")
    return Migration(
        version=version,
        name=match["name"],
        description=description,
        path=path,
        checksum=file_checksum(path),
        upgrade=upgrade,
    )
