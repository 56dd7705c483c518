"""``core`` is layered: no import cycles, and it never imports the migrations or Qt.

The graph is read from the source with :mod:`ast`, imports inside functions
included (that is where a cycle hides), ``if TYPE_CHECKING:`` blocks excluded
(they never run).
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "core"


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    found: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def imported_modules(source: str) -> set[str]:
    """Top-level names of everything ``source`` imports at run time (``core.x`` kept whole)."""
    names: set[str] = set()
    for node in _runtime_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            if node.module == "core":  # from core import marker, step
                names |= {f"core.{alias.name}" for alias in node.names}
    return names


def core_graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(CORE.glob("*.py")):
        module = "core" if path.stem == "__init__" else f"core.{path.stem}"
        imports = imported_modules(path.read_text(encoding="utf-8"))
        graph[module] = {
            m for m in imports if m.startswith("core.") and (CORE / f"{m[5:]}.py").exists()
        }
    return graph


def test_the_graph_sees_the_imports_it_must():
    graph = core_graph()
    assert "core.upgrade" in graph["core.api"]
    assert {"core.step", "core.marker"} <= graph["core.upgrade"]


def test_core_has_no_import_cycle():
    try:
        order = list(TopologicalSorter(core_graph()).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle in core: {' -> '.join(exc.args[1])}")
    assert order.index("core.upgrade") < order.index("core.api")


def test_a_cycle_would_be_found():
    graph = core_graph()
    graph["core.upgrade"] = graph["core.upgrade"] | {"core.api"}
    with pytest.raises(CycleError):
        list(TopologicalSorter(graph).static_order())


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_never_imports_the_migrations_or_qt(path):
    imports = imported_modules(path.read_text(encoding="utf-8"))
    assert not {m for m in imports if m.split(".")[0] in ("migrations", "PySide6", "gui")}


def test_an_import_inside_a_function_counts():
    assert imported_modules("def f():\n    from core.api import upgrade\n") == {"core.api"}
    assert imported_modules("if TYPE_CHECKING:\n    import core.api\n") == set()


def test_the_wording_module_is_a_leaf_every_module_may_use():
    assert core_graph()["core.wording"] <= {"core.state", "core.reasons"}


def test_the_shipped_folder_found_by_path_is_the_migrations_package():
    import migrations  # the entry points' way; core finds the same folder without importing it
    from core.discovery import shipped_migrations_dir

    assert shipped_migrations_dir() == migrations.FOLDER


GUI = CORE.parent / "gui"
FACADE = {"core.api", "core.events", "core.errors", "core.wording"}
OWN_FACADES = {"core.batch", "core.runlog"}  # several copies and the run log: their own verbs


def test_the_facade_offers_every_core_name_the_window_imports():
    """What gui/ takes from other core modules is also in core.api, so it can live on that."""
    import core.api

    missing = set()
    for path in GUI.rglob("*.py"):
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if module and module.startswith("core.") and module not in FACADE | OWN_FACADES:
                missing |= {a.name for a in node.names if not hasattr(core.api, a.name)}
    assert not missing, f"core.api lacks {sorted(missing)}"
