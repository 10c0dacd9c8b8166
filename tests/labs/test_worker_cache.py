"""datalit/labs/worker_cache.py: what a grading worker keeps between teams changes nothing nbgrader stores or
refuses. Run in a fresh interpreter: the cache is installed process-wide, as in a worker."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.grading

SCRIPT = r"""
import json, sys
from datalit.labs import worker_cache
if sys.argv[2] == "cached":
    worker_cache.install()
import nbformat
from nbgrader.api import Gradebook
from nbgrader.nbgraderformat import MetadataValidator

url = "sqlite:///" + sys.argv[1]
engines = set()
for i in range(3):  # as nbgrader does per team: a Gradebook opened, used, closed
    with Gradebook(url) as gb:
        gb.add_student(f"team{i}")
        engines.add(id(gb.engine))
with Gradebook(url) as gb:
    students = sorted(s.id for s in gb.students)
meta = {"schema_version": 3, "grade": True, "solution": False, "locked": True, "grade_id": "q1", "points": 2,
        "task": False}
errors = []
for bad in ({}, {"points": "two"}, {"grade_id": None}, {"extra": 1}):
    cell = nbformat.v4.new_code_cell("x", metadata={"nbgrader": {**meta, **bad}})
    try:
        MetadataValidator().validate_cell(cell)
        errors.append(None)
    except Exception as exc:
        errors.append([type(exc).__name__, str(exc)])
print(json.dumps({"engines": len(engines), "students": students, "errors": errors}))
"""


def _run(tmp_path: Path, mode: str) -> dict:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")  # alembic
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / f"{mode}.db"), mode], env=env,
                         capture_output=True, text=True, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_one_engine_per_gradebook_and_the_same_rows_and_refusals(tmp_path):
    stock, cached = _run(tmp_path, "stock"), _run(tmp_path, "cached")
    assert cached["engines"] == 1  # one engine (one compiled-statement cache) for every Gradebook
    assert cached["students"] == stock["students"] == ["team0", "team1", "team2"]
    assert cached["errors"] == stock["errors"] and stock["errors"][0] is None
    assert stock["errors"][1] is not None and "two" in stock["errors"][1][1]  # a wrong type is still refused
