"""The import graph of the project's own modules: no cycle, and the apps' layers point one way.

Read from the source with `ast`, so that an import inside a function counts as much as one at
the top of a module: a cycle that only a lazy import keeps from crashing is still a cycle.
Imports under `if TYPE_CHECKING:` are left out; they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.environment import ROOT

PACKAGES = ("config", "advisories", "incidents", "alerts")
# Dependencies point one way: advisories <- incidents <- alerts (config may use any of them).
LAYERS = ("advisories", "incidents", "alerts")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (child for orelse in node.orelse for child in _imports_in(orelse))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


def _imports_in(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    yield from _imports(node)


def _imported_names(name: str, path: Path, modules: set[str]) -> set[str]:
    """The project modules `name` imports (relative imports resolved). `from a import b` is the
    module a.b when there is one, else a; `import a.b` runs a and a.b. The module's own packages
    are not counted: Python runs them before the module, whatever it imports."""
    found: set[str] = set()
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = {alias.name for alias in node.names}
        else:
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names}
        for target in targets:
            found.update(".".join(target.split(".")[:n]) for n in range(1, target.count(".") + 2))
    own_packages = {".".join(name.split(".")[:n]) for n in range(1, name.count(".") + 2)}
    return {target for target in found if target in modules and target not in own_packages}


def import_graph() -> dict[str, set[str]]:
    modules = _project_modules()
    return {name: _imported_names(name, path, set(modules)) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm), and self-loops."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_project_modules_import_each_other_without_a_cycle():
    assert cycles(import_graph()) == []


def test_the_lower_apps_never_import_the_higher_ones():
    wrong = [
        f"{name} imports {target}"
        for name, targets in import_graph().items()
        if name.split(".")[0] in LAYERS
        for target in sorted(targets)
        if target.split(".")[0] in LAYERS and LAYERS.index(target.split(".")[0]) > LAYERS.index(name.split(".")[0])
    ]

    assert wrong == []


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import(tmp_path):
    # The graph above has no cycle; this makes sure the finder would have seen one, as it did
    # between alerts.dispatch and alerts.tasks, whose import sat inside a function.
    graph = {"a.dispatch": {"a.tasks"}, "a.tasks": {"a.dispatch", "a.sending"}, "a.sending": set()}

    assert cycles(graph) == [["a.dispatch", "a.tasks"]]
    source = tmp_path / "dispatch.py"
    source.write_text("def queue():\n    from . import tasks\n\nif TYPE_CHECKING:\n    from . import models\n")
    modules = {"a", "a.dispatch", "a.tasks", "a.models"}
    assert _imported_names("a.dispatch", source, modules) == {"a.tasks"}
