"""The event log: ``<state>/progress/events.jsonl``, append-only, root-only (folder 0700, file 0600).

One JSON object per line (:data:`FIELDS`); a writer holds an ``flock`` on the file while it appends one
line, so two requests never interleave. A reader skips a line it cannot parse (a torn or hand-edited
line loses that event, never the record). Only the ``datalit-progress`` service and root commands
touch it: learners' kernels post over HTTP and never see the file.

Bounded (attack F3: any learner could post 4 kB events without end, and every dashboard view re-read the
whole file): a learner keeps at most ``MAX_EVENTS_PER_COURSE`` events per course, past which only a first
pass of a question is still kept (:func:`append`), and the service limits each learner's rate
(datalit/progress/service.py). Readers parse each line once: :func:`read` keeps what it parsed and reads
only what was appended since (a file replaced or shortened is read again).
"""
from __future__ import annotations

import fcntl
import json
import os
import threading
from pathlib import Path

FOLDER = "progress"
FILE = "events.jsonl"
KINDS = ("check", "hint", "solution")
# at (UTC ISO, the service's clock), user (from the hub), tier, lesson (notebook stem), question,
# kind, ok (check: bool, else None), diagnosis ("wrong-<i>", "option-<key>", "undiagnosed", "unanswered"),
# value (an undiagnosed wrong answer's repr, short; never code)
FIELDS = ("at", "user", "tier", "lesson", "question", "kind", "ok", "diagnosis", "value")
MAX_EVENTS_PER_COURSE = 5000  # per learner and course; a lesson notebook worked through posts a few dozen
_parsed: dict = {}  # log path -> {"ino", "offset", "events"}: what read() has parsed so far
_parsed_lock = threading.Lock()


def folder(state_dir) -> Path:
    return Path(state_dir) / FOLDER


def log_path(state_dir) -> Path:
    return folder(state_dir) / FILE


def _private_folder(state_dir) -> Path:
    path = folder(state_dir)
    path.mkdir(mode=0o700, exist_ok=True)
    st = os.lstat(path)
    if not os.path.isdir(path) or os.path.islink(path):
        raise OSError(f"{path} is not a folder")
    if st.st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def append(state_dir, event: dict) -> bool:
    """Append EVENT (only :data:`FIELDS`) as one line, under an exclusive lock. False (nothing written) once
    its learner has MAX_EVENTS_PER_COURSE events in its course, unless it is their first pass of that question."""
    _private_folder(state_dir)
    mine = read(state_dir, user=event.get("user"), tier=event.get("tier"))
    if len(mine) >= MAX_EVENTS_PER_COURSE and not (
            event.get("kind") == "check" and event.get("ok") is True and not any(
                e["kind"] == "check" and e.get("ok") is True and e["lesson"] == event.get("lesson")
                and e["question"] == event.get("question") for e in mine)):
        return False
    line = json.dumps({k: event.get(k) for k in FIELDS}, ensure_ascii=False) + "\n"
    fd = os.open(log_path(state_dir), os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.fchmod(fd, 0o600)
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)  # closing releases the lock
    return True


def _parse(raw: bytes) -> list[dict]:
    out = []
    for line in raw.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if not isinstance(event, dict) or not all(isinstance(event.get(k), str) for k in
                                                  ("at", "user", "tier", "lesson", "question", "kind")):
            continue
        out.append(event)
    return out


def _all(state_dir) -> list[dict]:
    """Every well-formed event, parsing only the complete lines appended since the last call."""
    path = log_path(state_dir)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return []
    with os.fdopen(fd, "rb") as fh, _parsed_lock:
        fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
        st = os.fstat(fh.fileno())
        seen = _parsed.get(str(path))
        if seen is not None and seen["ino"] == st.st_ino and seen["offset"] <= st.st_size:
            fh.seek(max(0, seen["offset"] - len(seen["tail"])))
            if fh.read(len(seen["tail"])) != seen["tail"]:  # rewritten in place (by hand, by a test)
                seen = None
        else:
            seen = None
        seen = seen or {"offset": 0, "events": [], "tail": b""}
        fh.seek(seen["offset"])
        raw = fh.read()
        complete = raw[:raw.rfind(b"\n") + 1]  # a line being written is read next time
        tail = (seen["tail"] + complete)[-64:]
        seen = {"ino": st.st_ino, "offset": seen["offset"] + len(complete), "tail": tail,
                "events": seen["events"] + _parse(complete)}
        _parsed[str(path)] = seen
        return seen["events"]


def read(state_dir, user: str | None = None, tier: str | None = None) -> list[dict]:
    """Every well-formed event (optionally of one USER / TIER), oldest first; bad lines are skipped."""
    return [e for e in _all(state_dir) if (user is None or e["user"] == user) and (tier is None or e["tier"] == tier)]
