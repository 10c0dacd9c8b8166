"""One source for each thing (issue #14, item 7), in every tier: an exercise's ``solution=`` is its lesson's
solution cell, the shared tolerant checkers live in ``datalit.lessons.checkers`` (no exercise module imports
another), every exercise module is named after its lesson file, and ``datalit lesson check`` reports a drift."""
from __future__ import annotations

import ast
import keyword
import re
from pathlib import Path

import nbformat
import pytest

from datalit.lessons import checkers as ck
from datalit.lessons.courses import LESSON_NAME, exercise_module, lesson_paths
from datalit.lessons.exercises import load_module, module_names
from datalit.lessons.solutions import mismatches, solution_cells

pytestmark = pytest.mark.lessons

LESSONS = lesson_paths()


def test_every_tier_is_covered():
    assert {p.parent.name for p in LESSONS} == {"beginner", "intermediate", "advanced", "citizen"}


def test_exercise_modules_are_named_after_their_lesson_files():
    """courses/<tier>/NN-some-slug.ipynb -> datalit/lessons/exercises/<tier>/some_slug.py, one module per lesson,
    no module without its lesson, and the lesson imports from that module only (no `exercises` key to drift)."""
    named = {}
    for path in LESSONS:
        name = f"{path.parent.name}.{LESSON_NAME.match(path.name).group(2).replace('-', '_')}"
        assert exercise_module(path) == name
        assert all(part.isidentifier() and not keyword.iskeyword(part) for part in name.split(".")), name
        nb = nbformat.read(str(path), as_version=4)
        assert "exercises" not in nb.metadata["datalit"], f"{path.name}: the module name comes from the file name"
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert set(re.findall(r"from datalit\.lessons\.exercises\.([\w.]+) import", code)) == {name}, path.name
        named[name] = path
    assert len(named) == len(LESSONS), "two lessons would share an exercise module"
    assert sorted(named) == module_names(), "an exercise module without its lesson (or a lesson without one)"


def test_lesson_check_holds_the_naming_rule(tmp_path):
    from datalit.lessons.hygiene import check_notebook

    source = next(p for p in LESSONS if p.parent.name == "beginner" and p.name.startswith("03-"))
    (tmp_path / "beginner").mkdir()
    renamed = tmp_path / "beginner" / "03-filter-and-sort.ipynb"
    renamed.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    problems = check_notebook(renamed)
    assert "imports exercises from 'beginner.select_filter_sort': this lesson's module is " \
           "'beginner.filter_and_sort' (named after the file)" in problems
    assert any(p.startswith("exercise module 'beginner.filter_and_sort' not found") for p in problems)
    assert not [p for p in check_notebook(source) if "exercise" in p]


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
