"""Pre-warmed kernels for batches: fork a fresh IPython kernel from a process that already imported
the heavy libraries (pandas, IPython/ipykernel, jsonschema, matplotlib, geopandas ...).

Every notebook still gets its own new kernel process (nothing is shared between notebooks: the fork
happens before any notebook code runs and no data is loaded in the server), but the ~1-4 s of
imports each kernel would repeat are paid once per server. Used by

* report batches, through ``kernel_manager_class=ForkKernelManager``: one server per batch, started by
  the batch's process and shared by the pool workers forked from it (``attach()``; ``datalit report run``
  uses ordinary kernels);
* autograding workers (``datalit lab autograde``), through the sandbox's kernel manager: the server is
  started with ``sandboxed=True``, refuses any request without a confinement spec, and each child
  confines itself (confine.py: namespaces, hidden paths, limits, unprivileged user) before it
  becomes a kernel. The server itself never runs student code and never reads course files.

    server = start()                   # in a worker, once
    ... papermill.execute_notebook(..., kernel_manager_class=ForkKernelManager)
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

ENV = "DATALIT_KERNEL_FORKSERVER"
FORKED_MARK = "DATALIT_KERNEL_FORKED"
# ipykernel.debugger: every kernel imports it (with debugpy) while it starts, ~0.3 s of its ~0.6 s start-up
PRELOAD = ("IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "jsonschema", "yaml",
           "numpy", "pandas", "pyarrow.parquet", "matplotlib", "matplotlib.font_manager", "matplotlib.pyplot",
           "seaborn", "datalit.data", "datalit.hangul", "shapely", "geopandas")
CLIENT = str(Path(__file__).with_name("forkclient.py"))
SANDBOX_SERVER_ENV = ("PATH", "LANG", "LC_ALL", "HOME", "MPLCONFIGDIR", "DATALIT_CACHE_DIR", "DATALIT_DATA_DIR",
                      "DATALIT_CATALOG_DIR", "DATALIT_CONFIG")


def client_cmd(connection_file: str, fallback: list[str], confine: dict | None = None) -> list[str] | None:
    """The kernel command that asks this process's fork server for a kernel (None: no server running).

    ``fallback`` is exec'd if the server cannot be reached; ``confine`` is the child's sandbox spec."""
    sock = os.environ.get(ENV)
    if not sock or not os.path.exists(sock):
        return None
    return [sys.executable, "-S", CLIENT, sock, connection_file, json.dumps(confine or {}), *fallback]


class ForkKernelManager(KernelManager):
    """A KernelManager whose kernel command asks the worker's fork server (if any) for the kernel."""

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if self.kernel_name not in ("python3", ""):
            return cmd
        return client_cmd(self.connection_file, cmd) or cmd


_SERVER: subprocess.Popen | None = None
_SOCK = ""
_ATTACHED: str | None = None


def launch(preload: tuple[str, ...] = PRELOAD, sandboxed: bool = False, env: dict | None = None) -> str:
    """Start this process's fork server (once) without waiting for its imports; return the socket path.
    ``start()`` waits for it (a batch imports its own modules meanwhile, on the other core)."""
    global _SERVER, _SOCK
    if _SERVER is not None and _SERVER.poll() is None:
        return _SOCK
    folder = tempfile.mkdtemp(prefix="datalit-fork-")
    sock = os.path.join(folder, "server.sock")
    cmd = [sys.executable, "-m", "datalit.kernels.forkserver", sock, str(os.getpid()), ",".join(preload)]
    if sandboxed:
        cmd.append("--sandboxed")
        # a forked kernel can read the server's initial environment (/proc/self/environ): keep it bare
        env = {k: v for k, v in (os.environ if env is None else env).items() if k in SANDBOX_SERVER_ENV}
    _SERVER = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, env=env, cwd="/" if sandboxed else None)
    _SOCK = sock
    import atexit
    from multiprocessing import util

    atexit.register(stop)
    util.Finalize(None, stop, exitpriority=10)  # pool workers exit without running atexit handlers
    return sock


