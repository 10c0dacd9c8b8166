"""Learner forms: the lesson with solution code removed and the checks kept (what the hub hands out).

    >>> from datalit.lessons.build import build_all
    >>> build_all("/srv/datalit/courses")        # {"beginner": [Path(".../beginner/01-first-steps.ipynb"), ...]}

In the solution form, a code cell tagged ``solution`` holds an exercise's answer; in the learner form it
becomes ``# 여기에 코드를 작성하세요`` plus ``name = None`` for every name the solution assigned, so the
check cell below politely says the answer is missing. nbgrader-style ``### BEGIN SOLUTION`` /
``### END SOLUTION`` regions are replaced the same way. Cells tagged ``instructor`` (the instructor notes,
``datalit.lessons.instructor``) or ``teacher`` are dropped. Outputs are cleared; ``course.yaml`` is copied
beside the notebooks, and the course's Korean instructor handbook is written as
``<out>/<tier>/강사용-안내서.md`` (the hub hands out only ``*.ipynb``), and the glossary
``courses/용어집.md`` as ``<out>/<tier>/용어집.ipynb``, which the hub does hand out (datalit.lessons.glossary).
"""
from __future__ import annotations

import ast
import copy
import shutil
from pathlib import Path

from datalit import atomic
from datalit.lessons import glossary, instructor
from datalit.lessons.courses import courses_dir, lesson_paths, read_notebook
from datalit.lessons.schema import TIERS

SOLUTION_TAG = "solution"
TEACHER_TAG = "teacher"
INSTRUCTOR_TAG = instructor.TAG
DROPPED_TAGS = {TEACHER_TAG, INSTRUCTOR_TAG}
STUB = "# 여기에 코드를 작성하세요"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def assigned_names(source: str) -> list[str]:
    """Top-level names a code cell assigns, in order (``a = ...``, ``a, b = ...``, ``a += ...``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: list[str] = []

    def add(target):
        if isinstance(target, ast.Name) and target.id not in names:
            names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                add(t)

    for node in tree.body:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                add(t)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            add(node.target)
    return names


def stub_for(source: str, indent: str = "") -> str:
    lines = [indent + STUB] + [f"{indent}{n} = None" for n in assigned_names(source)]
    return "\n".join(lines)


def _strip_regions(source: str) -> str:
    out, region, indent = [], None, ""
    for line in source.splitlines():
        if line.strip() == BEGIN:
            region, indent = [], line[: len(line) - len(line.lstrip())]
            continue
        if line.strip() == END and region is not None:
            import textwrap

            out.append(stub_for(textwrap.dedent("\n".join(region)), indent))
            region = None
            continue
        (region if region is not None else out).append(line)
    return "\n".join(out)


def learner_notebook(nb):
    """A copy of the notebook in learner form."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags") or []
        if DROPPED_TAGS & set(tags):
            continue
        if cell.cell_type == "code":
            if SOLUTION_TAG in tags:
                cell.source = stub_for(cell.source)
            elif BEGIN in cell.source:
                cell.source = _strip_regions(cell.source)
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    return nb


def build_lesson(path: Path, out_path: Path) -> Path:
    import nbformat

    out_path.parent.mkdir(parents=True, exist_ok=True)
    with atomic.replacing(out_path) as fh:
        nbformat.write(learner_notebook(read_notebook(path)), fh)
    return out_path


def build_all(out_dir, tiers=None, root=None, handbook: bool = True) -> dict[str, list[Path]]:
    """Write learner forms to ``out_dir/<tier>/NN-slug.ipynb`` and (``handbook``) the instructor handbook
    ``out_dir/<tier>/강사용-안내서.md``; returns {tier: [notebook paths]}."""
    out_dir = Path(out_dir)
    root = Path(root) if root else courses_dir()
    result: dict[str, list[Path]] = {}
    for tier in tiers or TIERS:
        paths = lesson_paths(tier, root)
        if not paths:
            continue
        result[tier] = [build_lesson(p, out_dir / tier / p.name) for p in paths]
        manifest = root / tier / "course.yaml"
        if manifest.is_file():
            shutil.copyfile(manifest, out_dir / tier / "course.yaml")
        if handbook:
            instructor.write_handbook(tier, out_dir, root)
        glossary.write_notebook(out_dir / tier, root)  # lessons link 용어집.ipynb#term beside them
    return result
