"""Child processes that die with their parent, and that stop on SIGINT.

``python -m datalit.hub.tether CMD ARGS...`` asks the kernel to send SIGTERM to this process when its
parent dies (``prctl(PR_SET_PDEATHSIG)``, kept across ``exec``), restores the default SIGINT action and
then runs CMD in its place. The hub's services (idle culler, workshop-expiry) are started through it,
so a hub killed with ``kill -9`` leaves none of them behind, and JupyterHub's SIGINT at shutdown stops
them at once even when the hub was started with SIGINT ignored (a background job of a shell script):
JupyterHub waits 10 s per service for a SIGINT that is ignored.

``die_with_parent(sig)`` is the same for ``subprocess.Popen(preexec_fn=...)``. The death signal is
tied to the *thread* that forked the child: call Popen from a thread that lives as long as the parent
(the main thread).
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def _prctl_pdeathsig(sig: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def die_with_parent(sig: int = signal.SIGTERM):
    """A preexec_fn: SIG when the parent dies; SIGINT and SIGTERM back to their default actions."""
    parent = os.getpid()

    def preexec():
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _prctl_pdeathsig(sig)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), sig)

    return preexec


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m datalit.hub.tether CMD [ARGS...]", file=sys.stderr)
        return 2
    parent = os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _prctl_pdeathsig(signal.SIGTERM)
    if os.getppid() != parent or parent == 1:
        return 1
    os.execvp(argv[0], argv)
    return 127  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
