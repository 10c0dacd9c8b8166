"""Stand-in kernel process: asks the fork server for a pre-warmed kernel and mirrors its life.

Run as ``python -S forkclient.py SOCKET CONNECTION_FILE CONFINE_JSON FALLBACK...`` (standard library
only, starts in milliseconds). jupyter_client sees this process as "the kernel": signals sent to it
(interrupt, terminate) are forwarded to the forked kernel, and it ends as the kernel ended (same exit
code, or killed by the same signal). If it is killed outright, the server notices the closed
connection and kills the kernel. If the server cannot be reached, it ``exec``s FALLBACK, the kernel
command it stands in for (for the sandbox: the confining wrapper, never a bare kernel).
CONFINE_JSON (``{}`` for none) is the sandbox spec the forked child applies to itself.
"""
import json
import os
import signal
import socket
import sys


def main(argv):
    sock_path, connection_file, confine, fallback = argv[1], argv[2], json.loads(argv[3]), argv[4:]
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(sock_path)
        request = json.dumps({"connection_file": connection_file, "cwd": os.getcwd(),
                              "env": dict(os.environ), "confine": confine}).encode()
        socket.send_fds(conn, [len(request).to_bytes(8, "big") + request], [0, 1, 2])
        buf = b""
        while b"\n" not in buf:
            chunk = conn.recv(64)
            if not chunk:
                raise ConnectionError("fork server closed the connection")
            buf += chunk
        line, _, rest = buf.partition(b"\n")
        pid = int(line)
    except (OSError, ValueError):
        conn.close()
        os.execvp(fallback[0], fallback)  # does not return

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, forward)
    data = rest
    while not data.endswith(b"\n"):
        try:
            chunk = conn.recv(64)
        except InterruptedError:
            continue
        if not chunk:
            break
        data += chunk
    try:
        return int(data.strip() or b"1")
    except ValueError:
        return 1


def end_like(code):
    """Exit as the kernel did: a kernel killed by a signal (SIGKILL, SIGXCPU) kills this process the same way."""
    if code < 0:
        signum = -code
        if signum not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(signum, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signum])
        os.kill(os.getpid(), signum)
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    end_like(main(sys.argv))
