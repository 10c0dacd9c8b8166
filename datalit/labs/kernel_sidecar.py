"""Student kernels apart from the grader in a Kubernetes grading Job, without privileges.

The Job's pod (datalit/labs/k8s_jobs.py) has two containers that share localhost (ZMQ works) but nothing else
of each other's filesystem:

* ``grader`` (uid 1000): nbgrader with the course volume (sources with hidden tests, gradebook) and the
  reference checks (Secret); it never runs a student's code;
* ``kernel`` (another uid, no capability): ``python -I -m datalit.labs.kernel_sidecar serve`` as PID 1, which
  starts one fresh ipykernel per request. It mounts the shared folder read-only, its own ``/tmp`` and the
  datasets (read-only); no Secret, no course, no gradebook.

How nbgrader gets a kernel from it: in the grader the kernelspec ``python3`` (``JUPYTER_PATH``, set by
``grader_side`` in datalit/labs/kernel_request.py) runs ``connect`` there instead of ipykernel. jupyter_client
handles that process as the kernel (nbgrader's per-cell timeout, shutdown, kill), and ``connect``:

1. waits until the sidecar is idle (``busy``: the sidecar holds an exclusive flock on it from a kernel's start
   until every process of the kernel's uid is gone), then clears what an earlier ``connect`` left;
2. writes ``<share>/<id>/``: the connection file, this lab's check module only (``checks/labchecks``), the
   team's small files (no notebooks, no symlinks), all readable by the shared group, writable by nobody else;
3. listens on ``<share>/<id>/sock``; the sidecar connects, reads the limits, kills anything its uid still runs,
   empties its scratch folders, copies the files into a fresh working folder and starts the kernel with the
   lab's rlimits (CPU seconds, file size, no core, open files, data ``lab.memory_mb``) and the wall clock
   ``lab.timeout``;
4. holds that connection while the kernel lives: when ``connect`` dies (killed by jupyter_client), the sidecar
   kills the kernel; when the kernel dies, the sidecar says why (``cpu``, ``memory``, ``wall_timeout``) and
   ``connect`` exits (a CPU kill is passed on as SIGXCPU, a memory kill as exit ``MEMORY_EXIT``, which the
   grader's notes read).

One kernel's memory: no cgroup can be made inside an unprivileged container, so each kernel process gets
RLIMIT_DATA = ``lab.memory_mb`` (an allocation past it is a MemoryError in that cell, the kernel lives on).
A notebook that gets past it (several processes, each under the cap) meets the container's limit, and on
cgroup v2 the whole container, this sidecar included, is OOM-killed: the kernel container is therefore a
restartable init container (``restartPolicy: Always``, datalit/labs/k8s_jobs.py), the kubelet starts it again,
and a new ``serve`` takes the next team's request (the grader's lock is still held); that team's ``connect``
saw its sidecar vanish and reports a memory kill, so only its own notebook loses the cells left.

The sidecar runs as the kernels' uid, so it protects itself the way the kernel cannot undo: PID 1 of its
container ignores every signal (those without a handler do not reach PID 1 from inside its namespace), it is
not dumpable (no ptrace, no /proc/<pid>/mem for the same uid), it imports only from the read-only image
(``-I``, working folder ``/``), and it talks to a grader only through a socket that grader made.
"""
from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from datalit.kernels.confine import kernel_rlimits, set_rlimits

SHARE_ENV = "DATALIT_KERNEL_SIDECAR_DIR"   # the grader's view of the shared folder (same path in both containers)
BUSY, GRADER_LOCK, CACHE = "busy", "grader.lock", "cache"
MEMORY_EXIT = 137                         # connect's exit code for a kernel killed for memory (128 + SIGKILL)
STALE_IDS = 32                            # uuid4().hex: the folders connect makes
PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 4, 36
IGNORED = [s for s in signal.Signals if s not in (signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD)]
KERNEL_ENV_KEYS = ("DATALIT_DATA_DIR", "DATALIT_CATALOG_DIR", "MPLBACKEND", "LANG")


# ---- the kernel container: ``serve`` --------------------------------------------------------------------------
def serve(share: Path, work: Path, wipe: list[Path], poll: float = 0.1, start_wait: float = 900) -> int:
    _harden()
    # the kubelet's SIGTERM once the grader has ended (a restarted sidecar may still be waiting then); while a
    # grader holds its lock, the kernels (same uid) could send it too: ignored
    signal.signal(signal.SIGTERM, lambda *_: _grader_gone(share) and sys.exit(0))
    deadline = time.monotonic() + start_wait
    while not (share / GRADER_LOCK).exists():  # the grader renames it into place already locked
        if time.monotonic() > deadline:
            print("kernel sidecar: no grader came", file=sys.stderr, flush=True)
            return 1
        time.sleep(poll)
    refused: set[str] = set()
    while not _grader_gone(share):
        _reap(None)
        found = _next_request(share, refused)
        if found is None:
            time.sleep(poll)
            continue
        sock, kid = found
        with sock:
            _run_kernel(share, work, wipe, sock, kid, poll)
    _kill_others()
    _wipe([work, *wipe])
    return 0


