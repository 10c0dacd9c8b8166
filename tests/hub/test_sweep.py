"""A clean stop ends what is left of this hub's user servers, and nothing of another hub."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from datalit.hub.sweep import end_leftover_servers, servers_of


def _sleeper(env_extra: dict) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    env.update(env_extra)
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], env=env)


def test_only_this_hubs_servers_are_ended():
    port, other = 47311, 47312
    mine = _sleeper({"JUPYTERHUB_API_URL": f"http://127.0.0.1:{port}/hub/api", "JUPYTERHUB_USER": "tsweep1"})
    kernel = _sleeper({"JUPYTERHUB_API_URL": f"http://127.0.0.1:{port}/hub/api", "JUPYTERHUB_USER": "tsweep1"})
    theirs = _sleeper({"JUPYTERHUB_API_URL": f"http://127.0.0.1:{other}/hub/api", "JUPYTERHUB_USER": "tsweep2"})
    longer = _sleeper({"JUPYTERHUB_API_URL": f"http://127.0.0.1:1{port}/hub/api", "JUPYTERHUB_USER": "tsweep3"})
    procs = (mine, kernel, theirs, longer)
    try:
        deadline = time.time() + 10
        while time.time() < deadline and len(servers_of(port)) < 2:
            time.sleep(0.1)
        said = []
        found = end_leftover_servers(port, said.append)
        assert set(found) == {mine.pid, kernel.pid}, found
        assert mine.wait(10) is not None and kernel.wait(10) is not None
        assert "tsweep1" in said[0] and "outlived the hub" in said[0]
        for p in (theirs, longer):
            assert p.poll() is None, "a process of another hub was ended"
        assert end_leftover_servers(port, said.append) == {} and len(said) == 1  # nothing left, nothing said
    finally:
        for p in procs:
            p.kill()
            p.wait()
