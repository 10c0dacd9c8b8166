"""One source for each answer: an exercise's ``solution=`` is its lesson's solution cell, character for character.

    >>> from datalit.lessons import solutions
    >>> solutions.mismatches(path)        # [] when every qN.solution() shows the lesson's own solution cell

The solution cell of ``qN`` is the last cell tagged ``solution`` before the lesson's first ``qN.check()`` cell
(the learner form replaces it with a stub). ``datalit lesson check`` runs this for every lesson, in every tier.
"""
from __future__ import annotations

import re
from pathlib import Path


def solution_cells(nb) -> dict[str, str]:
    """{"q1": source of the solution cell answered by q1.check(), ...} (conceptual questions included)."""
    out: dict[str, str] = {}
    last = None
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "solution" in (cell.get("metadata", {}).get("tags") or []):
            last = cell.source.strip()
        for name in re.findall(r"^\s*(q\d+)\.check\(\)", cell.source, re.M):
            if name not in out and last is not None:
                out[name] = last
    return out


def mismatches(path: Path, nb=None) -> list[str]:
    """Exercises of this lesson whose ``solution=`` is not the lesson's solution cell (empty = one source)."""
    from datalit.lessons.checks import questions_in
    from datalit.lessons.concepts import Concept
    from datalit.lessons.courses import exercise_module, read_notebook
    from datalit.lessons.exercises import load_module

    nb = nb if nb is not None else read_notebook(Path(path))
    cells = solution_cells(nb)
    problems = []
    for q in questions_in(load_module(exercise_module(Path(path)))):
        if isinstance(q, Concept):
            continue
        cell = cells.get(q.name)
        if cell is None:
            problems.append(f"{q.name}: no solution cell before {q.name}.check()")
        elif q.solution_code().strip() != cell:
            problems.append(f"{q.name}: solution= differs from the lesson's solution cell")
    return problems
