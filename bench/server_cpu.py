"""CPU cost of ONE user server: the datalit hub against a stock JupyterHub, 1-3 users, one at a time.

Helper of ``bench/hub_load.py`` for a quiet look at what a single user server costs, without the
noise of 30 spawns competing for 2 cores. For each configuration it starts the hub, then for each
user (sequentially: nothing else spawns meanwhile) it requests the server and records the user+sys
CPU seconds of the user-server process (``jupyterhub-singleuser``; ours: ``python -m
datalit.hub.singleuser``)

* ``ready``: at the first ``/user/NAME/api/status`` = 200 through the proxy (start-up cost);
* ``idle``: 5 s later (work the server does right after start);
* ``cell``: after a first cell ran over REST + websocket (what hub_load.py reports).

``--baseline`` adds the datalit hub as it was before its user servers were made lean (plain
``jupyterhub-singleuser``, no hub_config/user_server settings; through an admin snippet in config.d).

Run as root (real unix users):  /opt/datalit/venv/bin/python bench/server_cpu.py [--users 3] [--baseline]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from hub_fixtures import hub_base_dir, start_hub  # noqa: E402
from hub_load import start_stock  # noqa: E402


def server_process(name: str) -> psutil.Process | None:
    for p in psutil.process_iter(["cmdline", "environ"]):
        try:
            if (p.info["environ"] or {}).get("JUPYTERHUB_USER") == name and \
                    "singleuser" in " ".join(p.info["cmdline"] or []):
                return p
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return None


def cpu(p: psutil.Process) -> float:
    t = p.cpu_times()
    return t.user + t.system


def measure(hub, creds: list[tuple[str, str]]) -> list[dict]:
    rows = []
    for name, password in creds:
        _, resp = hub.login(name, password)
        assert resp.status_code == 302, resp.status_code
        t0 = time.time()
        token = hub.spawn(name, timeout=180)
        row = {"user": name, "usable_s": time.time() - t0}
        proc = server_process(name)
        row["ready"] = cpu(proc)
        row["mem_mb"] = proc.memory_full_info().uss / 2**20
        time.sleep(5)
        row["idle"] = cpu(proc)
        cell = hub.run_code(name, token, "print(1 + 1)", timeout=120)
        assert cell["error"] is None and cell["stdout"].strip() == "2", cell
        row["cell"] = cpu(proc)
        hub.stop_server(name)
        rows.append(row)
        print(f"  {name}: " + ", ".join(f"{k} {v:.2f}" for k, v in row.items() if k != "user"), flush=True)
    return rows


def summary(label: str, rows: list[dict]) -> dict:
    out = {k: statistics.mean(r[k] for r in rows) for k in ("usable_s", "ready", "idle", "cell", "mem_mb")}
    print(f"{label:8} usable {out['usable_s']:5.2f} s | CPU s/server: ready {out['ready']:.2f}, "
          f"+5 s idle {out['idle']:.2f}, after cell {out['cell']:.2f} | {out['mem_mb']:.0f} MB", flush=True)
    return out


BASELINE_SNIPPET = f"""
c.Spawner.cmd = [{str(Path(sys.executable).parent / 'jupyterhub-singleuser')!r}]
c.DatalitSpawner.config_dirs = []
c.DatalitSpawner.learner_config_dirs = []
"""


def datalit_hub(state: Path, home: Path, baseline: bool):
    if baseline:
        (state / "config.d").mkdir(parents=True, exist_ok=True)
        (state / "config.d" / "99-baseline.py").write_text(BASELINE_SNIPPET)
    return start_hub(state, home_base=home)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=3, choices=(1, 2, 3))
    parser.add_argument("--only", choices=("datalit", "stock"), default=None)
    parser.add_argument("--rounds", type=int, default=1, help="alternate datalit/stock this many times")
    parser.add_argument("--baseline", action="store_true", help="also the datalit hub before the lean user servers")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("run as root: the benchmark uses real unix users", file=sys.stderr)
        return 2
    base = hub_base_dir("datalit-servercpu-")  # its home images are unmounted at exit, even after a crash
    created: list[str] = []
    results: dict[str, list[dict]] = {"datalit": [], "baseline": [], "stock": []}
    try:
        for rnd in range(args.rounds):
            if args.baseline:
                hub = datalit_hub(base / f"baseline-{rnd}" / "state", base / "home", baseline=True)
                try:
                    bcreds = hub.workshop_accounts(args.users, "cpuz" + "abcdefgh"[rnd])
                    created += [c[0] for c in bcreds]
                    print(f"baseline: datalit before lean servers (round {rnd + 1})", flush=True)
                    results["baseline"] += measure(hub, bcreds)
                finally:
                    hub.stop(timeout=120)
            hub = datalit_hub(base / f"datalit-{rnd}" / "state", base / "home", baseline=False)
            try:
                creds = hub.workshop_accounts(args.users, "cpu" + "abcdefgh"[rnd])
                created += [c[0] for c in creds]
                if args.only in (None, "datalit"):
                    print(f"datalit (round {rnd + 1})", flush=True)
                    results["datalit"] += measure(hub, creds)
            finally:
                hub.stop(timeout=120)
            if args.only in (None, "stock"):
                stock = start_stock(base / f"stock-{rnd}", [c[0] for c in creds])
                try:
                    print(f"stock (round {rnd + 1})", flush=True)
                    results["stock"] += measure(stock, [(u, "any") for u, _ in creds])
                finally:
                    stock.stop(timeout=120)
    finally:
        for name in created:
            subprocess.run(["userdel", "-r", name], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
    means = {k: summary(k, v) for k, v in results.items() if v}
    for label in ("datalit", "baseline"):
        if label in means and "stock" in means:
            d, s = means[label], means["stock"]
            print(f"ratio {label}/stock: " + ", ".join(f"{k} {d[k] / s[k]:.2f}" for k in ("ready", "idle", "cell", "mem_mb")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
