"""The team labs themselves: hygiene, rubric consistency, and the solution notebooks pass all tests
(visible and hidden) on the real data; nbgrader generates every student version."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
LABS = sorted(p.parent.name for p in (REPO / "labs").glob("*/lab.yaml"))
NB_META = {"kernelspec", "language_info", "datalit", "nbgrader", "tags"}

pytestmark = pytest.mark.grading


def _nb(lab):
    return nbformat.read(REPO / "labs" / lab / f"{lab}.ipynb", as_version=4)


def test_three_tiers():
    import yaml
    tiers = {yaml.safe_load((REPO / "labs" / lab / "lab.yaml").read_text())["tier"] for lab in LABS}
    assert {"beginner", "intermediate", "advanced"} <= tiers


@pytest.mark.parametrize("lab", LABS)
def test_hygiene_and_rubric(lab):
    import yaml
    nb = _nb(lab)
    assert set(nb.metadata) <= NB_META and nb.metadata.kernelspec.name == "python3"
    auto = manual = 0
    for c in nb.cells:
        assert set(c.metadata) <= {"tags", "nbgrader", "datalit"}
        if c.cell_type == "code":
            assert c.outputs == [] and c.execution_count is None
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade"):
            if meta.get("solution"):
                manual += meta["points"]
            else:
                auto += meta["points"]
                assert "datalit" in c.source or "assert" in c.source
    info = yaml.safe_load((REPO / "labs" / lab / "lab.yaml").read_text())
    assert (auto, manual) == (info["points"]["auto"], info["points"]["manual"])
    readme = (REPO / "labs" / lab / "README.md").read_text(encoding="utf-8")
    points = [int(x) for x in re.findall(r"^\|[^|]+\|[^|]+\| (\d+) \|", readme, re.M)]
    assert sum(points) == auto + manual, "README rubric points must add up to the notebook's"
    assert "BEGIN HIDDEN TESTS" in "".join(c.source for c in nb.cells)


@pytest.mark.slow
@pytest.mark.parametrize("lab", LABS)
def test_solution_passes_every_test(lab, tmp_path, monkeypatch):
    from nbclient import NotebookClient
    monkeypatch.setenv("PYTHONPATH", str(REPO / "grading"))  # the reference checks (grading/labchecks)
    nb = _nb(lab)
    nbformat.write(nb, tmp_path / f"{lab}.ipynb")  # saved beside the kernel: open projects read their memo cell from it
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [(c.metadata.get("nbgrader", {}).get("grade_id"), o.get("ename"), o.get("evalue"))
              for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
