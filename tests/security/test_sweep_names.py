"""Attack: a learner's own process names someone else in its environment, and the hub's clean-stop sweep
(datalit/hub/sweep.py, run as root) ends them.

Found by review: the sweep matched ``JUPYTERHUB_API_URL`` loosely (any host, many URLs in one value) and then,
as root, froze and SIGKILLed the cgroup named by the process's own ``JUPYTERHUB_USER``: a decoy person's
server cgroup died, and ``JUPYTERHUB_USER=..`` named the freezer root (every process of the machine). Now only
an exact API URL matches and only the matched processes themselves are ended."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from datalit.hub.cgroups import ROOT, SERVERS
from datalit.hub.sweep import end_leftover_servers

PORT = 47321


def _sleeper(env_extra: dict) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    env.update(env_extra)
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], env=env)


@pytest.fixture
def decoy():
    """Someone else's server process, in its own server cgroup (as the spawner makes them) when root."""
    proc = _sleeper({})
    group = ROOT / "freezer" / SERVERS / "tsweepdecoy"
    made = False
    if os.geteuid() == 0 and (ROOT / "freezer").is_dir():
        group.mkdir(parents=True, exist_ok=True)
        (group / "cgroup.procs").write_text(str(proc.pid))
        made = True
    yield proc
    proc.kill()
    proc.wait()
    if made:
        for _ in range(50):
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.1)


def test_a_process_naming_another_person_or_the_cgroup_root_ends_only_itself(decoy):
    attackers = [
        _sleeper({"JUPYTERHUB_API_URL": f"http://127.0.0.1:1/hub/api http://x:{PORT}/hub/api",
                  "JUPYTERHUB_USER": "tsweepdecoy"}),  # a loose match, another person's name
        _sleeper({"JUPYTERHUB_API_URL": f"http://evil.example:{PORT}/hub/api", "JUPYTERHUB_USER": ".."}),
    ]
    exact = _sleeper({"JUPYTERHUB_API_URL": f"http://127.0.0.1:{PORT}/hub/api", "JUPYTERHUB_USER": "tsweepdecoy"})
    root_name = _sleeper({"JUPYTERHUB_API_URL": f"http://127.0.0.1:{PORT}/hub/api", "JUPYTERHUB_USER": ".."})
    try:
        time.sleep(0.5)
        said: list[str] = []
        found = end_leftover_servers(PORT, said.append)
        assert set(found) == {exact.pid, root_name.pid}, found  # the loose matches are not this hub's
        for p in (exact, root_name):
            assert p.wait(10) is not None  # the matched processes themselves end
        assert decoy.poll() is None, "the sweep ended a process the learner only named"
        for p in attackers:
            assert p.poll() is None
    finally:
        for p in (*attackers, exact, root_name):
            p.kill()
            p.wait()
