"""The public proxy (configurable-http-proxy), owned by ``datalit hub`` rather than by JupyterHub.

JupyterHub only talks to it (``ConfigurableHTTPProxy.should_start = False``). The proxy runs in its own
session with its log in ``<state>/logs/proxy.log``; its pid and addresses are in ``<state>/proxy.json``.
So it survives a crash of the hub (``kill -9``): learners' open notebooks keep their connection, and the
next ``datalit hub`` on the same state adopts the running proxy (same ports, same token) instead of
starting a second one. A clean stop (SIGTERM, Ctrl-C) stops it after the hub.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil

from datalit.hub.state import read_secret, write_private

RECORD = "proxy.json"


def _listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _wanted(ip: str, port: int, api_port: int, hub_port: int, host_routing: bool = False) -> dict:
    return {"ip": ip, "port": port, "api_port": api_port, "hub_port": hub_port, "host_routing": host_routing}


def running_proxy(state: Path) -> dict | None:
    """The record of this state's proxy if that process still runs (else None)."""
    try:
        record = json.loads((state / RECORD).read_text())
        proc = psutil.Process(int(record["pid"]))
        if proc.create_time() != record["create_time"] or proc.status() == psutil.STATUS_ZOMBIE:
            return None
    except (OSError, ValueError, KeyError, psutil.Error):
        return None
    return record


def stop_proxy(state: Path, timeout: float = 5) -> None:
    record = running_proxy(state)
    if record is not None:
        try:
            proc = psutil.Process(record["pid"])
            proc.terminate()
            proc.wait(timeout)
        except psutil.TimeoutExpired:
            proc.kill()
        except psutil.Error:
            pass
    (state / RECORD).unlink(missing_ok=True)


def ensure_proxy(state: Path, command: str, ip: str, port: int, api_port: int, hub_port: int,
                 log=print, timeout: float = 30, host_routing: bool = False) -> dict:
    """Adopt this state's running proxy if it serves the same addresses, else start one.

    HOST_ROUTING (``hub.subdomain_host`` on, datalit/hub/origins.py): routes are ``<host>/<path>``, so each
    server is reached on its own subdomain; JupyterHub adds such routes itself once the proxy does this."""
    wanted = _wanted(ip, port, api_port, hub_port, host_routing)
    record = running_proxy(state)
    if record is not None:
        kept = {"host_routing": False, **record}  # a record of an earlier version: no host routing
        if all(kept.get(k) == v for k, v in wanted.items()):
            log(f"proxy already running (pid {record['pid']}): kept, with its routes")
            return record
        log(f"stopping the previous proxy (pid {record['pid']}): its addresses changed")
        stop_proxy(state)
    env = dict(os.environ, CONFIGPROXY_AUTH_TOKEN=read_secret(state, "proxy_token"))
    cmd = [command, "--ip", ip, "--port", str(port), "--api-ip", "127.0.0.1", "--api-port", str(api_port),
           "--error-target", f"http://127.0.0.1:{hub_port}/hub/error", "--log-level", "info"]
    if host_routing:
        cmd.append("--host-routing")
    logfile = state / "logs" / "proxy.log"
    with open(logfile, "ab") as out:
        os.chmod(logfile, 0o600)
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, cwd=state)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            tail = logfile.read_text(errors="replace").splitlines()[-10:]
            raise RuntimeError(f"configurable-http-proxy exited with {proc.returncode}:\n" + "\n".join(tail))
        if _listening(api_port) and _listening(port, "127.0.0.1" if ip in ("", "0.0.0.0") else ip):
            break
        time.sleep(0.1)
    else:
        proc.send_signal(signal.SIGKILL)
        raise RuntimeError(f"configurable-http-proxy did not listen on {port}/{api_port} in {timeout}s")
    record = dict(wanted, pid=proc.pid, create_time=psutil.Process(proc.pid).create_time())
    write_private(state / RECORD, json.dumps(record) + "\n")
    return record
