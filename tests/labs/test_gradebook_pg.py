"""The nbgrader gradebook on a real PostgreSQL server (``lab.gradebook_url``, datalit/databases.py), as the
grading Jobs on Kubernetes use it: a release, then two grading processes started at once (the Jobs' own
command, ``python -m datalit.labs.k8s_jobs grade LAB --shard I --of 2``) write one gradebook. Every team is
recorded once, with the same grades as the same submissions graded the same way on the SQLite gradebook.
Kernels run unsandboxed here (``lab.sandbox: false``, as in the Jobs' grader container): the two processes
would otherwise share this machine's sandbox slot users, which the grading tests cover on their own."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from labkit import LAB, answered, local_course, put_submission, write_roster
from pgserver import pg_server  # noqa: F401 - the session's PostgreSQL server

pytestmark = [pytest.mark.grading, pytest.mark.slow]

TEAMS = {"pg0": ["m-pg0"], "pg1": ["m-pg1"], "pg2": ["m-pg2"]}
WRONG_Q2 = {"q2_answer": "top5 = ['a', 'b', 'c', 'd', 'e']"}


def _grade_in_two_processes(course) -> list[subprocess.CompletedProcess]:
    """Both shards at once, each a process of its own writing the course's gradebook."""
    env = {k: v for k, v in os.environ.items()}
    env.update({"DATALIT_LAB_SANDBOX": "false", "DATALIT_LAB_COURSE_DIR": str(course.root)})
    procs = [subprocess.Popen([sys.executable, "-m", "datalit.labs.k8s_jobs", "grade", LAB, "--shard", str(i),
                               "--of", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    done = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


def _graded_course(tmp_path: Path, monkeypatch, name: str) -> tuple[object, dict, list[str]]:
    from datalit.labs import collect, roster
    from datalit.labs.autograde import scores_of
    from datalit.labs.release import release

    (tmp_path / name).mkdir()
    course = local_course(tmp_path / name, monkeypatch, "pg-grading")
    release(course, LAB)
    roster.import_csv(course, write_roster(tmp_path / f"{name}.csv", TEAMS), known_users=None, known_labs=[LAB])
    submissions = {"pg0": answered(course), "pg1": answered(course, WRONG_Q2),
                   "pg2": answered(course, WRONG_Q2, drop=("q4_answer",))}
    for team, nb in submissions.items():
        put_submission(course, TEAMS[team][0], nb)
    collect.collect(course, LAB)
    t0 = time.monotonic()
    runs = _grade_in_two_processes(course)
    print(f"{name}: graded in {time.monotonic() - t0:.1f} s")
    for run in runs:
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    graded = [ln.split()[1] for run in runs for ln in run.stdout.splitlines() if ln.strip().startswith(("OK", "ERR"))]
    return course, scores_of(course, LAB), graded


def test_two_graders_at_once_on_postgres_match_sqlite(tmp_path, monkeypatch, pg_server):  # noqa: F811
    from datalit.databases import GRADEBOOK_PASSWORD_ENV
    from datalit.labs.course import lab_info

    lite, lite_scores, _ = _graded_course(tmp_path, monkeypatch, "sqlite")
    assert (lite.root / "gradebook.db").is_file()

    database = pg_server.create_database("gradebook")
    monkeypatch.setenv("DATALIT_LAB_GRADEBOOK_URL", pg_server.url(database))
    monkeypatch.setenv(GRADEBOOK_PASSWORD_ENV, pg_server.password)
    pg, pg_scores, graded = _graded_course(tmp_path, monkeypatch, "postgres")

    assert sorted(graded) == sorted(TEAMS), graded  # each team by exactly one of the two processes
    from datalit.labs.release import released_due
    assert released_due(pg, LAB) == released_due(lite, LAB) != (True, None)  # the due date, read from PostgreSQL
    assert not (pg.root / "gradebook.db").exists(), "the PostgreSQL course wrote a SQLite gradebook"
    assert pg_scores == lite_scores, (pg_scores, lite_scores)
    full = lab_info(LAB)["points"]["auto"]
    assert pg_scores["pg0"]["auto"] == full and len({s["auto"] for s in pg_scores.values()}) >= 3, pg_scores
    # nothing lost: one submission per team and every autograded cell's grade, in PostgreSQL itself
    rows = pg_server.query(database, "SELECT s.id, count(g.id) FROM submitted_assignment a "
                                     "JOIN student s ON s.id = a.student_id "
                                     "JOIN submitted_notebook n ON n.assignment_id = a.id "
                                     "JOIN grade g ON g.notebook_id = n.id GROUP BY s.id")
    (cells,), = pg_server.query(database, "SELECT count(*) FROM grade_cells")
    assert cells >= 6 and dict(rows) == dict.fromkeys(TEAMS, cells), (rows, cells)
