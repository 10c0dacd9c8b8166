"""Roster -> release -> submit -> collect -> parallel sandboxed autograde -> feedback -> export,
all over nbgrader's standard layout and gradebook, with real nbgrader and real unix users."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from labkit import LAB, answered, put_submission, write_roster

pytestmark = [pytest.mark.grading, pytest.mark.slow]
NBGRADER = str(Path(sys.executable).parent / "nbgrader")


def _as_user(user, cmd, cwd):
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": os.path.expanduser(f"~{user}"),
           "LANG": "C.UTF-8"}
    return subprocess.run(["/usr/sbin/runuser", "-u", user, "--", *cmd], cwd=cwd, env=env, capture_output=True, text=True)


def test_team_lab_end_to_end(course, members, tmp_path):
    from datalit.labs import autograde, collect, export, feedback, roster, teams
    from datalit.labs.course import gradebook, in_course

    alice, bob, carol, dave = members
    from datalit.paths import repo_path
    assert repo_path("labs").stat().st_mode & 0o077 == 0  # solutions + hidden tests: root only after release
    r = roster.import_csv(course, write_roster(tmp_path / "r.csv", {"t1": [alice, bob], "t2": [carol], "t3": [dave]}),
                          known_users=roster.system_users(), known_labs=[LAB])
    teams.ensure_folders(course, r)
    folder = Path(course.cfg["teams_dir"]) / "t1"
    assert oct(folder.stat().st_mode & 0o7777) == "0o2770"
    # members write the shared folder, others cannot even enter it
    assert _as_user(alice, ["touch", str(folder / "from-alice")], "/").returncode == 0
    assert _as_user(carol, ["ls", str(folder)], "/").returncode != 0

    # bob submits first, alice resubmits: the later one is graded (members' own fetch/submit through the
    # exchange service are tested through the hub: tests/labs/test_hub_e2e.py, tests/security/)
    wrong = answered(course, {"q2_answer": "top5 = ['a', 'b', 'c', 'd', 'e']"})
    put_submission(course, bob, wrong, when="2026-11-01 10:00:00.000000 UTC")
    put_submission(course, alice, answered(course, {"interpretation": "마포구는 10월(269,514건)이 가장 많고 1월이 가장 적다."}))
    put_submission(course, carol, wrong)
    late = put_submission(course, dave, answered(course), when="2027-01-03 00:00:00.000000 UTC")
    assert late.exists()

    summary = collect.collect(course, LAB)
    t1 = summary["teams"]["t1"]
    assert t1["submitted_by"] == alice and [h["member"] for h in t1["history"]] == [bob, alice]
    assert len(list((course.meta / "submissions" / LAB / "t1").glob("*[!n]"))) == 2  # both kept
    assert summary["teams"]["t3"]["seconds_late"] > 86400
    for t in ("t1", "t2", "t3"):
        assert (course.root / "submitted" / t / LAB / f"{LAB}.ipynb").is_file()

    report = autograde.autograde(course, LAB, workers=2, progress=False)
    assert report["sandboxed"] and report["workers"] == 2
    assert all(r["success"] for r in report["results"]), report
    s = report["scores"]
    assert s["t1"]["auto"] == 10 and s["t2"]["auto"] == 7 and s["t3"]["auto"] == 10
    assert s["t3"]["penalty"] == pytest.approx(10 * 0.1 * 3)  # 2 days 9 h late -> 3 started days
    assert "q2" in "".join(o.get("evalue", "") for c in nbformat.read(
        course.root / "autograded" / "t2" / LAB / f"{LAB}.ipynb", as_version=4).cells for o in c.get("outputs", []))

    # nbgrader's own command line sees the same gradebook
    with in_course(course):
        out = subprocess.run([NBGRADER, "db", "student", "list"], capture_output=True, text=True, cwd=course.root)
    assert "t1" in out.stdout + out.stderr and alice in out.stdout + out.stderr

    # instructor gives the manual rubric points (as the formgrader would), then feedback + export
    with in_course(course), gradebook(course) as gb:
        for g in gb.find_submission(LAB, "t1").notebooks[0].grades:
            if g.auto_score is None:
                g.manual_score = g.max_score - 1
        gb.db.commit()
    fb = feedback.feedback(course, LAB)
    assert set(fb["released"]["t1"]["cached_for"]) == {alice, bob}
    html = (course.root / "feedback" / "t1" / LAB / f"{LAB}.html").read_text(encoding="utf-8")
    assert "채점 안내" in html and alice in html
    assert "마감 후 제출" in (course.root / "feedback" / "t3" / LAB / f"{LAB}.html").read_text(encoding="utf-8")
    assert (folder / "피드백" / LAB / f"{LAB}.html").is_file()
    # the exchange holds the team's feedback for the graded submission (every member fetches it there)
    from datalit.exchange.client import exchange_root
    from datalit.exchange.store import Store
    store = Store(exchange_root(course.cfg), course.course_id)
    graded = summary["teams"]["t1"]["name"]
    assert store.feedback(LAB, "t1", graded)[f"{LAB}.html"] == html.encode("utf-8")
    assert _as_user(carol, ["cat", str(folder / "피드백" / LAB / f"{LAB}.html")], "/").returncode != 0

    out = export.export(course, LAB)
    rows = {r["member"]: r for r in csv.DictReader(open(out["csv"], encoding="utf-8-sig"))}
    assert set(rows) == {alice, bob, carol, dave}
    assert rows[bob]["team"] == "t1" and rows[bob]["submitted_by"] == alice
    assert float(rows[bob]["auto_score"]) == 10 and float(rows[bob]["manual_score"]) == 8
    assert float(rows[bob]["total"]) == 18 and float(rows[bob]["max"]) == 20
    assert rows[dave]["late"] == "True" and float(rows[dave]["total"]) == 7
    summary_md = Path(out["completion"]).read_text(encoding="utf-8")
    assert f"| {alice} | 18/20 ✔ | 이수 |" in summary_md
    assert f"| {carol} | 7/20 | 미이수 (0/1) |" in summary_md
