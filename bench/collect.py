"""Benchmark: ``datalit lab collect`` through the exchange service vs stock ``nbgrader collect`` (file copy).

The same N team submissions of lab 1 (real data) are put (a) into a stock nbgrader file exchange,
as ``nbgrader submit`` leaves them (``inbound/<student>+<lab>+<timestamp>+<random>``), and (b) into
the ``datalit-exchange`` service's store of a real hub started here. Then, in the same run:

* stock: ``nbgrader collect LAB`` in a stock course directory (copies inbound -> submitted);
* datalit over HTTP: ``collect()`` with ``lab.exchange_url`` = the hub's service and the datalit-cli
  token (what an instructor's machine without the store does, e.g. on Kubernetes);
* datalit local: ``collect()`` straight on the store (root on the hub machine, the default);
* and ``datalit lab collect`` as a command through the service (process start included, like stock).

    /opt/datalit/venv/bin/python bench/collect.py [--teams 60] [--repeat 3]

Prints the best wall time of each and the ratios against stock. Run as root (it starts a hub).
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "labs")]
LAB = "lab1_bike_story"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.monotonic()
        fn()
        times.append(time.monotonic() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teams", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root: it starts a real hub")

    import nbformat

    from hub_fixtures import hub_base_dir, start_hub
    from labkit import answered, lab_env, put_submission, write_roster

    base = hub_base_dir()
    env = lab_env(base)
    env.update({"DATALIT_LAB_COURSE_ID": "bench-collect", "DATALIT_LAB_COURSE_DIR": str(base / "course")})
    os.environ.update(env)
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    from datalit.labs import collect, roster
    from datalit.labs.course import open_course
    from datalit.labs.release import release

    hub = start_hub(base / "state", home_base=base / "home", extra_env=env)
    try:
        course = open_course(base / "course")
        release(course, LAB)
        teams = {f"t{i:02d}": [f"m{i:02d}"] for i in range(args.teams)}
        roster.import_csv(course, write_roster(base / "roster.csv", teams), known_users=None, known_labs=[LAB])
        stock = base / "stock"
        shutil.copytree(course.root, stock)
        (stock / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.CourseDirectory.course_id = 'bench-collect'\n"
            f"c.Exchange.root = {str(base / 'stock-exchange')!r}\n")
        inbound = base / "stock-exchange" / "bench-collect" / "inbound"
        inbound.mkdir(parents=True)
        for i, (team, members) in enumerate(teams.items()):
            nb = answered(course, {"interpretation": f"팀 {team}의 해석."})
            put_submission(course, members[0], nb)
            ts = f"2026-12-01 09:{i // 60:02d}:{i % 60:02d}.000000 UTC"
            d = inbound / f"{team}+{LAB}+{ts}+{secrets.token_hex(4)}"
            d.mkdir()
            nbformat.write(nb, d / f"{LAB}.ipynb")
            (d / "timestamp.txt").write_text(ts)

        nbgrader = str(Path(sys.executable).parent / "nbgrader")

        def run_stock():
            shutil.rmtree(stock / "submitted", ignore_errors=True)
            subprocess.run([nbgrader, "collect", LAB, "--update"], cwd=stock, check=True, capture_output=True)

        def run_ours(http: bool):
            def go():
                shutil.rmtree(course.root / "submitted", ignore_errors=True)
                shutil.rmtree(course.meta / "submissions", ignore_errors=True)
                if http:
                    course.cfg["exchange_url"] = f"{hub.url}/services/datalit-exchange"
                    os.environ["DATALIT_EXCHANGE_TOKEN"] = hub.token
                else:
                    course.cfg["exchange_url"] = ""
                summary = collect.collect(course, LAB)
                assert len(summary["teams"]) == args.teams, summary
            return go

        def run_cli():  # the same as a command, like stock (process start and imports included)
            shutil.rmtree(course.root / "submitted", ignore_errors=True)
            shutil.rmtree(course.meta / "submissions", ignore_errors=True)
            cli_env = dict(os.environ, DATALIT_EXCHANGE_URL=f"{hub.url}/services/datalit-exchange",
                           DATALIT_EXCHANGE_TOKEN=hub.token)
            subprocess.run([str(Path(sys.executable).parent / "datalit"), "lab", "collect", LAB,
                            "--course-dir", str(course.root)], check=True, capture_output=True, env=cli_env)

        stock_s = best(run_stock, args.repeat)
        cli_s = best(run_cli, args.repeat)
        http_s = best(run_ours(True), args.repeat)
        local_s = best(run_ours(False), args.repeat)
        assert len(list((stock / "submitted").iterdir())) == args.teams
        print(json.dumps({"teams": args.teams, "cores": os.cpu_count(),
                          "stock_nbgrader_collect_s": round(stock_s, 2),
                          "datalit_lab_collect_command_via_service_s": round(cli_s, 2),
                          "datalit_collect_via_service_s": round(http_s, 2),
                          "datalit_collect_local_store_s": round(local_s, 2),
                          "command_via_service_vs_stock": round(cli_s / stock_s, 2),
                          "service_vs_stock": round(http_s / stock_s, 2),
                          "local_vs_stock": round(local_s / stock_s, 2),
                          "load_average": os.getloadavg()}, indent=1))
    finally:
        hub.remove_users()
        hub.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
