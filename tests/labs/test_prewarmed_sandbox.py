"""Kernels forked from the autograder's pre-warmed fork server are confined exactly like kernels
started through the sandbox's shell wrapper (unshare, mount, prlimit, setpriv).

The same probe notebook runs in both kinds of kernel; everything it can observe about its
confinement must be equal. Plus: the sandboxed fork server refuses unconfined kernels, and a
kernel killed by its CPU limit is diagnosed as such through the fork client.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

pytestmark = [pytest.mark.grading, pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the sandbox needs root")]

PROBE = """
import json, os, resource, socket
out = {"uid": os.getuid(), "euid": os.geteuid(), "groups": os.getgroups(),
       "cpu": resource.getrlimit(resource.RLIMIT_CPU), "nproc": resource.getrlimit(resource.RLIMIT_NPROC),
       "fsize": resource.getrlimit(resource.RLIMIT_FSIZE), "nofile": resource.getrlimit(resource.RLIMIT_NOFILE),
       "core": resource.getrlimit(resource.RLIMIT_CORE), "hidden": os.listdir(HIDDEN),
       "tmp_marker": os.path.exists(MARKER), "proc_self_uid": os.stat("/proc/self/status").st_uid,
       "cwd": sorted(os.listdir(".")), "home": os.environ["HOME"]}
try:
    socket.create_connection(("1.1.1.1", 80), timeout=2)
    out["net"] = "open"
except OSError as exc:
    out["net"] = type(exc).__name__
try:
    open(os.path.join(HIDDEN, "x"), "w")
    out["hidden_write"] = "ok"
except OSError as exc:
    out["hidden_write"] = type(exc).__name__
with open("/proc/self/status") as fh:
    out["status"] = {k: v.split()[0] for k, v in (line.split(":", 1) for line in fh)
                     if k in ("CapEff", "CapPrm", "CapBnd", "NoNewPrivs")}
with open("/proc/self/cgroup") as fh:
    out["cgroups"] = sorted(line.split(":", 2)[2].strip() for line in fh if ":memory:" in line or ":pids:" in line)
with open("/proc/self/environ", "rb") as fh:
    out["secret_seen"] = b"s3cret" in fh.read()
out["forked"] = os.environ.get("DATALIT_KERNEL_FORKED")
print(json.dumps(out))
"""
CHART = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"


@pytest.fixture
def fork_server(monkeypatch):
    from datalit.kernels import forkserver

    monkeypatch.setenv("DATALIT_TEST_GRADER_SECRET", "s3cret")  # e.g. a token in the grader's environment
    sock = forkserver.start(sandboxed=True)
    assert sock, "the sandboxed fork server did not start"
    yield sock
    forkserver.stop()


@pytest.fixture
def places():
    hidden = Path(tempfile.mkdtemp(prefix="dl-hidden-", dir="/var/tmp"))
    (hidden / "gradebook.db").write_text("secret")
    os.chmod(hidden, 0o755)
    work = Path(tempfile.mkdtemp(prefix="dl-work-", dir="/var/tmp"))
    (work / "team.csv").write_text("a,b\n")
    marker = tempfile.NamedTemporaryFile(prefix="dl-marker-", dir="/tmp")
    yield {"hidden": str(hidden), "work": str(work), "marker": marker.name}
    marker.close()
    subprocess.run(["rm", "-rf", str(hidden), str(work)])


def _km(forked: bool, hidden: str, **limits):
    from datalit.labs.sandbox import SandboxKernelManager

    return SandboxKernelManager(kernel_name="python3", forked=forked, slot=41, sandbox_dir="/var/lib/datalit-sandbox-tests",
                                hidden_paths=[hidden], cpu_seconds=limits.get("cpu", 30), wall_seconds=60,
                                memory_mb=512, max_processes=32, max_file_mb=5)


def _probe(forked: bool, places: dict) -> tuple[dict, list]:
    code = f"HIDDEN = {places['hidden']!r}\nMARKER = {places['marker']!r}\n" + PROBE
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code), nbformat.v4.new_code_cell(CHART)])
    km = _km(forked, places["hidden"])
    NotebookClient(nb, km=km, timeout=60, resources={"metadata": {"path": places["work"]}}).execute()
    out = json.loads(nb.cells[0].outputs[0]["text"])
    return out, [sorted(o.get("data", {})) for o in nb.cells[1].outputs]


def test_forked_kernel_is_confined_like_the_wrapper(fork_server, places):
    forked, forked_chart = _probe(True, places)
    plain, plain_chart = _probe(False, places)
    assert forked.pop("forked") == "1" and plain.pop("forked") is None  # really two kinds of kernel
    assert forked == plain
    from datalit.config import DEFAULTS
    from datalit.labs.sandbox import ensure_slot_user

    account = f"{DEFAULTS['lab']['sandbox_user_prefix']}41"  # the slot account: its home and cgroups too
    uid, gid = ensure_slot_user(DEFAULTS["lab"]["sandbox_user_prefix"], 41)
    assert forked["uid"] == forked["euid"] == uid != 0 and forked["groups"] == []
    assert forked["proc_self_uid"] == uid  # /proc/self is the kernel's own, as after an exec
    assert forked["net"] != "open" and forked["secret_seen"] is False
    assert forked["hidden"] == [] and forked["hidden_write"] in ("PermissionError", "OSError")
    assert forked["status"]["CapEff"] == forked["status"]["CapBnd"] == "0000000000000000"
    assert forked["status"]["NoNewPrivs"] == "1"
    assert forked["cpu"] == [30, 35] and forked["nproc"] == [48, 48] and forked["fsize"] == [5 * 2**20] * 2
    assert forked["cwd"] == ["team.csv"] and forked["home"].endswith(f"/{account}")
    if not any(p.startswith("/tmp/") for p in _km(True, places["hidden"])._needed_paths()):
        assert forked["tmp_marker"] is False  # a private /tmp
    if Path("/sys/fs/cgroup/memory").is_dir():
        assert f"/datalit/{account}" in forked["cgroups"]
    assert forked_chart == plain_chart and ["image/png", "text/plain"] in forked_chart  # charts for the formgrader


def test_fork_server_refuses_unconfined_kernels(fork_server, tmp_path):
    from datalit.kernels import forkserver

    fallback = [sys.executable, "-c", "print('fallback ran')"]
    cmd = forkserver.client_cmd(str(tmp_path / "kernel.json"), fallback, confine=None)
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert run.stdout.strip() == "fallback ran"  # refused: the client ran its fallback, no root kernel was forked
    assert os.path.exists(fork_server)  # and the server is still serving


@pytest.mark.parametrize("forked", [True, False], ids=["forked", "wrapper"])
def test_cpu_limit_kill_is_diagnosed(fork_server, places, forked):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("while True:\n    pass")])
    # 4 CPU-seconds: a fresh (wrapper) kernel's start-up alone took 2 on a loaded machine (CI dry run)
    km = _km(forked, places["hidden"], cpu=4)
    client = NotebookClient(nb, km=km, timeout=60, resources={"metadata": {"path": places["work"]}})
    with client.setup_kernel():
        with pytest.raises(DeadKernelError):
            client.execute_cell(nb.cells[0], 0)
        assert "cpu" in km.diagnose()  # the fork client ends as its kernel did: killed by SIGXCPU
