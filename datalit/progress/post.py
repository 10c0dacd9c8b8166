"""The kernel's side of the record: each lesson check, hint and solution request becomes one event
posted to the ``datalit-progress`` hub service.

Posting must never slow or break a check. Nothing is posted (and nothing waits) unless the kernel is
one a learner's Jupyter server started in the hub: ``DATALIT_PROGRESS_URL`` (set by the spawner,
datalit/hub/spawn_options.py) and ``JUPYTERHUB_API_TOKEN`` are in the environment and the kernel's
parent process is the user server (``datalit.hub.singleuser`` / ``jupyterhub-singleuser``). So papermill,
nbclient, ``datalit lesson run`` and nbgrader -- also when started from a learner's terminal, whose
environment is the server's -- post nothing. In the hub an event is queued and a daemon thread posts it
with a short timeout (:data:`TIMEOUT`); a failed post is dropped (the record is formative). At kernel exit
the queue gets at most :data:`EXIT_WAIT` seconds.

The learner is NOT in the event: the service takes it from the token. No code is sent: for an
undiagnosed wrong answer only its ``repr`` cut to :data:`VALUE_CHARS` characters.
"""
from __future__ import annotations

import atexit
import json
import os
import queue
import sys
import threading
import time
import urllib.request

URL_ENV = "DATALIT_PROGRESS_URL"
TIMEOUT = 0.5
EXIT_WAIT = 1.0
VALUE_CHARS = 40
# How every check's message for an empty answer begins (datalit/lessons/checks.py shows it); the record files
# such an event as "unanswered". Defined here, below the lessons, because the checks import this module.
NOT_ANSWERED = "아직 답을 작성하지 않았어요."
MAX_PENDING = 1000  # events waiting for a stuck service; more are dropped, not queued
EXERCISES = "datalit.lessons.exercises."
SERVER_COMMANDS = ("datalit.hub.singleuser", "jupyterhub-singleuser")

_state: dict = {}
_lock = threading.Lock()


def _server_kernel() -> bool:
    """True when this process's parent is the learner's Jupyter server (checked once)."""
    if "server_kernel" not in _state:
        try:
            with open(f"/proc/{os.getppid()}/cmdline", "rb") as fh:
                cmdline = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            cmdline = ""
        _state["server_kernel"] = any(c in cmdline for c in SERVER_COMMANDS)
    return _state["server_kernel"]


def enabled() -> bool:
    return bool(os.environ.get(URL_ENV) and os.environ.get("JUPYTERHUB_API_TOKEN")) and _server_kernel()


def module_of(question) -> str | None:
    """The exercise module (``beginner.python_first_steps``) that defines QUESTION, if any."""
    found = getattr(question, "_progress_module", None)
    if found is None:
        found = ""
        for name, mod in list(sys.modules.items()):
            if name.startswith(EXERCISES) and mod is not None and vars(mod).get(question.name) is question:
                found = name[len(EXERCISES):]
                break
        try:
            question._progress_module = found
        except AttributeError:
            pass
    return found or None


def diagnosis(question, answer, msg: str | None) -> tuple[str | None, str | None]:
    """(diagnosis, value) of a check: which known mistake MSG names, else "undiagnosed" + the short repr."""
    if msg is None:
        return None, None
    if msg.startswith(NOT_ANSWERED):
        return "unanswered", None
    options = getattr(question, "options", None)
    if options is not None:  # a concept question: every option has its own reason
        label = str(answer).strip().strip("().").strip()
        authored = getattr(question, "authored", None)
        key = authored(label) if callable(authored) else (label if label in options else None)
        if key in options:
            return f"option-{key}", None
    for i, wrong in enumerate(getattr(question, "wrong", ())):
        if wrong.diagnose and msg == wrong.says:
            return f"wrong-{i}", None
    try:
        value = repr(answer)
    except Exception:  # noqa: BLE001 - a value whose repr fails: its type is enough
        value = f"<{type(answer).__name__}>"
    return "undiagnosed", (value if len(value) <= VALUE_CHARS else value[:VALUE_CHARS - 1] + "…")


def record(question, kind: str, answer=None, msg: str | None = None, ok: bool | None = None) -> None:
    """Queue one event (never raises, never blocks on the network)."""
    try:
        if not enabled():
            return
        module = module_of(question)
        if module is None:  # a question made in a notebook, not a lesson's
            return
        event = {"module": module, "question": question.name, "kind": kind, "ok": ok}
        if kind == "check" and not ok:
            event["diagnosis"], event["value"] = diagnosis(question, answer, msg)
        q = _queue()
        if q is not None:
            q.put((os.environ[URL_ENV], os.environ["JUPYTERHUB_API_TOKEN"], event))
    except Exception:  # noqa: BLE001 - the record is never worth a broken check
        pass


def _queue() -> queue.SimpleQueue | None:
    """The post queue (started on first use); None when MAX_PENDING events already wait (a stuck service)."""
    with _lock:
        if "queue" not in _state:
            _state["queue"] = queue.SimpleQueue()
            _state["pending"] = 0
            threading.Thread(target=_worker, name="datalit-progress", daemon=True).start()
            atexit.register(flush, EXIT_WAIT)
        if _state["pending"] >= MAX_PENDING:
            return None
        _state["pending"] += 1
    return _state["queue"]


def _post(base: str, token: str, event: dict) -> None:
    req = urllib.request.Request(base.rstrip("/") + "/api/events", data=json.dumps(event).encode("utf-8"),
                                 method="POST", headers={"Authorization": f"token {token}",
                                                         "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
        resp.read()


def _worker() -> None:
    q = _state["queue"]
    while True:
        base, token, event = q.get()
        try:
            _post(base, token, event)
        except Exception:  # noqa: BLE001 - hub down, slow, refused: the event is dropped
            pass
        with _lock:
            _state["pending"] -= 1


def flush(timeout: float = EXIT_WAIT) -> bool:
    """Wait up to TIMEOUT seconds for queued events to be posted; True if none is left."""
    deadline = time.monotonic() + timeout
    while _state.get("pending"):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
