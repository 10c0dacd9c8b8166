"""What the admin's terminal shows of the hub's log: the launcher's messages and real problems.

Everything (hub, user servers, services, the launcher's own messages) goes to ``<state>/logs/jupyterhub.log``;
``datalit hub`` follows that file and prints only

* its own ``[datalit hub]`` messages (progress, the banner, how the hub stopped),
* warnings of the hub and its services, and errors of anything,
* tracebacks (except a service's ``KeyboardInterrupt`` at shutdown),

minus known noise that no admin can act on (listed in ``NOISE``). The proxy logs to ``proxy.log``.
"""
from __future__ import annotations

import re
import sys
import threading
import time
from pathlib import Path

LOG_RECORD = re.compile(r"^\[([DIWEC]) \d{4}-\d\d-\d\d [\d:.]+ (\S+)")
PREFIXED = re.compile(r"^\[[^\]]+\] ")
PY_WARNING = re.compile(r"^\S+:\d+: \w*Warning: ")
LAUNCHER = "[datalit hub]"
HUB_LOGGERS = ("JupyterHub", "IdleCuller")
NOISE = (
    "Running JupyterHub without SSL",            # TLS terminates in front of the hub (admin guide §8)
    "shared database session at Authenticator.db is deprecated",   # NativeAuthenticator 1.3.0
    "Could not load pycurl",
    "JupyterEventsVersionWarning",
    "specifies both admin_users and users in the admin role",
)


def _is_start(line: str) -> bool:
    return bool(LOG_RECORD.match(line) or PREFIXED.match(line) or PY_WARNING.match(line)
                or line.startswith("Traceback ("))


def shown(record: list[str]) -> bool:
    """Whether a log record (its first line and continuation lines) belongs on the admin's terminal."""
    first, text = record[0], "".join(record)
    if first.startswith(LAUNCHER):
        return True
    if any(n in text for n in NOISE):
        return False
    m = LOG_RECORD.match(first)
    if m:
        level, logger = m.groups()
        return level in "EC" or (level == "W" and logger.startswith(HUB_LOGGERS))
    if first.startswith("Traceback ("):
        return not record[-1].startswith("KeyboardInterrupt")
    return bool(PY_WARNING.match(first))


class Follower:
    """Follows a log file from its current end and writes the records ``shown`` keeps to ``out``."""

    def __init__(self, path: Path, out=None):
        self.path, self.out = path, out or sys.stderr
        self._stop = threading.Event()
        self._pending: list[str] = []
        self._last_shown = False
        self._fh = open(path, "a+", encoding="utf-8", errors="replace")
        self._fh.seek(0, 2)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "Follower":
        self._thread.start()
        return self

    def _flush(self) -> None:
        if self._pending:
            self._last_shown = shown(self._pending)
            if self._last_shown:
                self.out.write("".join(self._pending))
                self.out.flush()
            self._pending = []

    def _feed(self, line: str) -> None:
        if _is_start(line):
            self._flush()
            self._pending = [line]
        elif self._pending:
            self._pending.append(line)
        elif self._last_shown:  # the rest of a record already flushed
            self.out.write(line)
            self.out.flush()

    def _run(self) -> None:
        partial = ""
        while True:
            chunk = self._fh.readline()
            if chunk:
                partial += chunk
                if partial.endswith("\n"):
                    self._feed(partial)
                    partial = ""
                continue
            self._flush()
            if self._stop.is_set():
                return
            time.sleep(0.1)

    def stop(self) -> None:
        """Print what is left in the file, then stop."""
        self._stop.set()
        self._thread.join(10)
        self._fh.close()
