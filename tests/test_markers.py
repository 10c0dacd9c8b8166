"""The scheduler (tests/scheduling.py: work_unit) reads the ``hub`` and ``grading`` markers from a file's text to
keep what the machine shares in its two serial units. A file that starts a real hub, or grades in the
sandbox, without the marker would run beside them in a compute unit: this check makes the marker follow
what a test touches."""
from __future__ import annotations

import re
from pathlib import Path

from scheduling import REPO, file_marks, work_unit

TESTS = REPO / "tests"
# what starting a hub looks like in a test file: the session fixture as a test or fixture argument, or a
# hub of the file's own
HUB_USE = re.compile(r"def \w+\((?:[^)]*\W)?hub\W|start_hub\(|running_hub\(|HubProcess\(|team_hub\(|open_team_server\(")
# what grading in the sandbox looks like: the sandboxed nbgrader run, slot users, the grading fork server
GRADING_USE = re.compile(r"autograde\(|sandbox\.(?:slot|run|Sandbox)|ensure_slot|SandboxedExecute|grade_team\(")


def _files():
    return sorted(p for p in TESTS.rglob("test_*.py") if p.is_file() and p.name != "test_markers.py")


def test_a_file_that_starts_a_hub_is_marked_hub():
    missing = [str(p.relative_to(REPO)) for p in _files()
               if HUB_USE.search(p.read_text(encoding="utf-8")) and "hub" not in file_marks(str(p.relative_to(REPO)))]
    assert not missing, f"start a hub without pytest.mark.hub: {missing}"


def test_a_file_that_grades_in_the_sandbox_runs_in_the_grading_unit():
    stray = [str(p.relative_to(REPO)) for p in _files()
             if GRADING_USE.search(p.read_text(encoding="utf-8"))
             and work_unit(str(p.relative_to(REPO))) != "grading"]
    assert not stray, f"grade in the sandbox outside the grading unit (mark them grading): {stray}"


def test_the_check_sees_a_hub_file_without_its_marker(tmp_path):
    planted = "def test_x(hub):\n    assert hub.url\n"
    assert HUB_USE.search(planted) and not HUB_USE.search("def test_x(hubris):\n    pass\n")
    assert GRADING_USE.search("result = autograde(course, 'lab1')")
