"""The grader's half of the kernel sidecar (the protocol: datalit/labs/kernel_sidecar.py).

``grader_side(share, lab)`` (around a grading Job's autograde, datalit/labs/k8s_jobs.py) prepares the shared
folder, holds the grader's lock for as long as it grades (the sidecar ends when it is released) and points
the kernelspec ``python3`` at ``connect``, which jupyter_client then starts for each notebook with the
autograded folder as its working folder.

``connect`` runs as the grader, in a folder holding the team's files: it is started with ``python -I`` (no
working folder, no PYTHONPATH on sys.path: a ``datalit.py`` shipped in a submission is never imported), copies
no symlink and no notebook (an earlier notebook of the same lab, graded with its hidden tests, stays here).
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from datalit.labs.kernel_sidecar import (BUSY, CACHE, GRADER_LOCK, MEMORY_EXIT, SHARE_ENV, STALE_IDS, read_message,
                                         send_message)

FREE_WAIT = 120     # seconds for the sidecar to finish the previous kernel
ACCEPT_WAIT = 300   # seconds for the sidecar to pick a request up (its container may still be starting)
STOP_WAIT = 10


@contextlib.contextmanager
def grader_side(share: Path):
    """While the grader runs: its lock held (the sidecar ends when it is released, also when the grader fails),
    the kernelspec python3 = ``connect``, the shared folder's ``busy`` lock file."""
    share = Path(share)
    gid = _share_gid(share)
    tmp = share / f".{GRADER_LOCK}-{os.getpid()}"
    lock = os.open(tmp, os.O_CREAT | os.O_RDWR, 0o640)
    fcntl.flock(lock, fcntl.LOCK_EX)
    _own(tmp, gid, 0o640)
    os.replace(tmp, share / GRADER_LOCK)  # appears already locked: the sidecar never sees it free too early
    spec_root = Path(tempfile.mkdtemp(prefix="datalit-kernelspec-"))
    saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", SHARE_ENV)}
    try:
        busy = share / BUSY
        busy.touch(exist_ok=True)
        _own(busy, gid, 0o640)
        spec = spec_root / "kernels" / "python3"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-I", "-m", "datalit.labs.kernel_request", "{connection_file}"],
            "display_name": "Python 3 (ipykernel)", "language": "python", "interrupt_mode": "message",
            "metadata": {"datalit": "the kernel runs in the Job's kernel container"}}))
        os.environ["JUPYTER_PATH"] = str(spec_root)
        os.environ[SHARE_ENV] = str(share)
        yield
    finally:
        with contextlib.suppress(OSError):
            (share / GRADER_LOCK).unlink()
        os.close(lock)   # (forked autograde workers closed their copies when they ended)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(spec_root, ignore_errors=True)
        _clear_stale(share, keep=None)


def _own(path: Path, gid: int, mode: int) -> None:
    """The shared folder's group (the pod's fsGroup; in the tests the kernel user's group) and MODE: the kernel
    container reads, only the grader writes."""
    if os.stat(path).st_gid != gid:
        os.chown(path, -1, gid)
    os.chmod(path, mode)


def _share_gid(share: Path) -> int:
    return os.stat(share).st_gid


def warm_cache(share: Path, datasets: list[str]) -> None:
    """Parse the lab's datasets and build the font cache once, for every kernel to read (never write: a kernel
    of one team cannot leave a changed table for the next)."""
    from datalit.labs.autograde import _WARM, cache_env

    cache = Path(share) / CACHE
    cache.mkdir(exist_ok=True)
    env = dict(os.environ, **cache_env(str(cache)))
    subprocess.run([sys.executable, "-c", _WARM % datasets], env=env, check=False, capture_output=True)
    gid = _share_gid(cache.parent)
    for base, dirs, files in os.walk(cache):
        for name, mode in [(base, 0o750), *[(os.path.join(base, f), 0o640) for f in files]]:
            with contextlib.suppress(OSError):
                _own(Path(name), gid, mode)


def _clear_stale(share: Path, keep: str | None) -> None:
    """What a killed connect left (a connection file, a team's files): gone before the next kernel starts."""
    for entry in share.iterdir():
        if entry.is_dir() and not entry.is_symlink() and len(entry.name) == STALE_IDS and entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)


def _wait_free(share: Path) -> None:
    fd = os.open(share / BUSY, os.O_RDONLY)
    try:
        deadline = time.monotonic() + FREE_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return  # released with the fd: the sidecar takes it when it starts our kernel
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError("the kernel container did not end the previous kernel") from None
                time.sleep(0.05)
    finally:
        os.close(fd)


def _prepare(share: Path, kid: str, connection_file: str, lab: str, max_file_mb: int) -> Path:
    from datalit.paths import checkout_path

    gid = _share_gid(share)
    d = share / kid
    d.mkdir(mode=0o750)  # fails if it exists: nobody else chose this name
    shutil.copyfile(connection_file, d / "kernel.json")
    checks = d / "checks" / "labchecks"
    checks.mkdir(parents=True)
    src = checkout_path("grading", "labchecks")
    for name in ("__init__.py", f"{lab}.py"):  # this lab's checks only, never the others' reference answers
        if (src / name).is_file():
            shutil.copyfile(src / name, checks / name)
    _copy_files(Path.cwd(), d / "files", max_file_mb * 1024 * 1024)
    for base, dirs, files in os.walk(d):
        for path, mode in [(base, 0o750), *[(os.path.join(base, f), 0o640) for f in files]]:
            _own(Path(path), gid, mode)
    return d


