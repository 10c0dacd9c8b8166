"""Stand-in kernel process: asks the fork server for a pre-warmed kernel and mirrors its life.

Run as ``python -S forkclient.py SOCKET CONNECTION_FILE`` (standard library only, starts in
milliseconds). jupyter_client sees this process as "the kernel": signals sent to it (interrupt,
terminate) are forwarded to the forked kernel, and it exits with the kernel's exit code. If it is
killed outright, the server notices the closed connection and kills the kernel. If the server
cannot be reached, it becomes an ordinary kernel (``exec`` of ``python -m ipykernel_launcher``).
"""
import json
import os
import signal
import socket
import sys


def _fallback(python, connection_file):
    os.execv(python, [python, "-m", "ipykernel_launcher", "-f", connection_file])


def main(argv):
    sock_path, connection_file, python = argv[1], argv[2], argv[3]
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(sock_path)
        request = json.dumps({"connection_file": connection_file, "cwd": os.getcwd(),
                              "env": dict(os.environ)}).encode()
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
        _fallback(python, connection_file)
        return 1

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


if __name__ == "__main__":
    sys.exit(main(sys.argv))
