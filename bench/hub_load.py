"""Load benchmark of the hub: N users log in and start servers at once (N = 10, 30, 50).

For each N it runs the datalit hub (``datalit hub``: DatalitSpawner, content hand-out, port check,
cgroup limits) and, in the same run on the same unix users, a stock JupyterHub configuration
(LocalProcessSpawner, DummyAuthenticator, JupyterLab). Reported per configuration:

* p50/p95 seconds from the spawn request to a usable server (``/user/NAME/api/status`` = 200 through
  the proxy) and to a first executed cell (kernel over REST + websocket, ``1 + 1``);
* failed spawns (not usable within the timeout, or the cell failed);
* memory per server (USS of the user-server process, measured after the cell; the kernel is shut down by
  then) and CPU seconds per server process.

Run as root (real unix users):  /opt/datalit/venv/bin/python bench/hub_load.py [--sizes 10,30,50]
Targets on 2 cores: no failed spawn, per-server CPU and memory no worse than stock, p95(30) <= 60 s.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from hub_fixtures import HubProcess, free_port, hub_base_dir, start_hub  # noqa: E402

VENV = Path(sys.executable).parent
TIMEOUT = 240
KEPT_LOGS = Path(tempfile.gettempdir()) / "datalit-hubbench-logs"  # hub + server logs of waves with failures


def keep_log(hub: HubProcess, row: dict) -> None:
    if row["failed"]:
        KEPT_LOGS.mkdir(exist_ok=True)
        row["log"] = str(KEPT_LOGS / f"{row['config']}-{row['users']}-{int(time.time())}.log")
        shutil.copy(hub.log, row["log"])


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(q / 100 * (len(values) - 1)))))
    return values[k]


def start_stock(base: Path, users: list[str]) -> HubProcess:
    """A stock JupyterHub: default spawner and authenticator family, JupyterLab; admin token for the harness."""
    base.mkdir(parents=True, exist_ok=True)
    token = os.urandom(16).hex()
    (base / "api_token").write_text(token)
    port = free_port()
    chp = shutil.which("configurable-http-proxy") or str(VENV.parent.parent / "node/node_modules/.bin/configurable-http-proxy")
    (base / "jupyterhub_config.py").write_text(textwrap.dedent(f"""
        c.JupyterHub.ip = "127.0.0.1"
        c.JupyterHub.port = {port}
        c.JupyterHub.hub_port = {free_port()}
        c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
        c.ConfigurableHTTPProxy.command = [{chp!r}]
        c.JupyterHub.db_url = "sqlite:///{base}/jupyterhub.sqlite"
        c.JupyterHub.cookie_secret_file = "{base}/cookie_secret"
        c.JupyterHub.authenticator_class = "dummy"
        c.Authenticator.allow_all = True
        c.Spawner.cmd = [{str(VENV / 'jupyterhub-singleuser')!r}]
        c.Spawner.default_url = "/lab"
        c.JupyterHub.services = [{{"name": "bench", "api_token": {token!r}}}]
        c.JupyterHub.load_roles = [{{"name": "bench", "scopes": ["admin:users", "admin:servers", "tokens", "list:users"],
                                     "services": ["bench"]}}]
    """))
    env = dict(os.environ, PATH=f"{VENV}:{os.environ['PATH']}", DATALIT_HUB_ADMIN_PASSWORD="unused")
    log = base / "stock.log"
    proc = subprocess.Popen([str(VENV / "jupyterhub"), "-f", str(base / "jupyterhub_config.py")], cwd=base,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT, env=env, start_new_session=True)
    hub = HubProcess(base, port, proc, log, env)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if requests.get(f"{hub.url}/hub/api", timeout=2).status_code == 200:
                return hub
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError("stock hub did not start:\n" + hub.log_tail())


def one_user(hub: HubProcess, name: str, password: str, t0: float) -> dict:
    out = {"name": name, "ok": False}
    try:
        _, resp = hub.login(name, password)
        out["login_s"] = time.time() - t0
        if resp.status_code != 302:
            out["error"] = f"login {resp.status_code}"
            return out
        t_spawn = time.time()
        token = hub.spawn(name, timeout=TIMEOUT)
        out["usable_s"] = time.time() - t_spawn
        cell = hub.run_code(name, token, "print(1 + 1)", timeout=120)
        out["cell_s"] = time.time() - t_spawn
        out["ok"] = cell["error"] is None and cell["stdout"].strip() == "2"
        if not out["ok"]:
            out["error"] = f"cell: {cell}"
    except Exception as exc:  # a failed spawn is a result, not a crash of the benchmark
        out["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    return out


def processes_of(names: set[str]) -> dict:
    mem_server, mem_kernel, cpu_server = [], [], []
    for p in psutil.process_iter(["cmdline", "environ"]):
        try:
            user = (p.info["environ"] or {}).get("JUPYTERHUB_USER")
            if user not in names:
                continue
            cmd = " ".join(p.info["cmdline"] or [])
            info = p.memory_full_info()
            if "singleuser" in cmd:  # jupyterhub-singleuser (stock) or python -m datalit.hub.singleuser
                mem_server.append(info.uss / 2**20)
                t = p.cpu_times()
                cpu_server.append(t.user + t.system)
            elif "ipykernel" in cmd:
                mem_kernel.append(info.uss / 2**20)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return {"mem_server_mb": statistics.mean(mem_server) if mem_server else float("nan"),
            "mem_kernel_mb": statistics.mean(mem_kernel) if mem_kernel else float("nan"),
            "cpu_server_s": statistics.mean(cpu_server) if cpu_server else float("nan"),
            "servers_seen": len(mem_server)}


def run_wave(hub: HubProcess, creds: list[tuple[str, str]]) -> dict:
    t0 = time.time()
    with cf.ThreadPoolExecutor(max_workers=len(creds)) as pool:
        results = list(pool.map(lambda c: one_user(hub, c[0], c[1], t0), creds))
    procs = processes_of({n for n, _ in creds})
    usable = [r["usable_s"] for r in results if "usable_s" in r]
    cells = [r["cell_s"] for r in results if r.get("ok")]
    return {
        "users": len(creds), "failed": sum(not r["ok"] for r in results),
        "usable_p50": pct(usable, 50), "usable_p95": pct(usable, 95),
        "cell_p50": pct(cells, 50), "cell_p95": pct(cells, 95), "wall_s": time.time() - t0,
        **procs, "errors": [r.get("error") for r in results if not r["ok"]][:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,30,50")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("run as root: the benchmark uses real unix users", file=sys.stderr)
        return 2
    base = hub_base_dir("datalit-hubbench-")  # its home images are unmounted at exit, even after a crash
    rows = []
    created: list[str] = []
    try:
        for n in [int(x) for x in args.sizes.split(",")]:
            hub = start_hub(base / f"datalit-{n}" / "state", home_base=base / "home")
            try:
                creds = hub.workshop_accounts(n, "bench")
                created += [c[0] for c in creds]
                rows.append({"config": "datalit", **run_wave(hub, creds)})
                keep_log(hub, rows[-1])
            finally:
                hub.stop(timeout=180)
            print(json.dumps(rows[-1]), flush=True)
            stock = start_stock(base / f"stock-{n}", [c[0] for c in creds])
            try:
                rows.append({"config": "stock", **run_wave(stock, [(u, "any") for u, _ in creds])})
                keep_log(stock, rows[-1])
            finally:
                stock.stop(timeout=180)
            print(json.dumps(rows[-1]), flush=True)
    finally:
        for name in created:
            subprocess.run(["userdel", "-r", name], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
    print(f"\n{'config':8} {'users':>5} {'failed':>6} {'usable p50':>10} {'p95':>6} {'cell p50':>8} {'p95':>6} "
          f"{'MB/server':>9} {'CPU s/server':>12} {'wall s':>7}")
    for r in rows:
        print(f"{r['config']:8} {r['users']:5} {r['failed']:6} {r['usable_p50']:10.1f} {r['usable_p95']:6.1f} "
              f"{r['cell_p50']:8.1f} {r['cell_p95']:6.1f} {r['mem_server_mb']:9.0f} "
              f"{r['cpu_server_s']:12.2f} {r['wall_s']:7.1f}")
    by = {(r["config"], r["users"]): r for r in rows}
    for n in sorted({r["users"] for r in rows}):
        d, s = by.get(("datalit", n)), by.get(("stock", n))
        if d and s:
            print(f"ratio datalit/stock at {n}: usable p95 {d['usable_p95'] / s['usable_p95']:.2f}, "
                  f"memory/server {d['mem_server_mb'] / s['mem_server_mb']:.2f}, "
                  f"CPU/server {d['cpu_server_s'] / s['cpu_server_s']:.2f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