def start(timeout: float = 60, preload: tuple[str, ...] = PRELOAD, sandboxed: bool = False,
          env: dict | None = None) -> str | None:
    """Start this process's fork server (once), wait until it is ready and point ForkKernelManager at it;
    return the socket path (None: no server, ordinary kernels).

    ``sandboxed``: the server only forks confined kernels (for the autograder; needs root)."""
    if _ATTACHED is not None and not sandboxed:
        return _ATTACHED if os.path.exists(_ATTACHED) else None
    sock = launch(preload, sandboxed, env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(sock + ".ready"):
            os.environ[ENV] = sock
            return sock
        if _SERVER is None or _SERVER.poll() is not None:
            break
        time.sleep(0.05)
    return None  # no server: ordinary kernels


def running() -> bool:
    """Whether this process started a fork server that is still running."""
    return _SERVER is not None and _SERVER.poll() is None


def attach(sock: str | None) -> None:
    """In a process forked from one whose (unsandboxed) server is ready: use that server for ``start()``
    and ForkKernelManager instead of starting one of its own (a report batch's pool workers)."""
    global _SERVER, _ATTACHED
    _SERVER = None  # the parent's handle on its server: not this process's to wait for or stop
    _ATTACHED = sock
    if sock:
        os.environ[ENV] = sock
    else:
        os.environ.pop(ENV, None)


def stop() -> None:
    """Stop this process's fork server (its kernels are killed with it) and wait for it."""
    global _SERVER
    server, _SERVER = _SERVER, None
    os.environ.pop(ENV, None)
    if server is not None and server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ------------------------------------------------------------------ the server process

def _recv_request(conn: socket.socket):
    msg, fds, _flags, _addr = socket.recv_fds(conn, 1 << 20, 3)
    size = int.from_bytes(msg[:8], "big")
    body = msg[8:]
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise ConnectionError("short request")
        body += chunk
    return json.loads(body), fds


def _child(listener: socket.socket, conn: socket.socket, request: dict, fds: list[int], others) -> None:
    """In the forked child: become an ordinary ipykernel with the client's stdio, cwd and environment
    (confined first when the request carries a sandbox spec)."""
    code = 1
    try:
        listener.close()
        conn.close()
        for other in others:  # other kernels' connections must not stay open in this one
            other.close()
        for signum in (signal.SIGTERM, signal.SIGCHLD):  # as in a freshly started Python
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
            os.close(fd)
        os.setsid()  # like jupyter_client's kernels: its own session, no terminal Ctrl-C
        if request.get("confine"):  # (a sandboxed server refused requests without one before forking)
            from datalit.kernels import confine

            confine.apply(request["confine"])
        os.chdir(request["cwd"])
        if sys.path and sys.path[0] == _START_DIR:  # as for `python -m ipykernel_launcher` started there
            sys.path[0] = request["cwd"]
        os.environ.clear()
        os.environ.update(request["env"])
        # this interpreter read PYTHONPATH when the server started (bare: none); the kernel's own counts,
        # e.g. the sandbox's reference checks, in the place Python's start-up would have put it
        extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p not in sys.path]
        sys.path[1:1] = extra
        os.environ[FORKED_MARK] = "1"  # the manifest records that this kernel was pre-warmed
        sys.argv = [sys.executable, "-f", request["connection_file"]]
        from ipykernel import kernelapp

        # the kernel exits when the fork server (its parent) goes away, as it would with its launcher
        kernelapp.launch_new_instance(argv=["-f", request["connection_file"],
                                            f"--IPKernelApp.parent_handle={os.getppid()}"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - the kernel failed to start; say why on its stderr
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def _peer_uid(conn: socket.socket) -> int:
    import struct

    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def _serve_one(listener: socket.socket, conn: socket.socket, children: dict) -> None:
    try:
        if _SANDBOXED and _peer_uid(conn) != os.geteuid():
            raise PermissionError("only the grader may ask for kernels")
        request, fds = _recv_request(conn)
        if _SANDBOXED and not request.get("confine"):
            for fd in fds:
                os.close(fd)
            raise PermissionError("unconfined kernel refused")
    except (OSError, ValueError, ConnectionError):
        conn.close()
        return
    pid = os.fork()
    if pid == 0:
        _child(listener, conn, request, fds, list(children.values()))
    for fd in fds:
        os.close(fd)
    children[pid] = conn
    conn.sendall(f"{pid}\n".encode())

    def wait_exit():
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        children.pop(pid, None)
        try:
            conn.sendall(f"{code}\n".encode())
            conn.close()
        except OSError:
            pass

    def watch_client():  # the client was killed: kill its kernel too
        try:
            while conn.recv(64):
                pass
        except OSError:
            pass
        if pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    threading.Thread(target=wait_exit, daemon=True).start()
    threading.Thread(target=watch_client, daemon=True).start()


_START_DIR = os.getcwd()
_SANDBOXED = False


def serve(sock_path: str, parent_pid: int, preload=PRELOAD, sandboxed: bool = False) -> None:
    global _SANDBOXED
    _SANDBOXED = sandboxed
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel would
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # debugpy's "frozen modules" warning, as
    import importlib                                              # ipykernel's kernelspec sets it

    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - optional: a missing library is imported by the kernel itself
            pass
    try:  # the Hangul font files read once here, not in every kernel (rcParams stay matplotlib's defaults)
        if "datalit.hangul" in preload:
            from datalit import hangul

            hangul.register()
    except Exception:  # noqa: BLE001 - hangul.use() in the kernel registers them itself
        pass
    try:  # the addresses of this machine, looked up by every kernel's connection set-up (psutil)
        from jupyter_client import localinterfaces

        localinterfaces.localhost()
    except Exception:  # noqa: BLE001 - the kernel looks them up itself
        pass
    try:  # the catalog as parsed now (cached per catalog folder; a kernel with another folder reads its own)
        from datalit.data.catalog import all_datasets

        all_datasets()
    except Exception:  # noqa: BLE001 - a broken catalog is reported by the notebook itself
        pass
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop(): run the clean-up below
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_path)
    listener.listen(16)
    listener.settimeout(1.0)
    Path(sock_path + ".ready").touch()
    children: dict[int, socket.socket] = {}
    try:
        while True:
            if os.getppid() != parent_pid:
                break  # the worker is gone
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            conn.settimeout(None)
            _serve_one(listener, conn, children)
    finally:
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for path in (sock_path, sock_path + ".ready"):
            try:
                os.unlink(path)
            except OSError:
                pass
        try:
            os.rmdir(os.path.dirname(sock_path))
        except OSError:
            pass


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), tuple(filter(None, sys.argv[3].split(","))) if len(sys.argv) > 3 else PRELOAD,
          sandboxed="--sandboxed" in sys.argv[4:])
