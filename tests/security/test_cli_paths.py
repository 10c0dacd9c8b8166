"""An instructor mistypes a path (issue #19): ``datalit lab autograde --course-dir <typo>`` built a whole course
skeleton at the typo and printed a traceback. Every ``datalit lab …`` / ``datalit team …`` command that needs an
existing course, file or folder checks it before anything is created: a clear English error, exit 2, no
traceback, nothing new on disk. (The two that begin a course, ``team import`` and ``lab release``, make it only
inside a folder that exists.)"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

LAB = "lab1_bike_story"


def _datalit(args, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATALIT_LAB_")}
    env["DATALIT_LAB_EXCHANGE_DIR"] = str(tmp_path / "exchange")
    env["DATALIT_LAB_TEAMS_DIR"] = str(tmp_path / "teams")
    return subprocess.run([sys.executable, "-m", "datalit", *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)


def _tree(tmp_path):
    return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("command", [
    ["lab", "autograde", LAB], ["lab", "collect", LAB], ["lab", "feedback", LAB], ["lab", "export", LAB],
    ["team", "list"], ["team", "activity"],
])
@pytest.mark.parametrize("where", ["typo", "not-a-course", "a-file"])
def test_a_mistyped_course_dir_creates_nothing(tmp_path, command, where):
    (tmp_path / "not-a-course").mkdir()
    (tmp_path / "not-a-course" / "notes.txt").write_text("mine\n")
    (tmp_path / "a-file").write_text("x\n")
    before = _tree(tmp_path)
    out = _datalit([*command, "--course-dir", str(tmp_path / where)], tmp_path)
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr and where in out.stderr, out.stderr
    if where != "a-file":  # click's own check of --course-dir says that one ("... is a file")
        assert "course directory" in out.stderr, out.stderr
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("command", [["lab", "release", LAB], ["team", "import", "ROSTER"]])
def test_a_new_course_is_not_made_under_a_folder_that_does_not_exist(tmp_path, command):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"lab,team,member\n{LAB},t1,someone\n", encoding="utf-8")
    args = [str(roster) if a == "ROSTER" else a for a in command]
    before = _tree(tmp_path)
    extra = ["--any-user"] if command[0] == "team" else []
    out = _datalit([*args, "--course-dir", str(tmp_path / "srv" / "cuorse" / "c"), *extra], tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr, (out.returncode, out.stderr)
    assert "does not exist" in out.stderr, out.stderr
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("command", [["team", "import", "missing.csv"],
                                     ["team", "form", "missing.csv", "--lab", LAB, "--out", "teams.csv"],
                                     ["lab", "submit", LAB, "--path", "no-such-folder"]])
def test_a_missing_input_file_or_folder_is_refused_before_anything_runs(tmp_path, command):
    before = _tree(tmp_path)
    out = _datalit([*command, *(["--course-dir", str(tmp_path / "c")] if command[:2] == ["team", "import"] else [])],
                   tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr, (out.returncode, out.stderr)
    assert "does not exist" in out.stderr, out.stderr
    assert _tree(tmp_path) == before
