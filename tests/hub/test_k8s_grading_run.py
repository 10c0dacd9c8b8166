"""The grading Jobs' own command, run here with their environment (datalit/labs/k8s_jobs.py).

Each Job's container runs ``python -m datalit.labs.k8s_jobs grade LAB --shard I --of N`` with the
environment the Job spec gives it (sandbox off: the pod is the sandbox; the course on its volume; the
hidden checks from the Secret under ``lab.checkout_dir``/grading/labchecks). Here the same command runs
for both workers of a real released course (real nbgrader, three collected teams), with the Job's
environment and its mount points mapped to folders: a copy of grading/labchecks stands in for the Secret.
Every team is graded exactly once, with every autograded point. (No pod, NetworkPolicy or limit is involved
here; those are checked on the Job spec in test_k8s_grading.py.)
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "labs"))
from labkit import LAB, answered, local_course, put_submission, write_roster  # noqa: E402

pytestmark = [pytest.mark.grading, pytest.mark.slow]


def test_each_worker_grades_its_share_with_the_jobs_environment(tmp_path, monkeypatch, repo, shared_datasets):
    from datalit.labs import collect, k8s_jobs, roster
    from datalit.labs.autograde import scores_of
    from datalit.labs.course import lab_info
    from datalit.labs.release import release

    course = local_course(tmp_path, monkeypatch, "k8s-grading")
    release(course, LAB)
    teams = {f"kt{i}": [f"m-kt{i}"] for i in range(3)}
    roster.import_csv(course, write_roster(tmp_path / "roster.csv", teams), known_users=None, known_labs=[LAB])
    for team, (member,) in teams.items():
        put_submission(course, member, answered(course))
    collect.collect(course, LAB)

    checkout = tmp_path / "checkout"  # the Secret datalit-labchecks, mounted at <checkout>/grading/labchecks
    shutil.copytree(repo / "grading" / "labchecks", checkout / "grading" / "labchecks")
    jobs = k8s_jobs.grading_jobs(LAB, "t1", workers=2, teams=len(teams))
    outputs = []
    for job in jobs:
        (container,) = job["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e["value"] for e in container["env"]}
        assert env["DATALIT_LAB_SANDBOX"] == "false"
        mounts = {env["DATALIT_LAB_COURSE_DIR"]: str(course.root), env["DATALIT_LAB_CHECKOUT_DIR"]: str(checkout),
                  env["DATALIT_DATA_DIR"]: str(shared_datasets), "/tmp": str(tmp_path / "podtmp")}
        for key, value in env.items():
            for inside, here in mounts.items():
                if value == inside or value.startswith(inside + "/"):
                    env[key] = here + value[len(inside):]
        (tmp_path / "podtmp").mkdir(exist_ok=True)
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATALIT_", "JUPYTER"))}  # only the Job's
        command = [sys.executable, *container["command"][1:]]  # "python" of the image = this interpreter
        done = subprocess.run(command, env={**keep, **env}, capture_output=True, text=True, timeout=900,
                              cwd=str(tmp_path))
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        outputs.append(done.stdout)
    graded = [line.split()[1] for out in outputs for line in out.splitlines() if line.strip().startswith(("OK", "ERR"))]
    assert sorted(graded) == sorted(teams), outputs  # every team once, by one worker
    scores = scores_of(course, LAB)
    full = lab_info(LAB)["points"]["auto"]  # the reference answers: every autograded point
    assert {t: scores[t]["auto"] for t in teams} == dict.fromkeys(teams, full), scores
