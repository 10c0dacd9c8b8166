"""The lesson checks work as nbgrader-style autograder tests: ``qN.assert_ok()`` in a test cell passes on a
right answer and fails with the Korean feedback on a wrong one, in a real kernel."""
from __future__ import annotations

import nbformat
import pytest

from datalit.lessons.run import cell_text

pytestmark = pytest.mark.lessons

SETUP = ('from datalit import data\nfrom datalit.lessons.exercises.beginner.first_steps import q2\n'
         'gu = "강남구"\ncctv = data.load("seoul_cctv_by_gu", "cctv")')
TEST = "q2.assert_ok()\nprint('passed')"
ANSWERS = {
    "right": 'my_cctv = cctv.loc[cctv["gu"] == gu, "cctv_total"].iloc[0]',
    "wrong": 'my_cctv = cctv.loc[cctv["gu"] == gu, "cctv_total"]',
    "empty": "my_cctv = None",
}


def test_assert_ok_as_an_autograder_test(tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cells = [nbformat.v4.new_code_cell(SETUP)]
    for answer in ANSWERS.values():
        cells += [nbformat.v4.new_code_cell(answer),
                  nbformat.v4.new_code_cell(TEST, metadata={"tags": ["raises-exception"]})]
    nb.cells = cells
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    right, wrong, empty = (cell_text(nb.cells[i]) for i in (2, 4, 6))
    assert right.strip() == "passed"
    assert "AssertionError" in wrong and ".iloc[0]" in wrong and "Series" in wrong and "passed" not in wrong
    assert "AssertionError" in empty and "아직 답을 작성하지 않았어요" in empty
