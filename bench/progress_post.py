"""Benchmark: what posting to the learning record adds to ``q.check()`` in a learner's real hub kernel.

Starts a real hub (root mode when run as root), one learner's server and kernel, and times
``q1.check(answer, quiet=True)`` of lesson 00 N times in each of three settings, in the same kernel:

* off      -- recording disabled (what papermill, ``datalit lesson run`` and offline kernels get);
* hub      -- the real datalit-progress service behind the proxy (the learner's own token);
* hung     -- DATALIT_PROGRESS_URL pointing at a socket that accepts and never answers (a stuck service).

Prints p50/p95 per setting and the p95 added against "off" (target < 50 ms), and how long the hub
setting's N events took to reach the event log. Then lesson 00 run whole by papermill, with and without the
record's URL and a token in its environment (as from a learner's terminal: nothing is posted either way),
``--papermill`` times each, to show the run is as fast as before.

    /opt/datalit/venv/bin/python bench/progress_post.py [--checks 200] [--papermill 3]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

KERNEL = '''
import json, os, socket, statistics, time
from datalit import data
from datalit.progress import post
from datalit.lessons.exercises.beginner.python_first_steps import q1, seoul_total
answer = seoul_total()
q1.check(answer, quiet=True)   # the reference computed and cached; the module found
def timed(n):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        q1.check(answer, quiet=True)
        out.append((time.perf_counter() - t) * 1000)
    return out
res = {}
real = post._state.get("server_kernel")
post._state["server_kernel"] = False
res["off"] = timed(N)
post._state["server_kernel"] = real
res["enabled_in_kernel"] = post.enabled()
res["hub"] = timed(N)
res["hub_flushed"] = post.flush(30)
hang = socket.socket(); hang.bind(("127.0.0.1", 0)); hang.listen(1000)
url = os.environ[post.URL_ENV]
os.environ[post.URL_ENV] = f"http://127.0.0.1:{hang.getsockname()[1]}/services/datalit-progress"
res["hung"] = timed(N)
os.environ[post.URL_ENV] = url
print("RESULT " + json.dumps(res))
'''


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def papermill_runs(n: int) -> None:
    import os
    import statistics
    import subprocess
    import tempfile

    lesson = REPO / "courses" / "beginner" / "00-python-first-steps.ipynb"
    plain = {k: v for k, v in os.environ.items() if k not in ("DATALIT_PROGRESS_URL", "JUPYTERHUB_API_TOKEN")}
    hubby = {**plain, "DATALIT_PROGRESS_URL": "http://127.0.0.1:9/services/datalit-progress", "JUPYTERHUB_API_TOKEN": "x"}
    times = {"without": [], "with": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            for key, env in (("without", plain), ("with", hubby)):
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "papermill", str(lesson), f"{tmp}/out.ipynb", "--log-level", "ERROR"],
                               env=env, check=True, capture_output=True, cwd=tmp)
                times[key].append(time.perf_counter() - t)
    for key, v in times.items():
        print(f"papermill lesson 00, {key:7s} the record's URL+token: median {statistics.median(v):.2f} s ({n} runs)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--papermill", type=int, default=3, help="papermill runs of lesson 00 per setting (0: none)")
    args = parser.parse_args()
    if args.papermill:
        papermill_runs(args.papermill)
    from hub_fixtures import running_hub

    from datalit.progress import events

    with running_hub() as hub:
        name, _ = hub.new_user(groups=("beginner",), prefix="bench")
        token = hub.spawn(name)
        t0 = time.time()
        out = hub.run_code(name, token, f"N = {args.checks}\n" + KERNEL, timeout=600)
        if out["error"]:
            print(out)
            return 1
        res = json.loads(out["stdout"].split("RESULT ", 1)[1])
        deadline = time.time() + 60
        while time.time() < deadline and len(events.read(hub.state, user=name)) < args.checks + 1:
            time.sleep(0.2)
        arrived = len(events.read(hub.state, user=name))
        elapsed = time.time() - t0
        hub.stop_server(name)
    print(f"q1.check() in a learner's hub kernel, {args.checks} calls per setting (ms):")
    base95 = pct(res["off"], 95)
    for key in ("off", "hub", "hung"):
        v = res[key]
        print(f"  {key:5s} p50 {pct(v, 50):7.3f}  p95 {pct(v, 95):7.3f}  max {max(v):8.3f}  added p95 {pct(v, 95) - base95:+7.3f}")
    print(f"recording enabled in the kernel: {res['enabled_in_kernel']}; queue flushed: {res['hub_flushed']}")
    print(f"events in the log: {arrived} of {args.checks + 1} (run + wait {elapsed:.1f} s)")
    worst = max(pct(res[k], 95) - base95 for k in ("hub", "hung"))
    print(f"p95 added: {worst:.3f} ms (target < 50 ms): {'OK' if worst < 50 else 'TOO SLOW'}")
    return 0 if worst < 50 else 1


if __name__ == "__main__":
    sys.exit(main())
