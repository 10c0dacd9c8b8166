"""What a clean stop of ``datalit hub`` must not leave: user servers of this hub still running.

JupyterHub stops the servers it knows of (``cleanup_servers``) and our spawner ends each server's cgroups.
A server the hub no longer counts as running is not stopped, yet it may still answer: after a crash, the
restarted hub takes servers over, and on a loaded machine (the CI run) two taken-over servers outlived the
clean stop that followed. So after the hub exits on a stop, the launcher ends every process that still
names this hub's API in its environment (``JUPYTERHUB_API_URL``: user servers, their kernels, terminals) and
logs what it found: a stop that leaves nothing behind is checkable, and the
log says which server the hub had lost track of.

The hub API port is kept per state directory (``<state>/ports.json``), so two hubs on one machine never
share it: nothing of another hub is touched.
"""
from __future__ import annotations

import os
import signal
import time

import psutil


def servers_of(hub_port: int) -> dict[int, str]:
    """pid -> user name (as the process claims it, for the log only) of every live process whose
    ``JUPYTERHUB_API_URL`` is exactly this hub's API URL, as the hub gives it to its servers."""
    api = f"http://127.0.0.1:{hub_port}/hub/api"
    found: dict[int, str] = {}
    me = os.getpid()
    for p in psutil.process_iter(["pid", "environ", "status"]):
        if p.info["pid"] == me or p.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        env = p.info["environ"] or {}
        if env.get("JUPYTERHUB_API_URL", "").rstrip("/") == api:
            found[p.info["pid"]] = env.get("JUPYTERHUB_USER", "")
    return found


def end_leftover_servers(hub_port: int, say=None, timeout: float = 15.0) -> dict[int, str]:
    """SIGKILL what is left of this hub's user servers; returns what was found.

    Only the matched processes themselves are ended, never a cgroup or anything else chosen by what a
    process's environment says: a learner sets the environment of their own processes, so all they can make
    this end is their own processes (an attack test: a claimed ``JUPYTERHUB_USER=..`` once named the
    freezer root, every process of the machine). The hub's own stop has already ended each server's cgroups."""
    left = servers_of(hub_port)
    if not left:
        return left
    if say is not None:
        people = ", ".join(sorted({(n or "?")[:40] for n in left.values()}))
        say(f"WARNING: {len(left)} process(es) of user servers outlived the hub ({people!r}); ending them")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [pid for pid in servers_of(hub_port) if pid in left]
        if not alive:
            break
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.1)
    return left
