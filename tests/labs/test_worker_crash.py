"""A grading worker that dies (killed, out of memory) does not hang ``datalit lab autograde`` or lose a
team: the team it was grading is graded again by the replacement worker, in the dead worker's slot."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from labkit import LAB, answered, put_submission, write_roster

pytestmark = [pytest.mark.grading, pytest.mark.slow]


def test_killed_worker_is_replaced_and_its_team_graded_again(course):
    from datalit.labs import autograde, collect, roster

    teams = {f"wk{i}": [f"m-wk{i}"] for i in range(3)}
    roster.import_csv(course, write_roster(course.root.parent / "r.csv", teams), known_users=None, known_labs=[LAB])
    slow = "import time\ntime.sleep(8)\nbusiest = 10"  # long enough to be killed mid-grading
    for team, (member,) in teams.items():
        put_submission(course, member, answered(course, {"q3_answer": slow} if team == "wk0" else None))
    collect.collect(course, LAB)

    out: dict = {}
    runner = threading.Thread(target=lambda: out.update(autograde.autograde(course, LAB, workers=2, progress=False)),
                              daemon=True)  # a hang fails this test, never the interpreter's exit
    runner.start()
    marker = autograde._running_marker(course, LAB, "wk0")
    deadline = time.time() + 120
    while not marker.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "team wk0 never started"
    victim = int(marker.read_text().split()[0])
    os.kill(victim, signal.SIGKILL)  # the worker grading wk0 dies mid-notebook
    runner.join(timeout=300)
    assert not runner.is_alive(), "autograde hung after a worker died"

    results = {r["team"]: r for r in out["results"]}
    assert set(results) == set(teams)
    assert all(r["success"] for r in results.values()), results
    assert all(out["scores"][t]["auto"] > 0 for t in teams), out["scores"]
    assert not (course.meta / "running" / LAB).exists() or not any((course.meta / "running" / LAB).iterdir())
