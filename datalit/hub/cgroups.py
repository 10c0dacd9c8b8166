"""One set of cgroups (v1) per user server: its limits, and the only reliable way to end all of it.

A server's processes are not its process group: a learner's ``setsid nohup sleep 600 &`` or a
double-forked daemon leaves the group and, before this module, outlived the server's stop, the idle
culler and the account's expiry. Every process a server starts stays in the cgroups the server joined
(only root can move a task out), so ending a server means: freeze the group (no fork can race the
kill), SIGKILL every pid in ``cgroup.procs``, thaw (frozen tasks die only once thawed), repeat until
empty, then remove the folders.

Per server ``NAME`` (root mode, controllers mounted under ``/sys/fs/cgroup``):

* ``memory/datalit/NAME``: ``hub.mem_limit``;
* ``cpu/datalit-NAME``: ``hub.cpu_limit`` -- flat, not below a shared parent: in cgroup v1 a parent group
  competes with every other task as ONE weight (cpu.shares 1024), which starved 10 concurrent spawns to
  ~1/16 of the CPU on a busy machine (bench/hub_load.py). One group per user = one weight per user;
* ``pids/datalit-servers/NAME``: ``hub.pids_limit`` tasks (processes and threads; a fork bomb stops there);
* ``freezer/datalit-servers/NAME``: no limit, it is what :func:`kill_all` freezes.

The pids and freezer groups, whose members are killed, are not below ``datalit/``: the grading sandbox's
slots are ``memory|pids/datalit/<prefix><N>`` (datalit/labs/sandbox.py; reserved names, yet no person's
kill may ever reach a grading kernel). Only those two groups are read for the kill.

No JupyterHub imports: the spawner and the workshop-expiry service use it.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
CPU_PERIOD_US = 100_000
SERVERS = "datalit-servers"


def dirs(name: str, root: Path = ROOT) -> dict[str, Path]:
    """The folders of NAME's server, by controller (whether they exist or not)."""
    return {"memory": root / "memory" / "datalit" / name, "cpu": root / "cpu" / f"datalit-{name}",
            "pids": root / "pids" / SERVERS / name, "freezer": root / "freezer" / SERVERS / name}


def create(name: str, mem_limit: int = 0, cpu_limit: float = 0.0, pids_limit: int = 0,
           root: Path = ROOT) -> tuple[list[Path], list[str]]:
    """Make NAME's cgroups with their limits. Returns (folders to join, problems).

    The freezer and pids groups are made whatever the limits: they are what ends the server. A
    controller that is missing or not writable is a problem to log, not an error (laptop, cgroup v2)."""
    made, problems = [], []
    wanted = dirs(name, root)
    limits = {"memory": {"memory.limit_in_bytes": int(mem_limit)} if mem_limit else None,
              "cpu": {"cpu.cfs_period_us": CPU_PERIOD_US, "cpu.cfs_quota_us": int(cpu_limit * CPU_PERIOD_US)}
              if cpu_limit else None,
              "pids": {"pids.max": int(pids_limit)} if pids_limit else {},
              "freezer": {}}
    for controller, values in limits.items():
        if values is None:
            continue
        d = wanted[controller]
        try:
            d.mkdir(parents=True, exist_ok=True)
            if controller == "freezer":
                _write(d / "freezer.state", "THAWED")  # left frozen by a stop that was interrupted
            for key, value in values.items():
                _write(d / key, str(value))
            made.append(d)
        except OSError as exc:
            problems.append(f"{controller}: {exc}")
    return made, problems


def join(folders: list[Path], pid: int | None = None) -> None:
    """Put PID (default: this process) into FOLDERS; called by the server's preexec, before dropping root."""
    pid = os.getpid() if pid is None else pid
    for d in folders:
        try:
            with open(d / "cgroup.procs", "w") as fh:
                fh.write(str(pid))
        except OSError:
            pass


def pids(name: str, root: Path = ROOT) -> set[int]:
    """Every process still in NAME's pids or freezer group (one may have been made without the other)."""
    found: set[int] = set()
    groups = dirs(name, root)
    for d in (groups["freezer"], groups["pids"]):
        try:
            found.update(int(line) for line in (d / "cgroup.procs").read_text().split())
        except (OSError, ValueError):
            continue
    return found


def kill_all(name: str, timeout: float = 15.0, root: Path = ROOT) -> int:
    """SIGKILL every process of NAME's server (frozen first, so none can fork meanwhile), then remove
    its cgroup folders. Returns how many processes were killed; safe when nothing is left or as non-root."""
    freezer = dirs(name, root)["freezer"]
    frozen = freezer.is_dir()
    killed: set[int] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = pids(name, root)
        if not left:
            break
        if frozen:
            _freeze(freezer, deadline)
            left = pids(name, root)  # the list is final now: nobody can fork
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except (ProcessLookupError, PermissionError):
                pass
        if frozen:
            _write(freezer / "freezer.state", "THAWED", missing_ok=True)
        time.sleep(0.02)
    remove(name, root, deadline)
    return len(killed)


def remove(name: str, root: Path = ROOT, deadline: float | None = None) -> list[Path]:
    """rmdir NAME's folders (a task that just got SIGKILL leaves the group a moment later). Returns what is left."""
    deadline = deadline if deadline is not None else time.monotonic() + 5
    left = [d for d in dirs(name, root).values() if d.is_dir()]
    while left:
        still = []
        for d in left:
            try:
                d.rmdir()
            except FileNotFoundError:
                pass
            except OSError:
                still.append(d)
        left = still
        if not left or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    return left


def leftovers(root: Path = ROOT) -> dict[str, list[str]]:
    """Server cgroups that exist now, by controller (for tests and ``datalit hub status``-like checks)."""
    out: dict[str, list[str]] = {}
    for controller, parent in (("memory", "datalit"), ("pids", SERVERS), ("freezer", SERVERS)):
        base = root / controller / parent
        if base.is_dir():
            out[controller] = sorted(p.name for p in base.iterdir() if p.is_dir())
    cpu = root / "cpu"
    if cpu.is_dir():
        out["cpu"] = sorted(p.name.removeprefix("datalit-") for p in cpu.glob("datalit-*") if p.is_dir())
    return out


def _freeze(freezer: Path, deadline: float) -> None:
    _write(freezer / "freezer.state", "FROZEN", missing_ok=True)
    until = min(deadline, time.monotonic() + 3)  # a task in uninterruptible sleep may hold it in FREEZING
    while time.monotonic() < until:
        try:
            if (freezer / "freezer.state").read_text().strip() == "FROZEN":
                return
        except OSError:
            return
        time.sleep(0.01)


def _write(path: Path, value: str, missing_ok: bool = False) -> None:
    try:
        path.write_text(value)
    except FileNotFoundError:
        if not missing_ok:
            raise
