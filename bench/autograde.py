"""Benchmark: ``datalit lab autograde`` (parallel, sandboxed) vs stock sequential ``nbgrader autograde``.

60 team submissions of lab 1 (real data): correct ones for many districts, partly wrong ones, and a
few hostile ones that are safe to run unsandboxed too (infinite loop, killed kernel, edited tests,
invalid JSON, reading the hidden tests). Both graders work on copies of the same course (same
gradebook, same collected submissions) in the same run; the stock one uses a plain
nbgrader_config.py (same course id, same per-cell timeout, no sandbox).

    /opt/datalit/venv/bin/python bench/autograde.py [--teams 60] [--workers 0] [--rounds 1] [--keep]

Prints both wall times, the ratio, and whether the grades of the non-hostile submissions agree, and how
many of the correct ones got every automatic point (a run whose kernels all failed, e.g. a broken install,
agrees with itself at 0 points and would otherwise look fast). ``--rounds N`` grades the same copies N
times, stock and datalit alternately (stock with ``--force``), and reports each round's ratio and the
median: on a shared machine only ratios measured side by side mean something. Run as root (the sandbox
needs it).
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


def autograded_max(course_root: Path) -> float:
    """The points nbgrader scores by itself: grade cells that are not also answer (solution) cells."""
    con = sqlite3.connect(course_root / "gradebook.db")
    (total,) = con.execute("""
        select sum(grade_cells.max_score) from grade_cells join base_cell on base_cell.id = grade_cells.id
        where base_cell.name not in (select name from base_cell where type = 'SolutionCell'
                                     and notebook_id = base_cell.notebook_id)""").fetchone()
    return float(total or 0)


def correct_teams(subs: dict) -> list[str]:
    """The submissions of submissions() that are right everywhere (not partly wrong, not hostile)."""
    return [t for t in subs if not t.startswith("x-") and int(t[1:]) % 4 != 0]


CPUACCT = Path("/sys/fs/cgroup/cpuacct")
SLOT_PREFIX = "dlbench"


def remove_slot_accounts() -> None:
    """The bench's own slot accounts (made by the grader under SLOT_PREFIX), once its runs are over."""
    import pwd

    from datalit.hub.uids import SANDBOX_GECOS

    for pw in pwd.getpwall():
        if pw.pw_name.startswith(SLOT_PREFIX) and pw.pw_name[len(SLOT_PREFIX):].isdigit() and \
                pw.pw_gecos == SANDBOX_GECOS:
            subprocess.run(["userdel", pw.pw_name], check=False, capture_output=True)


def timed_run(cmd: list[str], name: str, **kw) -> tuple[float, float | None, subprocess.CompletedProcess]:
    """Run CMD; return its wall seconds, the CPU seconds of it and everything it started (kernels, fork
    servers: a cgroup v1 cpuacct group of its own, None where there is none) and the process. CPU seconds
    hardly depend on what else the machine runs: with them a loaded machine still compares the graders."""
    group = CPUACCT / f"datalit-bench-{name}-{os.getpid()}"
    try:
        group.mkdir()
    except OSError:
        group = None

    def join() -> None:
        if group is not None:
            (group / "cgroup.procs").write_text(str(os.getpid()))

    t = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=join, **kw)
    wall = time.monotonic() - t
    cpu = None
    if group is not None:
        cpu = int((group / "cpuacct.usage").read_text()) / 1e9
        for _ in range(50):  # a kernel killed at the end may take a moment to leave
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.1)
    return wall, cpu, proc


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teams", type=int, default=60)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--cell-timeout", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=1, help="grade both copies this many times, alternately")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    from labkit import put_submission, write_roster

    base = Path(tempfile.mkdtemp(prefix="datalit-bench-", dir="/var/tmp"))
    os.chmod(base, 0o755)
    env = {"DATALIT_LAB_EXCHANGE_DIR": str(base / "exchange"), "DATALIT_LAB_TEAMS_DIR": str(base / "teams"),
           "DATALIT_LAB_COURSE_ID": "bench", "DATALIT_LAB_CELL_TIMEOUT": str(args.cell_timeout),
           "DATALIT_LAB_TIMEOUT": "120", "DATALIT_LAB_SANDBOX_DIR": "/var/lib/datalit-sandbox-bench",
           # slot accounts of its own: a grader on the same slot account kills the other's kernels (kill -1)
           "DATALIT_LAB_SANDBOX_USER_PREFIX": SLOT_PREFIX}
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

    # the stock kernels find the lab reference checks where the grader keeps them (never in the install)
    stock_env = dict(os.environ, PYTHONPATH=str(REPO / "grading"))
    cmd = [str(Path(sys.executable).parent / "datalit"), "lab", "autograde", LAB, "--course-dir", str(ours.root)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    rounds = []
    cpu = []
    for n in range(args.rounds):
        stock_s, stock_cpu, p = timed_run([str(Path(sys.executable).parent / "nbgrader"), "autograde", LAB,
                                           *(["--force"] if n else [])], "stock", cwd=stock, env=stock_env)
        print(f"stock nbgrader autograde (sequential, no sandbox): {stock_s:.1f} s, CPU {stock_cpu or 0:.1f} s "
              f"(exit {p.returncode})", flush=True)
        ours_s, ours_cpu, q = timed_run(cmd, "datalit")
        print(f"datalit lab autograde (parallel, sandboxed): {ours_s:.1f} s, CPU {ours_cpu or 0:.1f} s "
              f"(exit {q.returncode}); ratio {stock_s / ours_s:.2f}; load {os.getloadavg()[0]:.1f}", flush=True)
        rounds.append((stock_s, ours_s))
        cpu.append((stock_cpu, ours_cpu))

    g_stock, g_ours = grades(stock), grades(ours.root)
    normal = [t for t in subs if not t.startswith("x-")]
    same = [t for t in normal if t in g_stock and g_stock[t] == g_ours.get(t)]
    differ = {t: (g_stock.get(t), g_ours.get(t)) for t in normal if t not in same}
    hostile = {t: {"stock": g_stock.get(t), "datalit": g_ours.get(t)} for t in subs if t.startswith("x-")}
    top, correct = autograded_max(ours.root), correct_teams(subs)
    full = [t for t in correct if g_ours.get(t) == top and g_stock.get(t) == top]
    ratios = sorted(s_ / o_ for s_, o_ in rounds)
    stock_s, ours_s = rounds[-1]
    result = {"teams": len(subs), "cores": os.cpu_count(), "stock_seconds": round(stock_s, 1),
              "datalit_seconds": round(ours_s, 1), "speedup": round(stock_s / ours_s, 2),
              "rounds": [[round(s_, 1), round(o_, 1), round(s_ / o_, 2)] for s_, o_ in rounds],
              "median_speedup": round(ratios[len(ratios) // 2], 2),
              # CPU seconds of each grader and everything it started, per team (None: no cpuacct cgroup)
              "cpu_per_team": [[round(c_ / len(subs), 2) if c_ else None for c_ in pair] for pair in cpu],
              "identical_grades": f"{len(same)}/{len(normal)}", "differ": differ,
              "correct_with_full_points": f"{len(full)}/{len(correct)} (of {top:g})", "hostile": hostile,
              "load_average": os.getloadavg()}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if len(full) != len(correct):
        print("WARNING: correct submissions lost points: the kernels failed (install, data?); the timing is void",
              file=sys.stderr)
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
        remove_slot_accounts()
    else:
        print(f"kept: {base}")


if __name__ == "__main__":
    main()
