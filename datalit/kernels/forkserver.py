"""Pre-warmed kernels for batches: fork a fresh IPython kernel from a process that already imported
the heavy libraries (pandas, IPython/ipykernel, jsonschema, matplotlib, geopandas ...).

Every report still gets its own new kernel process (nothing is shared between reports: the fork
happens before any notebook code runs and no data is loaded in the server), but the ~2-4 s of
imports each kernel would repeat are paid once per worker. Used by the batch workers through
``kernel_manager_class=ForkKernelManager``; ``datalit report run`` uses ordinary kernels.

    server = start()                   # in a batch worker, once
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
PRELOAD = ("IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "jsonschema", "yaml", "numpy", "pandas",
           "pyarrow.parquet", "matplotlib", "matplotlib.font_manager", "matplotlib.pyplot", "seaborn", "datalit.data",
           "shapely", "geopandas")
CLIENT = str(Path(__file__).with_name("forkclient.py"))


class ForkKernelManager(KernelManager):
    """A KernelManager whose kernel command asks the worker's fork server (if any) for the kernel."""

    def format_kernel_cmd(self, extra_arguments=None):
        sock = os.environ.get(ENV)
        if not sock or not os.path.exists(sock) or self.kernel_name not in ("python3", ""):
            return super().format_kernel_cmd(extra_arguments)
        return [sys.executable, "-S", CLIENT, sock, self.connection_file, sys.executable]


_SERVER: subprocess.Popen | None = None


def start(timeout: float = 60) -> str | None:
    """Start this process's fork server (once) and point ForkKernelManager at it; return the socket path."""
    global _SERVER
    if _SERVER is not None and _SERVER.poll() is None:
        return os.environ.get(ENV)
    folder = tempfile.mkdtemp(prefix="datalit-fork-")
    sock = os.path.join(folder, "server.sock")
    _SERVER = subprocess.Popen([sys.executable, "-m", "datalit.reports.forkserver", sock, str(os.getpid())],
                               stdin=subprocess.DEVNULL)
    import atexit
    from multiprocessing import util

    atexit.register(stop)
    util.Finalize(None, stop, exitpriority=10)  # pool workers exit without running atexit handlers
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(sock + ".ready"):
            os.environ[ENV] = sock
            return sock
        if _SERVER.poll() is not None:
            break
        time.sleep(0.05)
    return None  # no server: ordinary kernels


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
    """In the forked child: become an ordinary ipykernel with the client's stdio, cwd and environment."""
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
        os.chdir(request["cwd"])
        if sys.path and sys.path[0] == _START_DIR:  # as for `python -m ipykernel_launcher` started there
            sys.path[0] = request["cwd"]
        os.environ.clear()
        os.environ.update(request["env"])
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


def _serve_one(listener: socket.socket, conn: socket.socket, children: dict) -> None:
    try:
        request, fds = _recv_request(conn)
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


def serve(sock_path: str, parent_pid: int) -> None:
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel would
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - optional: a missing library is imported by the kernel itself
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
    serve(sys.argv[1], int(sys.argv[2]))
