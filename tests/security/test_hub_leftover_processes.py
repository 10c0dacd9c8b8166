"""Issue #19 item 6: a learner's processes outlived their server, the account's expiry and the hub.

The attack, from the learner's kernel: ``setsid nohup sleep 600 &`` and a classic double-fork daemon
(fork, setsid, fork again, the parent exits), both out of the server's process group. Before, they
survived the server's stop and the account's expiry (the hub stops servers, it signals no group the
daemon is in), and after SIGTERM to the hub home loop mounts and cgroups stayed behind. Now every server
runs in its own pids + freezer cgroups (datalit/hub/cgroups.py; a fork bomb stops at ``hub.pids_limit``)
that are frozen and emptied with SIGKILL at every stop, by the workshop-expiry service too, and a clean
hub stop leaves no home image mounted."""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time

import pytest

from hub_fixtures import hub_base_dir, running_hub, start_hub

pytestmark = [pytest.mark.hub, pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="per-server cgroups only as root")]

DAEMONS = """
import os, subprocess, time
subprocess.run("setsid nohup sleep 600 >/dev/null 2>&1 < /dev/null & echo $! > /tmp/setsid.pid", shell=True)
child = os.fork()
if child == 0:
    os.setsid()
    if os.fork() == 0:
        os.chdir("/")
        for fd in range(3):
            os.close(fd)
        with open("/tmp/daemon.pid", "w") as f:
            f.write(str(os.getpid()))
        while True:
            time.sleep(1)
    os._exit(0)
os.waitpid(child, 0)
for _ in range(50):
    if os.path.exists("/tmp/daemon.pid") and os.path.getsize("/tmp/daemon.pid"):
        break
    time.sleep(0.1)
print(open("/tmp/setsid.pid").read().strip(), open("/tmp/daemon.pid").read().strip(), os.getpgid(0))
"""


PIDS = 200  # hub.pids_limit: tasks of one server, threads included


def plant(hub, name: str, token: str) -> list[int]:
    out = hub.run_code(name, token, DAEMONS, timeout=60)
    assert out["error"] is None, out
    setsid_pid, daemon_pid, kernel_group = (int(x) for x in out["stdout"].split())
    uid = pwd.getpwnam(name).pw_uid
    for pid in (setsid_pid, daemon_pid):
        assert alive(pid, uid), (pid, out)
        assert os.getpgid(pid) != kernel_group  # out of the server's process group: a group signal misses it
    return [setsid_pid, daemon_pid]


def alive(pid: int, uid: int) -> bool:
    """PID runs (not a zombie) as UID."""
    try:
        status = open(f"/proc/{pid}/status").read()
    except OSError:
        return False
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return not fields["State"].strip().startswith("Z") and int(fields["Uid"].split()[0]) == uid


def gone(pids: list[int], uid: int, timeout: float = 20) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not any(alive(p, uid) for p in pids):
            return True
        time.sleep(0.2)
    return False


def server_cgroups(name: str) -> list[str]:
    from datalit.hub import cgroups

    return [c for c, names in cgroups.leftovers().items() if name in names]


@pytest.fixture(scope="module")
def proc_hub():
    with running_hub(extra_env={"DATALIT_HUB_DISK_LIMIT": "40M", "DATALIT_HUB_PIDS_LIMIT": str(PIDS)}) as h:
        yield h


def test_daemons_die_with_the_server(proc_hub):
    hub = proc_hub
    name, _ = hub.new_user(prefix="lpa")
    uid = pwd.getpwnam(name).pw_uid
    token = hub.spawn(name)
    pids = plant(hub, name, token)
    assert set(server_cgroups(name)) >= {"pids", "freezer"}  # where the server and all it started are
    hub.stop_server(name)
    assert gone(pids, uid), [p for p in pids if alive(p, uid)]
    assert server_cgroups(name) == []
    # a fork bomb of setsid sleepers stops at hub.pids_limit, and all of it ends with the server
    token = hub.spawn(name)
    assert open(f"/sys/fs/cgroup/pids/datalit-servers/{name}/pids.max").read().strip() == str(PIDS)
    out = hub.run_code(name, token, "import subprocess\nstarted = 0\ntry:\n    for i in range(2 * %d):\n"
                       "        subprocess.Popen(['setsid', 'sleep', '600'])\n        started += 1\n"
                       "finally:\n    print(started)" % PIDS, timeout=120)
    assert out["error"] and "Resource temporarily unavailable" in out["error"], out
    assert 40 <= int(out["stdout"]) < PIDS, out
    sleepers = [int(p) for p in subprocess.run(["pgrep", "-u", str(uid), "sleep"], capture_output=True,
                                               text=True).stdout.split()]
    assert len(sleepers) >= 40
    hub.stop_server(name)
    assert gone(sleepers, uid)


def test_daemons_die_when_the_account_expires(proc_hub):
    """Also what the hub no longer knows of: a process left in the account's cgroups while no server runs."""
    from datalit.hub import cgroups

    hub = proc_hub
    [(name, _)] = hub.workshop_accounts(1, prefix="lpx")
    hub.created.append(name)
    entry = pwd.getpwnam(name)
    token = hub.spawn(name)
    pids = plant(hub, name, token)
    expired = hub.workshop("expire", name)
    assert expired.returncode == 0, expired.stderr
    assert gone(pids, entry.pw_uid, timeout=30), [p for p in pids if alive(p, entry.pw_uid)]
    # a leftover the hub does not know of (its server is stopped): the expiry service finds it by its cgroup
    folders, problems = cgroups.create(name, pids_limit=64)
    assert not problems, problems

    def as_learner():
        cgroups.join(folders)
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    stray = subprocess.Popen(["setsid", "sleep", "600"], preexec_fn=as_learner)
    try:
        assert (hub.user_model(name) or {}).get("server") is None
        assert gone([stray.pid], entry.pw_uid, timeout=30)  # expiry checks every 2 s in tests
    finally:
        stray.kill()
        stray.wait(10)
    deadline = time.time() + 10
    while server_cgroups(name) and time.time() < deadline:
        time.sleep(0.2)
    assert server_cgroups(name) == []


def test_sigterm_to_the_hub_leaves_no_process_cgroup_or_home_mount():
    from datalit.hub import disk

    base = hub_base_dir()
    hub = start_hub(base / "state", home_base=base / "home", extra_env={"DATALIT_HUB_DISK_LIMIT": "40M"})
    try:
        names = [hub.new_user(prefix="lps")[0] for _ in range(2)]
        planted = {}
        for name in names:
            planted[name] = plant(hub, name, hub.spawn(name))
            assert os.path.ismount(pwd.getpwnam(name).pw_dir)
        assert hub.stop() in (0, -15)
        for name in names:
            uid = pwd.getpwnam(name).pw_uid
            assert gone(planted[name], uid), (name, [p for p in planted[name] if alive(p, uid)])
            assert server_cgroups(name) == [], name
            assert not os.path.ismount(pwd.getpwnam(name).pw_dir), name
        assert disk.mounted_images(hub.state / "disk") == {}
    finally:
        hub.stop()
        hub.remove_users()
        shutil.rmtree(base, ignore_errors=True)