def _harden() -> None:
    for sig in IGNORED:
        with contextlib.suppress(OSError, ValueError, RuntimeError):
            signal.signal(sig, signal.SIG_IGN)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    os.chdir("/")


def _grader_gone(share: Path) -> bool:
    try:
        fd = os.open(share / GRADER_LOCK, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return True   # nobody holds it any more: the grader has ended
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def _next_request(share: Path, refused: set[str]) -> tuple[socket.socket, str] | None:
    """A connect waiting in its folder <share>/<id>/ (named by the grader, 32 hex digits): (connection, id)."""
    for sock_path in sorted(share.glob("*/sock")):
        kid = sock_path.parent.name
        if len(kid) != STALE_IDS or not all(ch in "0123456789abcdef" for ch in kid) or kid in refused:
            continue
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        try:
            s.connect(str(sock_path))
            return s, kid
        except OSError:
            s.close()
            refused.add(kid)  # left by a connect that was killed
    return None


def _run_kernel(share: Path, work: Path, wipe: list[Path], sock: socket.socket, kid: str, poll: float) -> None:
    try:
        request = json.loads(read_message(sock))
        limits = {k: int(request[k]) for k in ("cpu_seconds", "wall_seconds", "max_file_mb")}
        limits["memory_mb"] = int(request["memory_mb"]) if request.get("memory_mb") else None
        # jupyter_client's extra kernel arguments (nbclient: --HistoryManager.hist_file=:memory:): options only
        options = [str(a) for a in request.get("options", []) if str(a).startswith("--") and "=" in str(a)]
    except (OSError, ValueError, KeyError, TypeError):
        return
    src = share / kid
    if request.get("id") != kid or not src.is_dir():
        return
    reason, code = "not started", None
    busy = os.open(share / BUSY, os.O_RDONLY)
    try:
        for _ in range(100):  # a leftover of the previous kernel holding it is killed, then the lock is ours
            try:
                fcntl.flock(busy, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                _kill_others()
                time.sleep(poll)
        else:
            return
        _kill_others()
        _wipe([work, *wipe])
        home = work / kid
        cwd = home / "work"
        cwd.mkdir(parents=True)
        if (src / "files").is_dir():
            shutil.copytree(src / "files", cwd, symlinks=True, dirs_exist_ok=True)
        (home / "tmp").mkdir()
        if (share / CACHE / "mpl").is_dir():  # matplotlib wants its folder writable: a copy of the font cache
            shutil.copytree(share / CACHE / "mpl", home / "mpl", ignore=shutil.ignore_patterns("*.lock"))
        shutil.copyfile(src / "kernel.json", home / "kernel.json")
        env = _kernel_env(share, src, home)
        # -P: the working folder (the team's files) is not put first on sys.path; the checks and datalit are
        proc = subprocess.Popen([sys.executable, "-P", "-m", "ipykernel_launcher", "-f", str(home / "kernel.json"),
                                 *options],
                                cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                start_new_session=True, preexec_fn=lambda: _limit(limits))
        send_message(sock, {"event": "started", "pid": proc.pid})
        print(f"kernel sidecar: kernel {kid[:8]} started", file=sys.stderr, flush=True)
        reason, code = _watch(share, sock, proc, limits["wall_seconds"], poll)
        _kill_others()
        if code is None:
            code = _reap(proc.pid, wait=True)
    except (OSError, subprocess.SubprocessError) as exc:  # a kernel that could not start: the next one may
        reason = f"failed: {exc}"
        _kill_others()
    finally:
        _wipe([work, *wipe])
        os.close(busy)  # released: the next connect may go on
    print(f"kernel sidecar: kernel {kid[:8]} ended ({reason}, exit {code})", file=sys.stderr, flush=True)
    with contextlib.suppress(OSError):
        send_message(sock, {"event": "exited", "returncode": code, "reason": reason})


def _watch(share: Path, sock: socket.socket, proc: subprocess.Popen, wall: int, poll: float):
    """Until the kernel ends, the grader's connect goes away or the wall clock runs out: (reason, exit code)."""
    deadline = time.monotonic() + wall if wall > 0 else None
    while True:
        code = _reap(proc.pid)
        if code is not None:
            if code == -signal.SIGXCPU:
                return "cpu", code
            return ("memory" if code == -signal.SIGKILL else "exited"), code  # the container's OOM killer
        if deadline and time.monotonic() > deadline:
            return "wall_timeout", None
        readable, _, _ = select.select([sock], [], [], poll)
        if readable:
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if not data:
                return "grader_closed", None
            if b'"interrupt"' in data:
                with contextlib.suppress(OSError):
                    os.kill(proc.pid, signal.SIGINT)
            if b'"stop"' in data:
                return "stopped", None
        if _grader_gone(share):
            return "grader_closed", None


def _limit(limits: dict) -> None:
    """In the kernel before exec: the one-machine sandbox's rlimits that apply to one process tree."""
    for sig in IGNORED:
        with contextlib.suppress(OSError, ValueError):
            signal.signal(sig, signal.SIG_DFL)
    set_rlimits(kernel_rlimits(limits["cpu_seconds"], limits["max_file_mb"], data_mb=limits.get("memory_mb")))


def _kernel_env(share: Path, src: Path, home: Path) -> dict:
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(home), "USER": "kernel",
           "LANG": "C.UTF-8", "TMPDIR": str(home / "tmp"), "MPLCONFIGDIR": str(home / "mpl"),
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYTHONDONTWRITEBYTECODE": "1", "NBGRADER_EXECUTION": "autograde",
           # this lab's check module (nothing else), then datalit itself: a labchecks or datalit shipped in the
           # team's files (the working folder, which ipykernel puts before site-packages) stands in for neither
           "PYTHONPATH": f"{src / 'checks'}:{Path(__file__).resolve().parents[2]}"}
    env.update({k: os.environ[k] for k in KERNEL_ENV_KEYS if os.environ.get(k)})
    if (share / CACHE).is_dir():  # pre-parsed data and the font cache, read-only
        env["DATALIT_CACHE_DIR"] = str(share / CACHE)
    return env


def _reap(kernel_pid: int | None, wait: bool = False) -> int | None:
    """Reap finished children (orphans come to PID 1 / the subreaper); the kernel's exit code if it ended."""
    code = None
    while True:
        try:
            pid, status = os.waitpid(-1, 0 if wait and code is None else os.WNOHANG)
        except ChildProcessError:
            return code
        if pid == 0:
            return code
        if pid == kernel_pid:
            code = os.waitstatus_to_exitcode(status)


def _kill_others(patience: float = 10.0) -> None:
    """SIGKILL every other process of this uid (the kernel, what it forked, what it left), until none is left."""
    me, uid = os.getpid(), os.getuid()
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        found = False
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or int(entry.name) == me:
                continue
            try:  # status, not the folder's owner: a process made non-dumpable shows root as that owner
                text = Path(entry.path, "status").read_text()
                uids = next(line.split()[1:] for line in text.splitlines() if line.startswith("Uid:"))
            except (OSError, StopIteration):
                continue
            if str(uid) in uids:
                found = True
                with contextlib.suppress(OSError):
                    os.kill(int(entry.name), signal.SIGKILL)
        _reap(None)
        if not found:
            return
        time.sleep(0.02)


def _wipe(folders: list[Path]) -> None:
    for folder in folders:
        if not folder.is_dir():
            continue
        for base, dirs, _ in os.walk(folder):
            for d in dirs:  # a kernel may have made a folder unreadable; it is still ours
                with contextlib.suppress(OSError, NotImplementedError):  # a link (Linux has no lchmod): unlinked below
                    os.chmod(os.path.join(base, d), 0o700, follow_symlinks=False)
        for entry in os.scandir(folder):
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)


def read_message(sock: socket.socket, limit: int = 65536) -> str:
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk or len(data) > limit:
            raise OSError("connection closed")
        data += chunk
    return data.decode()


def send_message(sock: socket.socket, message: dict) -> None:
    sock.sendall(json.dumps(message).encode() + b"\n")


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -I -m datalit.labs.kernel_sidecar")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="the kernel container: start a kernel for each request of the grader")
    s.add_argument("--share", required=True, type=Path, help="the shared folder (read-only here)")
    s.add_argument("--work", required=True, type=Path, help="this container's own scratch folder")
    s.add_argument("--wipe", action="append", type=Path, default=[], help="more folders emptied between kernels")
    # the grader container's half, the kernelspec's command, is ``python -I -m datalit.labs.kernel_request``
    a = p.parse_args(argv)
    return serve(a.share, a.work, a.wipe)


if __name__ == "__main__":
    sys.exit(main())