def _copy_files(src: Path, dest: Path, limit: int) -> None:
    dest.mkdir()
    for base, dirs, files in os.walk(src, followlinks=False):
        rel = Path(base).relative_to(src)
        dirs[:] = [x for x in dirs if not (Path(base) / x).is_symlink() and not x.startswith(".ipynb_checkpoints")]
        (dest / rel).mkdir(exist_ok=True)
        for name in files:
            path = Path(base) / name
            if name.endswith(".ipynb") or path.is_symlink():
                continue
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            with os.fdopen(fd, "rb") as fh:
                if os.fstat(fh.fileno()).st_size > limit:
                    continue
                with open(dest / rel / name, "wb") as out:
                    shutil.copyfileobj(fh, out)


def connect(connection_file: str, options: list[str] | None = None) -> int:
    """The kernelspec's command in the grader: a kernel from the sidecar, alive exactly as long as this process."""
    from datalit.config import load_config

    cfg = load_config()["lab"]
    share = Path(os.environ[SHARE_ENV])
    lab = Path.cwd().name
    kid = uuid.uuid4().hex
    _wait_free(share)
    _clear_stale(share, keep=None)
    d = _prepare(share, kid, connection_file, lab, int(cfg["max_file_mb"]))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(d / "sock"))
        _own(d / "sock", _share_gid(share), 0o660)  # connecting needs write permission: the shared group
        listener.listen(1)
        listener.settimeout(ACCEPT_WAIT)
        conn, _ = listener.accept()
    except OSError as exc:
        print(f"kernel sidecar: no answer ({exc})", file=sys.stderr, flush=True)
        shutil.rmtree(d, ignore_errors=True)
        return 1
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            (d / "sock").unlink()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    signal.signal(signal.SIGINT, lambda *_: send_message(conn, {"op": "interrupt"}))
    try:
        send_message(conn, {"id": kid, "cpu_seconds": int(cfg["cpu_seconds"]), "wall_seconds": int(cfg["timeout"]),
                     "max_file_mb": int(cfg["max_file_mb"]), "memory_mb": int(cfg["memory_mb"]),
                     "options": list(options or [])})
        result = _until_exit(conn, stop)
    finally:
        conn.close()
        shutil.rmtree(d, ignore_errors=True)
    reason = result.get("reason", "sidecar_gone")
    if reason not in ("exited", "stopped"):
        print(f"kernel sidecar: the kernel ended ({reason}, exit {result.get('returncode')})", file=sys.stderr,
              flush=True)
    if reason == "cpu":  # the grader's notes read a CPU kill from this process's signal, as on one machine
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.signal(signal.SIGXCPU, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGXCPU)
    # the sidecar gone while our kernel ran: the kernel container was killed, which its kernel cannot do but by
    # its memory (the container's OOM kill takes the sidecar with it); the kubelet restarts the container
    if reason in ("memory", "sidecar_gone"):
        return MEMORY_EXIT
    return 0 if reason in ("exited", "stopped") else 1


def _until_exit(conn: socket.socket, stop: list) -> dict:
    conn.settimeout(0.2)
    buffer, asked, asked_at = b"", False, 0.0
    while True:
        if stop and not asked:
            with contextlib.suppress(OSError):
                send_message(conn, {"op": "stop"})
            asked, asked_at = True, time.monotonic()
        if asked and time.monotonic() - asked_at > STOP_WAIT:
            return {"reason": "stopped"}
        try:
            chunk = conn.recv(4096)
        except socket.timeout:
            continue
        except OSError:
            return {}
        if not chunk:
            return {}
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            with contextlib.suppress(ValueError):
                message = json.loads(line)
                if message.get("event") == "exited":
                    return message


def main(argv: list[str]) -> int:
    """``python -I -m datalit.labs.kernel_request CONNECTION_FILE [options]``, with a usage and a clear
    refusal outside a grading Job's pod (no sidecar folder) instead of a traceback."""
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -I -m datalit.labs.kernel_request CONNECTION_FILE [kernel options]\n"
              "  the grader container's kernelspec command: asks the kernel sidecar for a kernel through the "
              f"shared folder ${SHARE_ENV} and lives exactly as long as that kernel")
        return 0 if argv else 2
    if not os.environ.get(SHARE_ENV):
        print(f"kernel_request: {SHARE_ENV} is not set (the grading Job's pod sets it to the sidecar's shared folder)",
              file=sys.stderr)
        return 2
    return connect(argv[0], argv[1:])


if __name__ == "__main__":  # the kernelspec's command in the grader container (see grader_side)
    sys.exit(main(sys.argv[1:]))
