"""One source for each thing (issue #14, item 7), in every tier: an exercise's ``solution=`` is its lesson's
solution cell, the shared tolerant checkers live in ``datalit.lessons.checkers`` (no exercise module imports
another), and ``datalit lesson check`` reports a drifted solution."""
from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from datalit.lessons import checkers as ck
from datalit.lessons.courses import exercise_module, lesson_paths
from datalit.lessons.exercises import load_module, module_names
from datalit.lessons.solutions import mismatches, solution_cells

pytestmark = pytest.mark.lessons

LESSONS = lesson_paths()


def test_every_tier_is_covered():
    assert {p.parent.name for p in LESSONS} == {"beginner", "intermediate", "advanced", "citizen"}


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_solution_strings_are_the_lessons_solution_cells(path):
    """q.solution() shows exactly what the lesson's solution cell for qN holds."""
    nb = nbformat.read(str(path), as_version=4)
    assert solution_cells(nb), f"{path.name}: no solution cell answered by a qN.check()"
    assert mismatches(path, nb) == []


def test_a_drifted_solution_is_reported(monkeypatch):
    path = next(p for p in LESSONS if p.parent.name == "beginner" and p.name.startswith("03-"))
    q1 = load_module(exercise_module(path)).q1
    monkeypatch.setattr(q1, "_solution", q1._solution.replace("==", "!=", 1))
    assert mismatches(path) == ["q1: solution= differs from the lesson's solution cell"]
    from datalit.lessons.hygiene import check_notebook

    assert "q1: solution= differs from the lesson's solution cell" in check_notebook(path)


def test_a_continuation_line_keeps_its_indent():
    """The solution is shown as written in the cell (inspect.cleandoc would strip a continuation's indent)."""
    path = next(p for p in LESSONS if p.parent.name == "beginner" and p.name.startswith("03-"))
    code = load_module(exercise_module(path)).q1.solution_code()
    assert "\n                       & " in code


def test_shared_checkers_live_in_checkers():
    assert all(callable(f) for f in (ck.interval, ck.probability, ck.score))
    assert ck.score.__module__ == "datalit.lessons.checkers.tolerance"
    for name in module_names():
        tree = ast.parse(Path(load_module(name).__file__).read_text(encoding="utf-8"))
        imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        assert not [m for m in imported if m.startswith("datalit.lessons.exercises")], \
            f"{name} imports from another exercise module: shared checkers belong in datalit.lessons.checkers"
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert not defined & {"interval", "probability", "score"}, f"{name} defines a shared checker"
