"""Rehearsal of a workshop's first minutes: 30 people log in at once, with and without pre-warmed servers.

One datalit hub, one batch of N workshop accounts (``datalit workshop create``). Each person is a real HTTP
client doing what the browser does: the login form (its XSRF token), the landing redirects into JupyterLab
(the spawn-pending page polled as the page does, until the Lab page answers 200), then the lesson opened
(the notebook's contents and its kernel session, as JupyterLab asks for them, with the server's XSRF
cookie) and the lesson's first code cell run over the kernel websocket. All N start together.

Two waves on the same N accounts in the same run:
* ``cold``: no server runs; the login starts it (what a class day is without pre-warming);
* ``warm``: ``datalit workshop start BATCH`` first (its duration is reported), then the same logins.

Reported per wave: p50/p95 seconds login -> usable Lab and login -> first cell done, failures; for the
warm wave also the memory of the N warm servers (USS of every process of those users: server + kernel,
after the warm-up, before the logins) and the machine's load average, since the machine may be shared.

Also reported per wave: seconds since the first GET at each step (form, login POST, Lab page, Lab's settings and
Korean translations, lesson contents, kernel session, cell), each redirect hop's own response time, and the CPU seconds the hub process, the warm
servers and kernels, the proxy and this client spent (load-independent, where wall times follow a shared
machine's load). ``--warm-only`` skips the cold wave (iterating); ``--py-spy DIR`` samples the hub and one
server during the warm wave.

Run as root (real unix users):  /opt/datalit/venv/bin/python bench/workshop_day.py [--users 30]
Targets on 2 cores (issue #24): warm p95 login -> Lab < 3 s, login -> first cell < 5 s, 0 failures.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urljoin

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from hub_fixtures import VENV_BIN, HubProcess, hub_base_dir, start_hub  # noqa: E402
from hub_load import pct  # noqa: E402

TIMEOUT = 300


def first_code_cell(content: Path, lesson: str) -> str:
    nb = json.loads((content / lesson.split("/", 1)[1]).read_text(encoding="utf-8"))
    return next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def run_cell(hub: HubProcess, session: requests.Session, name: str, kernel: str, code: str) -> str | None:
    """Execute CODE on KERNEL over its websocket with the browser's cookies; returns an error or None."""
    import websocket

    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{hub.port}/user/{name}/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}",
        header=[f"Cookie: {cookies}"], origin=hub.url, timeout=TIMEOUT)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": name, "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        error = None
        while True:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "error":
                error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return error
    finally:
        ws.close()


def short(url: str) -> str:
    """A redirect hop's path without the host, the user's name or the query (for the per-hop table)."""
    path = re.sub(r"^https?://[^/]+", "", url).split("?", 1)[0]
    return re.sub(r"/(user|spawn-pending|spawn)/[^/]+", r"/\1/X", path)


STEPS = ("form_s", "post_s", "lab_s", "lab_api_s", "contents_s", "session_s", "cell_s")


