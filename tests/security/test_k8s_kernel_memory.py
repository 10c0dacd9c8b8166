"""Attack: one team's notebook runs its grading Job's kernel out of memory, to fail the teams graded after it
(issue 25, item 1; datalit/labs/kernel_sidecar.py, datalit/labs/k8s_jobs.py).

Before: the sidecar gave a kernel no memory cap of its own, only the kernel container had a limit, and on
cgroup v2 (Kubernetes >= 1.28) the container is OOM-killed as a whole, sidecar included; with the pod's
``restartPolicy: Never`` nothing started it again, and every later team of that worker got no kernel.
Now each kernel process has RLIMIT_DATA = ``lab.memory_mb`` and the kernel container is a native sidecar
(``restartPolicy: Always``) that the kubelet restarts.

One grading Job (one worker), four teams graded in order, its containers run as processes the way
tests/hub/test_k8s_grading_run.py does (the kernel container in a memory group with the spec's limit, killed
as a whole on OOM, restarted when the spec says so):

* ``t1good`` answers correctly;
* ``t2alloc`` asks, in question 4, for one block of 3 GB (past its cap and the container's limit);
* ``t3procs`` in question 4 forks processes that each stay under the per-process cap but together pass the
  container's limit (the container is OOM-killed);
* ``t4good`` answers correctly, after both.

Each attacker loses only its question 4 (a clear Korean note in its feedback); both good teams get every point;
every submission is kept.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hub"))
from labkit import LAB, answered, local_course, put_submission, write_roster  # noqa: E402
from test_k8s_grading_run import CGROUP_MEMORY, RESTARTED, kernel_account, run_grading_pod  # noqa: E402

pytestmark = [pytest.mark.grading, pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the kernel container's uid is a unix account (root)"),
              pytest.mark.skipif(not os.access(CGROUP_MEMORY, os.W_OK), reason="needs a writable cgroup v1 memory")]

ONE_BLOCK = "hog = b'x' * (3 * 1024**3)\nshare = 4.93\n"  # the cell stops at the first line: no share
# 16 processes of 100 MB each (under the per-process cap, over the container's limit together), then wait
MANY_PROCESSES = """share = 4.93
import os, time
for _ in range(16):
    if os.fork() == 0:
        try:
            hog = b'x' * (100 * 1024**2)
            time.sleep(120)
        finally:
            os._exit(0)
time.sleep(15)
"""


def test_a_notebook_out_of_memory_costs_only_its_own_team(tmp_path, monkeypatch, repo, shared_datasets):
    from datalit.labs import collect, feedback, k8s_jobs, roster
    from datalit.labs.autograde import scores_of
    from datalit.labs.course import lab_info
    from datalit.labs.messages import note
    from datalit.labs.release import release

    course = local_course(tmp_path, monkeypatch, "k8s-memory")
    release(course, LAB)
    notebooks = {"t1good": answered(course), "t2alloc": answered(course, {"q4_answer": ONE_BLOCK}),
                 "t3procs": answered(course, {"q4_answer": MANY_PROCESSES}), "t4good": answered(course)}
    teams = {team: [f"m-{team}"] for team in notebooks}
    roster.import_csv(course, write_roster(tmp_path / "roster.csv", teams), known_users=None, known_labs=[LAB])
    sent = {}
    for team, nb in notebooks.items():
        d = put_submission(course, f"m-{team}", nb)
        sent[team] = (d / f"{LAB}.ipynb").read_bytes()
    collect.collect(course, LAB)
    checkout = tmp_path / "checkout"  # the Secret datalit-labchecks
    shutil.copytree(repo / "grading" / "labchecks", checkout / "grading" / "labchecks")

    (job,) = k8s_jobs.grading_jobs(LAB, "oom", workers=1, teams=len(teams))
    with kernel_account() as account:
        done, sidecar_log = run_grading_pod(job, course.root, checkout, shared_datasets, tmp_path, account)
    graded = [ln.split()[1] for ln in done.stdout.splitlines() if ln.strip().startswith(("OK", "ERR"))]
    assert sorted(graded) == sorted(teams), done.stdout[-3000:] + done.stderr[-3000:] + sidecar_log[-3000:]
    assert sidecar_log.count(" started") == 4, sidecar_log  # every notebook's kernel came from a sidecar
    assert RESTARTED in sidecar_log, sidecar_log  # the container was OOM-killed once and started again

    scores = scores_of(course, LAB)
    full = lab_info(LAB)["points"]["auto"]
    q4 = 2  # question 4's points (the attackers' other answers are right)
    assert {t: scores[t]["auto"] for t in teams} == {"t1good": full, "t2alloc": full - q4, "t3procs": full - q4,
                                                       "t4good": full}, scores
    # the per-kernel cap the Job's pod applied (its container's limit less the libraries and the sidecar)
    kernel = job["spec"]["template"]["spec"]["initContainers"][0]
    memory_mb = int(kernel["resources"]["limits"]["memory"][:-2]) - k8s_jobs.KERNEL_LIBS_MB - k8s_jobs.SIDECAR_MEMORY_MB
    fb = feedback.feedback(course, LAB)
    assert fb is not None
    for team, key in (("t2alloc", "memory_error"), ("t3procs", "memory")):
        notes = {n["key"].split(":")[0]: n["text"] for n in course.read_notes(LAB, team)}
        assert key in notes, (team, notes)
        assert notes[key] == note(key, memory_mb=memory_mb) and "메모리 한도" in notes[key]
        html = (course.root / "feedback" / team / LAB / f"{LAB}.html").read_text(encoding="utf-8")
        assert notes[key] in html, team
    for team in ("t1good", "t4good"):
        assert [n["key"] for n in course.read_notes(LAB, team)] == [], team
    # t2's cell failed with MemoryError and the kernel lived on (question 4's test ran); t3's kernel died in it
    t2 = nbformat.read(course.root / "autograded" / "t2alloc" / LAB / f"{LAB}.ipynb", as_version=4)
    assert any(o.get("ename") == "MemoryError" for c in t2.cells for o in c.get("outputs", []))
    t3 = nbformat.read(course.root / "autograded" / "t3procs" / LAB / f"{LAB}.ipynb", as_version=4)
    assert any(o.get("ename") == "Sandbox_memory" for c in t3.cells for o in c.get("outputs", []))
    for team, data in sent.items():  # nothing lost
        kept = list((course.meta / "submissions" / LAB / team).glob(f"*/{LAB}.ipynb"))
        assert len(kept) == 1 and kept[0].read_bytes() == data, team
