"""Hostile and broken submissions: the grader goes on, the team gets a clear Korean note in its
feedback, the other teams are unaffected, and nothing is lost.

All cases are graded together in ONE real sandboxed, parallel run (module fixture) to keep the
suite fast; each case is its own test on that run's results.
"""
from __future__ import annotations

import html as html_text

import json
import os
import sqlite3

import nbformat
import pytest

from labkit import LAB, answered, put_submission, write_roster

pytestmark = [pytest.mark.grading, pytest.mark.slow]

HIDDEN_MARK = "q1.assert_ok(monthly, gu=GU)"  # only in the source notebook's hidden tests


def _cases(course):
    src_nb = str(course.root / "source" / LAB / f"{LAB}.ipynb")
    db = str(course.root / "gradebook.db")
    other = str(course.root / "submitted" / "good" / LAB / f"{LAB}.ipynb")
    loop = "while True:\n    pass"
    return {
        "good": answered(course),
        "edits": answered(course, {"q3_answer": "busiest = 1", "q3_test": "pass  # always passes"},
                          drop=("q1_test",)),
        "loop": answered(course, {"q3_answer": "busiest = 10\n" + loop}),
        "membomb": answered(course, {"q4_answer": "hog = b'x' * (3 * 1024**3)\nshare = 4.93"}),
        "forkbomb": answered(course, {"q4_answer": "import os\nshare = 4.93\nwhile True:\n    os.fork()"}),
        "sysexit": answered(course, {"q3_answer": "import sys\nbusiest = 10\nsys.exit(1)"}),
        "killed": answered(course, {"q3_answer": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"}),
        "snoop": answered(course, {"q4_answer": (
            "share = 4.93\n"
            f"stolen = open({src_nb!r}).read()\n")}),
        "snoop2": answered(course, {"q4_answer": (
            "share = 4.93\n"
            f"stolen = open({other!r}).read()\n")}),
        "network": answered(course, {"q4_answer": (
            "import socket\nshare = 4.93\n"
            "socket.create_connection(('1.1.1.1', 80), timeout=3)")}),
        "gradebook": answered(course, {"q4_answer": (
            "import sqlite3\nshare = 4.93\n"
            f"sqlite3.connect({db!r}).execute(\"update grade set auto_score=100\").connection.commit()")}),
        "flood": answered(course, {"q2_answer": (
            "chunk = 'x' * 1_000_000\nfor _ in range(100):\n    print(chunk)\n"
            "top5 = mine.groupby('station_name')['rentals'].sum().sort_values(ascending=False).head(5).index.tolist()")}),
        "tamper": answered(course, {"q2_answer": (
            "top5 = ['a', 'b', 'c', 'd', 'e']\n"
            "from datalit.lessons import checks\n"
            "checks.Question.feedback = lambda self, *a, **k: None")}),
        "notjson": b'{"cells": [ this is not json',
        "kernelname": answered(course, kernel="no-such-kernel"),
        "bigfile": answered(course),
    }


@pytest.fixture(scope="module")
def run(released, tmp_path_factory):
    import shutil
    import tempfile
    from pathlib import Path

    from datalit.labs import autograde, collect, feedback, roster
    from datalit.labs.course import open_course
    from labkit import lab_env

    base = Path(tempfile.mkdtemp(prefix="adv-", dir=released["exchange"].parent))
    os.chmod(base, 0o755)
    shutil.copytree(released["exchange"], base / "exchange")
    saved = dict(os.environ)
    os.environ.update(lab_env(base))
    root = tmp_path_factory.mktemp("adv") / "course"
    shutil.copytree(released["course"], root)
    course = open_course(root)
    cases = _cases(course)
    teams = {name: [f"m-{name}"] for name in cases}
    roster.import_csv(course, write_roster(root.parent / "r.csv", teams), known_users=None, known_labs=[LAB])
    originals = {}
    for name, nb in cases.items():
        extra = {}
        if name == "bigfile":  # over max_file_mb (20 in the tests): the service refuses it, collect skips it
            extra = {"huge.bin": lambda p: p.write_bytes(b"\0" * (21 * 1024**2))}
        d = put_submission(course, f"m-{name}", nb if not isinstance(nb, bytes) else None,
                           raw=nb if isinstance(nb, bytes) else None, extra=extra)
        originals[name] = (d / f"{LAB}.ipynb").read_bytes()
    summary = collect.collect(course, LAB)
    report = autograde.autograde(course, LAB, workers=2, progress=False)
    fb = feedback.feedback(course, LAB)
    yield {"course": course, "summary": summary, "report": report, "feedback": fb, "originals": originals}
    os.environ.clear()
    os.environ.update(saved)
    shutil.rmtree(base, ignore_errors=True)


def _notes(run, team):
    return [n["key"].split(":")[0] for n in run["course"].read_notes(LAB, team)]


def _feedback_html(run, team):
    return (run["course"].root / "feedback" / team / LAB / f"{LAB}.html").read_text(encoding="utf-8")


def _auto(run, team):
    return run["report"]["scores"][team]["auto"]


def _has_note(run, team, *keys):
    notes = _notes(run, team)
    assert any(k in notes for k in keys), (team, notes, run["course"].read_notes(LAB, team))
    html = _feedback_html(run, team)
    texts = [n["text"] for n in run["course"].read_notes(LAB, team)]
    shown = html_text.unescape(html)  # the page escapes the notes (&#39; or &#x27; for a quote: either is right)
    assert texts and all(t in shown for t in texts), (texts, shown[-2000:])


def test_every_team_was_graded_and_nothing_lost(run):
    results = {r["team"]: r for r in run["report"]["results"]}
    assert set(results) == set(run["originals"])
    course = run["course"]
    for team, data in run["originals"].items():
        kept = list((course.meta / "submissions" / LAB / team).glob(f"*/{LAB}.ipynb"))
        assert len(kept) == 1 and kept[0].read_bytes() == data, team
        assert (course.root / "feedback" / team / LAB / f"{LAB}.html").is_file(), team
    assert _auto(run, "good") == 10 and _notes(run, "good") == []


def test_edited_and_deleted_test_cells_are_restored(run):
    _has_note(run, "edits", "checksum")
    assert _auto(run, "edits") == 8  # q3 wrong (its test restored, fails); deleted q1 test put back, passes


def test_infinite_loop_is_interrupted(run):
    _has_note(run, "loop", "cell_timeout")
    assert _auto(run, "loop") == 10  # interrupted, then the kernel went on with the next cells
    assert "시간 제한" in _feedback_html(run, "loop")


def test_memory_bomb_is_stopped(run):
    _has_note(run, "membomb", "memory")
    assert _auto(run, "membomb") == 8  # killed in q4; q1-q3 kept


def test_fork_bomb_is_contained(run):
    _has_note(run, "forkbomb", "processes")
    assert _auto(run, "forkbomb") == 8
    from datalit.config import DEFAULTS
    from datalit.labs.sandbox import _uid_has_processes
    prefix = DEFAULTS["lab"]["sandbox_user_prefix"]
    for slot in (0, 1):
        assert not _uid_has_processes(__import__("pwd").getpwnam(f"{prefix}{slot}").pw_uid)


def test_sys_exit_does_not_stop_grading(run):
    assert _auto(run, "sysexit") == 10  # SystemExit is an ordinary error in a kernel


def test_killed_kernel_gives_note_and_partial_grade(run):
    _has_note(run, "killed", "dead_kernel")
    assert _auto(run, "killed") == 6  # q1, q2 passed before the kill; q3, q4 never ran
    nb = nbformat.read(run["course"].root / "autograded" / "killed" / LAB / f"{LAB}.ipynb", as_version=4)
    assert any(o.get("ename") == "SandboxKernelDead" for c in nb.cells for o in c.get("outputs", []))


def test_reading_hidden_tests_is_denied(run):
    _has_note(run, "snoop", "permission")
    nb = nbformat.read(run["course"].root / "autograded" / "snoop" / LAB / f"{LAB}.ipynb", as_version=4)
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert HIDDEN_MARK not in outputs and "BEGIN HIDDEN TESTS" not in outputs
    assert _auto(run, "snoop") == 10


def test_reading_another_teams_work_is_denied(run):
    _has_note(run, "snoop2", "permission")


def test_network_is_unreachable(run):
    _has_note(run, "network", "network")


def test_gradebook_cannot_be_written(run):
    _has_note(run, "gradebook", "permission")
    con = sqlite3.connect(run["course"].root / "gradebook.db")
    assert con.execute("select max(auto_score) from grade").fetchone()[0] <= 3


def test_output_flood_is_cut(run):
    _has_note(run, "flood", "output")
    size = (run["course"].root / "autograded" / "flood" / LAB / f"{LAB}.ipynb").stat().st_size
    assert size < 2_000_000
    assert _auto(run, "flood") == 10


def test_patched_checking_code_cannot_raise_the_grade(run):
    assert _auto(run, "tamper") == 7  # the wrong top 5 still fails the (freshly imported) hidden test


def test_invalid_json_notebook(run):
    _has_note(run, "notjson", "invalid_json")
    assert _auto(run, "notjson") == 0


def test_unknown_kernel_name(run):
    _has_note(run, "kernelname", "kernel_name")
    assert _auto(run, "kernelname") == 10


def test_huge_file_in_team_folder_is_not_collected(run):
    _has_note(run, "bigfile", "big_file")
    course = run["course"]
    assert not (course.root / "submitted" / "bigfile" / LAB / "huge.bin").exists()
    assert _auto(run, "bigfile") == 10
    assert json.dumps(run["summary"]["teams"]["bigfile"])
