"""Confine the current process (a freshly forked kernel, still root) the way the sandbox wrapper does.

The autograder's sandbox normally starts each student kernel through a shell wrapper::

    echo $$ > cgroup.procs; unshare --mount --net; mount tmpfs over hidden paths, /tmp, /dev/shm;
    prlimit ...; setpriv --reuid --regid --clear-groups --no-new-privs --bounding-set=-all; python ...

A kernel forked from a pre-warmed fork server (forkserver.py) gets the same confinement in-process,
from a plain JSON spec built by ``datalit.labs.sandbox.SandboxKernelManager.confine_spec``::

    {"uid": 999, "gid": 999, "cgroup_procs": [...], "hidden": [...], "private_tmp": true,
     "rlimits": {"cpu": [120, 125], "nproc": 80, "fsize": ..., "core": 0, "nofile": 256, "as": null}}

Every step must succeed or :func:`apply` raises: a kernel is never left half-confined (the child then
exits and the grader sees a dead kernel). Linux only, and only as root.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_SET_DUMPABLE = 4
RLIMITS = {"cpu": resource.RLIMIT_CPU, "nproc": resource.RLIMIT_NPROC, "fsize": resource.RLIMIT_FSIZE,
           "core": resource.RLIMIT_CORE, "nofile": resource.RLIMIT_NOFILE, "as": resource.RLIMIT_AS,
           "data": resource.RLIMIT_DATA}


def kernel_rlimits(cpu_seconds: int, max_file_mb: int, max_processes: int | None = None,
                   address_mb: int | None = None, data_mb: int | None = None) -> dict:
    """The rlimits of one graded kernel, one place for the sandbox (one machine) and the Kubernetes kernel
    sidecar. CPU: SIGXCPU at the soft limit (diagnosed as "cpu"), SIGKILL 5 s later if it is caught; ``None``
    values are left alone (nproc in a pod: its pids limit; address space where a cgroup limits memory).
    ``data_mb`` caps a process's data (heap and private writable mappings, RLIMIT_DATA, Linux >= 4.7): where no
    cgroup per kernel can be made (the Kubernetes kernel container), an allocation past it is a MemoryError in
    the cell instead of the container's OOM kill; unlike RLIMIT_AS it leaves shared libraries and the
    reservations numpy and glibc make without writing out of the count."""
    mb = 1024 * 1024
    return {"cpu": [cpu_seconds, cpu_seconds + 5], "fsize": max_file_mb * mb, "core": 0, "nofile": 256,
            "nproc": None if max_processes is None else max_processes + 16,
            "as": None if address_mb is None else address_mb * mb,
            "data": None if data_mb is None else data_mb * mb}


def set_rlimits(rlimits: dict) -> None:
    for name, value in rlimits.items():
        if value is not None:
            soft, hard = value if isinstance(value, (list, tuple)) else (value, value)
            resource.setrlimit(RLIMITS[name], (int(soft), int(hard)))


class ConfineError(RuntimeError):
    pass


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise ConfineError(f"{what}: {os.strerror(err)}")


def _mount_tmpfs(libc, target: str, options: str, name: bytes) -> None:
    _check(libc.mount(name, target.encode(), b"tmpfs", 0, options.encode()), f"mount tmpfs on {target}")


def apply(spec: dict) -> None:
    """Join the cgroups, leave the network and mount namespaces, hide paths, set limits, drop root."""
    if os.geteuid() != 0:
        raise ConfineError("confinement needs root")
    libc = _libc()
    for procs in spec.get("cgroup_procs", []):
        with open(procs, "w") as fh:
            fh.write(str(os.getpid()))
    _check(libc.unshare(CLONE_NEWNS | CLONE_NEWNET), "unshare(mount, net)")
    _check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
    for path in spec.get("hidden", []):
        if os.path.isdir(path):
            _mount_tmpfs(libc, path, "size=4k,mode=0555", b"datalit-hidden")
    if spec.get("private_tmp"):
        _mount_tmpfs(libc, "/tmp", "size=64m,mode=1777", b"datalit-tmp")
    try:
        _mount_tmpfs(libc, "/dev/shm", "size=16m,mode=1777", b"datalit-shm")
    except ConfineError:
        pass  # as the wrapper's "|| true": a machine without /dev/shm
    set_rlimits(spec.get("rlimits", {}))
    for cap in range(64):  # empty the bounding set: nothing exec'd later can regain a capability
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break
    uid, gid = int(spec["uid"]), int(spec["gid"])
    if uid == 0 or gid == 0:
        raise ConfineError("refusing to run a sandboxed kernel as root")
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    # after the uid change the kernel marks the process undumpable, which makes /proc/self root's;
    # an exec (the wrapper's path) would reset that, so do it here
    _check(libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "dumpable")
    if os.getuid() != uid or os.geteuid() != uid or os.getgroups():
        raise ConfineError("privileges were not dropped")
