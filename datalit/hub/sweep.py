"""What a clean stop of ``datalit hub`` must not leave: user servers of this hub still running.

JupyterHub stops the servers it knows of (``cleanup_servers``) and our spawner ends each server's cgroups.
A server the hub no longer counts as running is not stopped, yet it may still answer: after a crash, the
restarted hub takes servers over, and on a loaded machine (the CI run) two taken-over servers outlived the
clean stop that followed. So after the hub exits on a stop, the launcher ends every process that still
names this hub's API in its environment (``JUPYTERHUB_API_URL``: user servers, their kernels, terminals) and
the cgroups of those users, and logs what it found: a stop that leaves nothing behind is checkable, and the
log says which server the hub had lost track of.

The hub API port is kept per state directory (``<state>/ports.json``), so two hubs on one machine never
share it: nothing of another hub is touched.
"""
from __future__ import annotations

import os
import re
import signal
import time

import psutil

from datalit.hub import cgroups


def _names_this_hub(env: dict, hub_port: int) -> bool:
    return re.search(rf"://[^/]*:{hub_port}/hub/api", env.get("JUPYTERHUB_API_URL", "")) is not None


def servers_of(hub_port: int) -> dict[int, str]:
    """pid -> user name of every live process whose environment points at this hub's API, services excluded
    (the services die with the hub; datalit/hub/tether.py)."""
    found: dict[int, str] = {}
    me = os.getpid()
    for p in psutil.process_iter(["pid", "environ", "status"]):
        if p.info["pid"] == me or p.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        env = p.info["environ"] or {}
        if env.get("JUPYTERHUB_SERVICE_NAME") or not _names_this_hub(env, hub_port):
            continue
        found[p.info["pid"]] = env.get("JUPYTERHUB_USER", "")
    return found


def end_leftover_servers(hub_port: int, say=None, timeout: float = 15.0) -> dict[int, str]:
    """SIGKILL what is left of this hub's user servers (and their cgroups, as root); returns what was found."""
    left = servers_of(hub_port)
    if not left:
        return left
    if say is not None:
        people = ", ".join(sorted({n or "?" for n in left.values()}))
        say(f"WARNING: {len(left)} process(es) of user servers outlived the hub ({people}); ending them")
    if os.geteuid() == 0:
        for name in sorted({n for n in left.values() if n}):
            cgroups.kill_all(name)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = servers_of(hub_port)
        if not alive:
            break
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.1)
    return left
