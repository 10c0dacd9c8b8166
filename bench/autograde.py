"""Benchmark: ``datalit lab autograde`` (parallel, sandboxed) vs stock sequential ``nbgrader autograde``.

60 team submissions of lab 1 (real data): correct ones for many districts, partly wrong ones, and a
few hostile ones that are safe to run unsandboxed too (infinite loop, killed kernel, edited tests,
invalid JSON, reading the hidden tests). Both graders work on copies of the same course (same
gradebook, same collected submissions) in the same run; the stock one uses a plain
nbgrader_config.py (same course id, same per-cell timeout, no sandbox).

    /opt/datalit/venv/bin/python bench/autograde.py [--teams 60] [--workers 0] [--keep]

Prints both wall times, the ratio, and whether the grades of the non-hostile submissions agree.
Run as root (the sandbox needs it).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "labs"))
LAB = "lab1_bike_story"
GUS = ["강남구", "강동구", "강북구", "강서구", "관악구", "광진구", "구로구", "금천구", "노원구", "도봉구", "동대문구",
       "동작구", "마포구", "서대문구", "서초구", "성동구", "성북구", "송파구", "양천구", "영등포구", "용산구", "은평구",
       "종로구", "중구", "중랑구"]
STOCK_CONFIG = """c = get_config()
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
c.Execute.timeout = {timeout}
"""


def submissions(course, n: int) -> dict:
    from labkit import answered

    src = str(course.root / "source" / LAB / f"{LAB}.ipynb")
    hostile = {
        "loop": answered(course, {"q3_answer": "busiest = 10\nwhile True:\n    pass"}),
        "killed": answered(course, {"q3_answer": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"}),
        "edits": answered(course, {"q3_answer": "busiest = 1", "q3_test": "pass"}, drop=("q1_test",)),
        "notjson": b'{"cells": [ not json',
        "snoop": answered(course, {"q4_answer": f"share = 4.93\nstolen = open({src!r}).read()"}),
    }
    subs = {}
    for i in range(n - len(hostile)):
        gu = GUS[i % len(GUS)]
        over = {"gu": f'GU = "{gu}"'}
        if i % 4 == 3:  # partly wrong: a wrong top 5 and a wrong month
            over.update({"q2_answer": "top5 = ['가', '나', '다', '라', '마']", "q3_answer": "busiest = 1"})
        subs[f"t{i + 1:02d}"] = answered(course, over)
    for name, nb in hostile.items():
        subs[f"x-{name}"] = nb
    return subs


def grades(course_root: Path) -> dict:
    con = sqlite3.connect(course_root / "gradebook.db")
    rows = con.execute("""
        select student.id, sum(coalesce(grade.manual_score, grade.auto_score, 0))
        from grade join submitted_notebook on grade.notebook_id = submitted_notebook.id
        join submitted_assignment on submitted_notebook.assignment_id = submitted_assignment.id
        join student on submitted_assignment.student_id = student.id
        group by student.id""").fetchall()
    return {team: score for team, score in rows}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teams", type=int, default=60)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--cell-timeout", type=int, default=30)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    from labkit import put_submission, write_roster

    base = Path(tempfile.mkdtemp(prefix="datalit-bench-", dir="/var/tmp"))
    os.chmod(base, 0o755)
    env = {"DATALIT_LAB_EXCHANGE_DIR": str(base / "exchange"), "DATALIT_LAB_TEAMS_DIR": str(base / "teams"),
           "DATALIT_LAB_COURSE_ID": "bench", "DATALIT_LAB_CELL_TIMEOUT": str(args.cell_timeout),
           "DATALIT_LAB_TIMEOUT": "120", "DATALIT_LAB_SANDBOX_DIR": "/var/lib/datalit-sandbox-bench"}
    os.environ.update(env)
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    from datalit.labs import collect, roster
    from datalit.labs.course import open_course
    from datalit.labs.release import release

    t = time.monotonic()
    ours = open_course(base / "ours")
    release(ours, LAB)
    subs = submissions(ours, args.teams)
    roster.import_csv(ours, write_roster(base / "roster.csv", {team: [f"m{team}"] for team in subs}),
                      known_users=None, known_labs=[LAB])
    for team, nb in subs.items():
        put_submission(ours, f"m{team}", None if isinstance(nb, bytes) else nb,
                       raw=nb if isinstance(nb, bytes) else None)
    collect.collect(ours, LAB)
    stock = base / "stock"
    shutil.copytree(ours.root, stock)
    (stock / "nbgrader_config.py").write_text(STOCK_CONFIG.format(
        course_id="bench", exchange=str(base / "exchange"), timeout=args.cell_timeout))
    print(f"set-up: {len(subs)} submissions in {time.monotonic() - t:.0f} s", flush=True)

    t = time.monotonic()
    # the stock kernels find the lab reference checks where the grader keeps them (never in the install)
    stock_env = dict(os.environ, PYTHONPATH=str(REPO / "grading"))
    p = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", LAB], cwd=stock,
                       capture_output=True, text=True, env=stock_env)
    stock_s = time.monotonic() - t
    print(f"stock nbgrader autograde (sequential, no sandbox): {stock_s:.1f} s (exit {p.returncode})", flush=True)

    t = time.monotonic()
    cmd = [str(Path(sys.executable).parent / "datalit"), "lab", "autograde", LAB, "--course-dir", str(ours.root)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    q = subprocess.run(cmd, capture_output=True, text=True)
    ours_s = time.monotonic() - t
    print(f"datalit lab autograde (parallel, sandboxed): {ours_s:.1f} s (exit {q.returncode})", flush=True)

    g_stock, g_ours = grades(stock), grades(ours.root)
    normal = [t for t in subs if not t.startswith("x-")]
    same = [t for t in normal if t in g_stock and g_stock[t] == g_ours.get(t)]
    differ = {t: (g_stock.get(t), g_ours.get(t)) for t in normal if t not in same}
    hostile = {t: {"stock": g_stock.get(t), "datalit": g_ours.get(t)} for t in subs if t.startswith("x-")}
    result = {"teams": len(subs), "cores": os.cpu_count(), "stock_seconds": round(stock_s, 1),
              "datalit_seconds": round(ours_s, 1), "speedup": round(stock_s / ours_s, 2),
              "identical_grades": f"{len(same)}/{len(normal)}", "differ": differ, "hostile": hostile,
              "load_average": os.getloadavg()}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    else:
        print(f"kept: {base}")


if __name__ == "__main__":
    main()
