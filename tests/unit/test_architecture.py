"""The dependency rule of docs/architecture.md, enforced: every ``datalit`` module belongs to one layer, imports
only from its own layer or lower ones, and no two modules import each other, directly or round about.

Imports are read with ``ast``, at module level and inside functions alike: a function-local import that only
dodged a loop is a loop all the same (it breaks the day the function is first called, in whatever process).
Before this test, one loop spanned exchange, hub, labs, progress, certificate and lessons.
"""
from __future__ import annotations

import ast
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "datalit"

# Lowest first. A module's layer is the first pattern that matches its dotted name; the folder is not the
# layer where the two disagree (docs/architecture.md, "Where the folders disagree").
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("core", ("datalit", "datalit.config", "datalit.kst", "datalit.atomic", "datalit.paths",
              "datalit.databases", "datalit.seoul", "datalit.hangul", "datalit.nofollow", "datalit.templating",
              "datalit.alttext", "datalit.sanitise",
              # identity: the names and places every process agrees on (accounts, groups, a hub's state)
              "datalit.hub.uids", "datalit.hub.roles", "datalit.hub.state")),
    ("system", ("datalit.hub.disk", "datalit.hub.k8s_api")),
    ("data", ("datalit.data", "datalit.data.*")),
    ("kernel", ("datalit.kernels", "datalit.kernels.*", "datalit.progress.post")),
    ("reports", ("datalit.reports", "datalit.reports.*")),
    ("lessons", ("datalit.lessons", "datalit.lessons.*")),
    ("exchange", ("datalit.exchange", "datalit.exchange.*")),
    ("labs", ("datalit.labs", "datalit.labs.*")),
    ("record", ("datalit.progress", "datalit.progress.*", "datalit.certificate", "datalit.certificate.*")),
    ("hub", ("datalit.hub", "datalit.hub.*")),
    ("cli", ("datalit.cli", "datalit.__main__", "datalit.config_cli", "datalit.*.cli")),
]
CLI_FIRST = ("datalit.cli", "datalit.__main__", "datalit.config_cli", "datalit.*.cli")  # before the packages


def layer_of(module: str) -> int:
    if any(fnmatchcase(module, p) for p in CLI_FIRST):
        return len(LAYERS) - 1
    for rank, (_, patterns) in enumerate(LAYERS):
        if any(fnmatchcase(module, p) for p in patterns):
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and to docs/architecture.md")


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every datalit module NAME imports anywhere in its file, resolved to a module that exists."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join(package + ([node.module] if node.module else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # datalit.x.y where y is a name in module datalit.x
                target = target.rpartition(".")[0]
            if target.startswith("datalit") and target != name:
                out.add(target)
    return out


def graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports(name, path, known) for name, path in known.items()}


def upward(edges: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} ({LAYERS[layer_of(a)][0]}) -> {b} ({LAYERS[layer_of(b)][0]})"
                  for a, targets in edges.items() for b in targets if layer_of(b) > layer_of(a))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative: no recursion limit)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return sorted(found)


def test_every_module_is_in_a_layer():
    for name in modules():
        layer_of(name)


def test_no_module_imports_a_higher_layer():
    assert upward(graph()) == []


def test_the_import_graph_has_no_cycle():
    assert cycles(graph()) == [], "a loop: break it by moving what both need down (docs/architecture.md)"


@pytest.fixture
def planted(tmp_path):
    """A copy of the package's shape with one upward import and one loop planted (the rule can fail)."""
    root = tmp_path / "datalit"
    for name in ("exchange", "hub", "lessons"):
        (root / name).mkdir(parents=True)
        (root / name / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "kst.py").write_text("def now(): pass\n")
    (root / "exchange" / "service.py").write_text(
        "from datalit import kst\n\ndef team(n):\n    from datalit.hub.teamserver import account_name\n")
    (root / "hub" / "teamserver.py").write_text("from datalit.exchange import service\n")
    (root / "lessons" / "checks.py").write_text("from . import run\n")
    (root / "lessons" / "run.py").write_text("def go():\n    from .checks import x\n")
    return root


def test_a_planted_upward_import_and_loop_are_found(planted):
    edges = graph(planted)
    assert upward(edges) == ["datalit.exchange.service (exchange) -> datalit.hub.teamserver (hub)"]
    assert cycles(edges) == [["datalit.exchange.service", "datalit.hub.teamserver"],
                             ["datalit.lessons.checks", "datalit.lessons.run"]]
