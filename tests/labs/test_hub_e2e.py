"""End to end through a real hub started by ``datalit hub`` as root.

An instructor releases a lab; two members of a team fetch it from their own servers; one submits;
the instructor collects and autogrades (sandboxed, parallel); feedback is released; both members
fetch the same feedback and their export rows show the team's score. On the way: the formgrader
in the instructor's server may be framed by JupyterLab (CSP frame-ancestors 'self'), while the
learners' pages keep JupyterHub's frame-ancestors 'none'.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

import nbformat
import pytest
import requests

from hub_fixtures import hub_base_dir
from labkit import LAB, answered, course_hub, lab_env, write_roster

pytestmark = [pytest.mark.grading, pytest.mark.hub, pytest.mark.slow]


def _shell(hub, user, token, cmd: str) -> str:
    code = ("import subprocess, os\n"
            f"r = subprocess.run({cmd!r}, shell=True, capture_output=True, text=True, cwd=os.path.expanduser('~'))\n"
            "print('RC', r.returncode)\nprint(r.stdout[-3000:])\nprint(r.stderr[-3000:])")
    out = hub.run_code(user, token, code, timeout=180)
    assert out["error"] is None, out
    assert "RC 0" in out["stdout"], out["stdout"]
    return out["stdout"]


@pytest.fixture(scope="module")
def lab_hub():
    base = hub_base_dir()
    course_dir = base / "course"
    env = lab_env(base)
    env.update({"DATALIT_LAB_COURSE_ID": "datalit-e2e", "DATALIT_LAB_COURSE_DIR": str(course_dir)})
    with course_hub(base, env) as hub:
        yield hub, course_dir


def test_team_lab_through_the_hub(lab_hub):
    from datalit.labs import autograde, collect, export, feedback, roster, teams
    from datalit.labs.course import open_course
    from datalit.labs.release import release

    hub, course_dir = lab_hub
    teacher, _ = hub.new_user(groups=("instructors",))
    m1, _ = hub.new_user(groups=("beginner",))
    m2, _ = hub.new_user(groups=("beginner",))
    tokens = {u: hub.spawn(u) for u in (teacher, m1, m2)}

    # formgrader in the instructor's server: framable by the hub's own origin, learners' pages are not
    r = requests.get(f"{hub.url}/user/{teacher}/formgrader", headers={"Authorization": f"token {tokens[teacher]}"},
                     timeout=60)
    assert r.status_code == 200 and "formgrader" in r.text.lower()
    assert "encountered an error" not in r.text  # nbgrader's error page also answers 200
    assert r.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    lab_page = requests.get(f"{hub.url}/user/{m1}/lab", headers={"Authorization": f"token {tokens[m1]}"}, timeout=60)
    assert "frame-ancestors 'none'" in lab_page.headers["Content-Security-Policy"]

    # the instructor: course, roster, team folders, release
    course = open_course(course_dir)
    r = roster.import_csv(course, write_roster(course_dir.parent / "roster.csv", {"team1": [m1, m2]}),
                          known_users=roster.system_users(), known_labs=[LAB])
    teams.ensure_folders(course, r)
    release(course, LAB)

    # both members fetch it from their servers (nbgrader, configured by the hub's 50-grading.py)
    for m in (m1, m2):
        _shell(hub, m, tokens[m], f"datalit lab fetch {LAB}")
    home1 = Path(os.path.expanduser(f"~{m1}"))
    assert (home1 / LAB / f"{LAB}.ipynb").is_file()
    # m1 does the work (written as m1) and submits for the team
    nb = answered(course)
    target = home1 / LAB / f"{LAB}.ipynb"
    nbformat.write(nb, target)
    st = home1.stat()
    os.chown(target, st.st_uid, st.st_gid)
    _shell(hub, m1, tokens[m1], f"datalit lab submit {LAB}")

    # the instructor collects, autogrades, releases feedback
    summary = collect.collect(course, LAB)
    assert summary["teams"]["team1"]["submitted_by"] == m1
    report = autograde.autograde(course, LAB, workers=2, progress=False)
    assert report["sandboxed"] and report["scores"]["team1"]["auto"] == 10
    released = feedback.feedback(course, LAB)
    assert set(released["released"]["team1"]["cached_for"]) == {m1, m2}

    # both members fetch the same feedback from their servers
    digests = {}
    for m in (m1, m2):
        out = _shell(hub, m, tokens[m], f"datalit lab fetch {LAB} --feedback && "
                                        f"sha256sum {LAB}/feedback/*/{LAB}.html")
        digests[m] = [ln.split()[0] for ln in out.splitlines()
                      if ln.endswith(f"{LAB}.html") and len(ln.split()[0]) == 64]
    assert len(digests[m1]) == 1 and digests[m1] == digests[m2]

    out = export.export(course, LAB)
    rows = {row["member"]: row for row in csv.DictReader(open(out["csv"], encoding="utf-8-sig"))}
    for m in (m1, m2):
        assert rows[m]["team"] == "team1" and float(rows[m]["auto_score"]) == 10 and rows[m]["submitted_by"] == m1