def one_person(hub: HubProcess, name: str, password: str, lesson: str, code: str, start: threading.Event) -> dict:
    out = {"name": name, "ok": False}
    session = hub.session()
    start.wait()
    t0 = time.time()
    try:
        form = session.get(f"{hub.url}/hub/login", params={"username": name}, timeout=TIMEOUT)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
        out["form_s"] = time.time() - t0
        resp = session.post(f"{hub.url}/hub/login?next=", data={"_xsrf": xsrf, "username": name, "password": password},
                            timeout=TIMEOUT, allow_redirects=False)
        out["post_s"] = time.time() - t0
        if resp.status_code != 302:
            out["error"] = f"login {resp.status_code}"
            return out
        # where the login sends the browser (a warm server: /user/X/ at once; else /hub/spawn), as a browser goes
        page = session.get(urljoin(f"{hub.url}/hub/login", resp.headers["Location"]), timeout=TIMEOUT)
        out["hops"] = [(short(r.url), r.elapsed.total_seconds()) for r in page.history + [page]]
        while "/spawn-pending/" in page.url or page.status_code != 200:  # the pending page waits, then redirects
            if time.time() - t0 > TIMEOUT:
                raise TimeoutError(f"no Lab after {TIMEOUT}s (at {page.url}, HTTP {page.status_code})")
            time.sleep(0.5)
            page = session.get(f"{hub.url}/user/{name}/lab/tree/{lesson}", timeout=TIMEOUT)
        if f"/user/{name}/lab" not in page.url:
            raise RuntimeError(f"landed on {page.url}")
        out["lab_s"] = time.time() - t0
        api = f"{hub.url}/user/{name}/api"
        xsrf = session.cookies.get("_xsrf", path=f"/user/{name}/") or session.cookies.get("_xsrf") or ""
        headers = {"X-XSRFToken": xsrf}
        for path in ("lab/api/settings", "lab/api/translations/ko_KR"):  # what Lab asks first: every plugin's
            session.get(f"{hub.url}/user/{name}/{path}", headers=headers, timeout=TIMEOUT).raise_for_status()
        out["lab_api_s"] = time.time() - t0  # settings (in Korean) and the Korean strings
        nb = session.get(f"{api}/contents/{lesson}", params={"type": "notebook", "content": "1"}, headers=headers,
                         timeout=TIMEOUT)
        nb.raise_for_status()
        out["contents_s"] = time.time() - t0
        existing = [s for s in session.get(f"{api}/sessions", headers=headers, timeout=TIMEOUT).json()
                    if s.get("path") == lesson]  # JupyterLab reuses a running session of the notebook
        if existing:
            kernel = existing[0]["kernel"]["id"]
        else:
            made = session.post(f"{api}/sessions", headers=headers, timeout=TIMEOUT, json={
                "path": lesson, "name": lesson.rsplit("/", 1)[-1], "type": "notebook", "kernel": {"name": "python3"}})
            made.raise_for_status()
            kernel = made.json()["kernel"]["id"]
        out["warm_kernel"] = bool(existing)
        out["session_s"] = time.time() - t0
        error = run_cell(hub, session, name, kernel, code)
        out["cell_s"] = time.time() - t0
        out["ok"] = error is None
        if error:
            out["error"] = f"cell: {error}"
    except Exception as exc:  # noqa: BLE001 - a failure is a result, not a crash of the benchmark
        out["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of PIDS so far (the load-independent cost; wall times follow the machine's load)."""
    total = 0.0
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            continue
    return total


def server_pids(names) -> list[int]:
    import pwd

    uids = {pwd.getpwnam(n).pw_uid for n in names}
    return [p.pid for p in psutil.process_iter(["uids"]) if p.info["uids"].real in uids]


def wave(hub: HubProcess, creds, lesson: str, code: str, warm: bool) -> dict:
    start = threading.Event()
    hub_pid = int((hub.state / "jupyterhub.pid").read_text())
    users = server_pids(n for n, _ in creds) if warm else []  # cold: the servers start during the wave (not counted)
    proxy = [p.pid for p in psutil.Process(hub.proc.pid).children(recursive=True)
             if "configurable-http-proxy" in " ".join(p.cmdline())]
    hub_cpu0, users_cpu0, proxy_cpu0 = cpu_seconds([hub_pid]), cpu_seconds(users), cpu_seconds(proxy)
    cpu0 = time.process_time()
    with cf.ThreadPoolExecutor(max_workers=len(creds)) as pool:
        futures = [pool.submit(one_person, hub, n, p, lesson, code, start) for n, p in creds]
        time.sleep(1)
        start.set()
        t = time.time()
        results = [f.result() for f in futures]
        wall = time.time() - t
    client_cpu = time.process_time() - cpu0  # the client's own CPU: is the bench its own bottleneck?
    hub_cpu, users_cpu = cpu_seconds([hub_pid]) - hub_cpu0, cpu_seconds(users) - users_cpu0
    proxy_cpu = cpu_seconds(proxy) - proxy_cpu0
    hops: dict[str, list[float]] = {}
    for r in results:
        for url, s in r.get("hops", []):
            hops.setdefault(url, []).append(s)
    lab = [r["lab_s"] for r in results if "lab_s" in r]
    cell = [r["cell_s"] for r in results if r.get("ok")]
    return {"users": len(creds), "failed": sum(not r["ok"] for r in results),
            "lab_p50": pct(lab, 50), "lab_p95": pct(lab, 95), "cell_p50": pct(cell, 50), "cell_p95": pct(cell, 95),
            "warm_kernels": sum(bool(r.get("warm_kernel")) for r in results),
            "steps_p50": {k: pct([r[k] for r in results if k in r], 50) for k in STEPS},
            "steps_p95": {k: pct([r[k] for r in results if k in r], 95) for k in STEPS},
            "hops_p95": {u: (len(v), pct(v, 95)) for u, v in hops.items()},
            "client_cpu_s": round(client_cpu, 2), "wall_s": round(wall, 2),
            "hub_cpu_s": round(hub_cpu, 2), "servers_cpu_s": round(users_cpu, 2), "proxy_cpu_s": round(proxy_cpu, 2),
            "errors": [r.get("error") for r in results if not r["ok"]][:5]}


def memory_of(names: set[str]) -> dict:
    """USS (MiB) of every process of NAMES' unix accounts: user servers and their kernels."""
    uids = {}
    import pwd

    for n in names:
        uids[pwd.getpwnam(n).pw_uid] = n
    total, servers, kernels = 0.0, 0, 0
    for p in psutil.process_iter(["uids", "cmdline"]):
        try:
            if p.info["uids"].real not in uids:
                continue
            total += p.memory_full_info().uss / 2**20
            cmd = " ".join(p.info["cmdline"] or [])
            servers += "singleuser" in cmd
            kernels += "ipykernel" in cmd
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return {"uss_total_mb": round(total), "servers": servers, "kernels": kernels}


def profile(hub: HubProcess, name: str, out: Path) -> list[subprocess.Popen]:
    """py-spy on the hub and on NAME's user server (sampling until SIGINT), collapsed stacks into OUT."""
    import pwd

    out.mkdir(parents=True, exist_ok=True)
    uid = pwd.getpwnam(name).pw_uid
    server = next(p.pid for p in psutil.process_iter(["uids", "cmdline"])
                  if p.info["uids"].real == uid and "singleuser" in " ".join(p.info["cmdline"] or []))
    spies = [subprocess.Popen([str(VENV_BIN / "py-spy"), "record", "--format", "raw", "--rate", "200",
                               "-o", str(out / f"{what}.txt"), "-p", str(pid)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for what, pid in (("hub", int((hub.state / "jupyterhub.pid").read_text())), ("server", server))]
    time.sleep(2)  # py-spy attached
    return spies


def stop_all(hub: HubProcess, names) -> None:
    for n in names:
        hub.api("DELETE", f"/users/{n}/server", expect=(202, 204, 400))
    deadline = time.time() + 180
    while time.time() < deadline and any((hub.user_model(n) or {}).get("server") for n in names):
        time.sleep(1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--mem-limit", default="600M", help="hub.mem_limit of the rehearsal hub (what the memory check counts)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--py-spy", type=Path, default=None, metavar="DIR",
                        help="sample the hub and the first person's server with py-spy during the warm wave "
                             "(collapsed stacks in DIR/hub.txt, DIR/server.txt)")
    parser.add_argument("--warm-only", action="store_true",
                        help="skip the cold wave (quick iteration on the warm path; no cold/warm ratio)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("run as root: the benchmark uses real unix users", file=sys.stderr)
        return 2
    base = hub_base_dir("datalit-workshopbench-")
    hub = start_hub(base / "state", home_base=base / "home", extra_env={"DATALIT_HUB_MEM_LIMIT": args.mem_limit})
    rows = {"load_before": os.getloadavg()}
    try:
        creds = hub.workshop_accounts(args.users, "bench", tier="citizen")
        hub.created += [n for n, _ in creds]
        batch = json.loads((hub.state / "workshop" / "accounts.json").read_text())["accounts"][creds[0][0]]["batch"]
        content = hub.state.parent / "content"
        lesson = "courses/citizen/" + sorted((content / "citizen").glob("*.ipynb"))[0].name
        code = first_code_cell(content, lesson)

        t = time.time()
        warmed = subprocess.run([str(VENV_BIN / "datalit"), "workshop", "start", batch, "--state-dir", str(hub.state)],
                                capture_output=True, text=True, env=hub.env, timeout=1800)
        rows["prewarm_s"] = round(time.time() - t, 1)
        rows["prewarm_out"] = (warmed.stdout.splitlines() or [""])[0] + " | " + (warmed.stdout.splitlines() or [""])[-1]
        if warmed.returncode != 0:
            print(warmed.stdout, warmed.stderr, file=sys.stderr)
            return 1
        time.sleep(5)
        rows["memory_warm"] = memory_of({n for n, _ in creds})
        rows["load_warm"] = os.getloadavg()
        spies = profile(hub, creds[0][0], args.py_spy) if args.py_spy else []
        rows["warm"] = wave(hub, creds, lesson, code, warm=True)
        for spy in spies:
            spy.send_signal(2)  # SIGINT: py-spy writes what it sampled and exits
            spy.wait(timeout=60)
        print(json.dumps(rows["warm"]), flush=True)
        stop_all(hub, [n for n, _ in creds])
        if not args.warm_only:
            rows["load_cold"] = os.getloadavg()
            rows["cold"] = wave(hub, creds, lesson, code, warm=False)
            print(json.dumps(rows["cold"]), flush=True)
            stop_all(hub, [n for n, _ in creds])
    finally:
        hub.remove_users()
        hub.stop(timeout=180)
        import shutil

        shutil.rmtree(base, ignore_errors=True)
    print(f"\npre-warm of {args.users} servers: {rows['prewarm_s']} s ({rows['prewarm_out']})")
    m = rows["memory_warm"]
    print(f"memory of {m['servers']} warm servers + {m['kernels']} kernels: {m['uss_total_mb']} MiB USS "
          f"({m['uss_total_mb'] / max(1, m['servers']):.0f} MiB each)")
    print(f"load average (1, 5, 15 min) before {rows['load_before']}, warm wave {rows['load_warm']}, "
          f"cold wave {rows.get('load_cold', '-')}")
    kinds = ("warm",) if args.warm_only else ("warm", "cold")
    print(f"\n{'wave':5} {'users':>5} {'failed':>6} {'Lab p50':>8} {'p95':>6} {'cell p50':>8} {'p95':>6} {'warm kernels':>12}")
    for kind in kinds:
        r = rows[kind]
        print(f"{kind:5} {r['users']:5} {r['failed']:6} {r['lab_p50']:8.2f} {r['lab_p95']:6.2f} {r['cell_p50']:8.2f} "
              f"{r['cell_p95']:6.2f} {r['warm_kernels']:12}")
        for e in r["errors"]:
            print(f"      {e}")
    for kind in kinds:
        r = rows[kind]
        print(f"\n{kind} wave: {r['wall_s']} s wall; CPU seconds: hub process {r['hub_cpu_s']} "
              f"({r['hub_cpu_s'] / r['users']:.3f} per login), warm servers + kernels {r['servers_cpu_s']}, "
              f"proxy {r['proxy_cpu_s']}, bench client {r['client_cpu_s']}")
        print("  seconds since the first GET /hub/login (p50 / p95):")
        for k in STEPS:
            print(f"  {k:11} {r['steps_p50'][k]:6.2f} / {r['steps_p95'][k]:6.2f}")
        print("  redirect hops after the login POST (count, p95 of each hop's own response time):")
        for url, (n, s) in r["hops_p95"].items():
            print(f"    {n:3} {s:6.2f}  {url}")
    if not args.warm_only:
        w, c = rows["warm"], rows["cold"]
        print(f"ratio cold/warm: Lab p95 {c['lab_p95'] / w['lab_p95']:.1f}x, first cell p95 "
              f"{c['cell_p95'] / w['cell_p95']:.1f}x")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
