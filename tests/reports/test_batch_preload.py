"""A batch's pre-warmed kernels come with the template's own imports already done (e.g. scikit-learn,
folium): the fork server imports what the code cells import at top level; plain kernels do not. One
server serves the whole batch: the kernels of both workers are forked from the same process."""
from __future__ import annotations

import nbformat
import pytest
from reportkit import cli, data_copy, small_notebook, summary

from datalit.reports.batch import template_imports

pytestmark = [pytest.mark.reports, pytest.mark.slow]

# mailbox: a standard-library module nothing in the fork server's usual list imports
PROBE = ("import os, sys\nprint('mailbox preloaded:', 'mailbox' in sys.modules)\nimport mailbox\n"
         "print('kernel parent:', os.getppid())")


def _probe_lines(out, folders, word="mailbox preloaded"):
    lines = []
    for folder in folders:
        nb = nbformat.read(str(out / folder / "cctv.ipynb"), as_version=4)
        lines += [line + "\n" for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  for line in o.get("text", "").splitlines() if word in line]
    return lines


def test_template_imports_top_level_only(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("%matplotlib inline"),
                nbformat.v4.new_code_cell("import numpy as np, mailbox\nfrom scipy import spatial\nfrom . import x\n"
                                          "if False:\n    import folium")]
    path = tmp_path / "t.ipynb"
    nbformat.write(nb, str(path))
    assert template_imports(path) == ("numpy", "mailbox", "scipy")


def test_batch_kernels_start_with_the_templates_imports(shared_datasets, tmp_path):
    env = {"DATALIT_DATA_DIR": str(data_copy(shared_datasets, tmp_path)), "DATALIT_DATA_VERIFY": "0"}
    nb = small_notebook(tmp_path / "cctv.ipynb", extra_cell=PROBE)
    gus = ["종로구", "중구", "용산구", "마포구"]
    out = tmp_path / "out"
    result = cli("batch", str(nb), "--each", "gu=" + ",".join(gus), "--out", str(out), "--workers", "2",
                 "--no-progress", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    reports = summary(out)["reports"]
    assert [r["status"] for r in reports] == ["ok"] * 4
    assert _probe_lines(out, [f"gu-{g}" for g in gus]) == ["mailbox preloaded: True\n"] * 4
    assert len({r["worker_pid"] for r in reports}) == 2                # both workers ran reports ...
    parents = _probe_lines(out, [f"gu-{g}" for g in gus], "kernel parent")
    assert len(parents) == 4 and len(set(parents)) == 1, parents          # ... with kernels from one server
    assert {r["worker_pid"] for r in reports}.isdisjoint(int(p.split()[-1]) for p in parents)

    plain = tmp_path / "plain"
    result = cli("batch", str(nb), "--each", "gu=종로구,중구", "--out", str(plain), "--plain-kernels",
                 "--no-progress", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _probe_lines(plain, ["gu-종로구", "gu-중구"]) == ["mailbox preloaded: False\n"] * 2
