"""The event log: ``<state>/progress/events.jsonl``, append-only, root-only (folder 0700, file 0600).

One JSON object per line (:data:`FIELDS`); a writer holds an ``flock`` on the file while it appends one
line, so two requests never interleave. A reader skips a line it cannot parse (a torn or hand-edited
line loses that event, never the record). Only the ``datalit-progress`` service and root commands
touch it: learners' kernels post over HTTP and never see the file.
"""
from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

FOLDER = "progress"
FILE = "events.jsonl"
KINDS = ("check", "hint", "solution")
# at (UTC ISO, the service's clock), user (from the hub), tier, lesson (notebook stem), question,
# kind, ok (check: bool, else None), diagnosis ("wrong-<i>", "option-<key>", "undiagnosed", "unanswered"),
# value (an undiagnosed wrong answer's repr, short; never code)
FIELDS = ("at", "user", "tier", "lesson", "question", "kind", "ok", "diagnosis", "value")


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


def append(state_dir, event: dict) -> None:
    """Append EVENT (only :data:`FIELDS`) as one line, under an exclusive lock."""
    _private_folder(state_dir)
    line = json.dumps({k: event.get(k) for k in FIELDS}, ensure_ascii=False) + "\n"
    fd = os.open(log_path(state_dir), os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.fchmod(fd, 0o600)
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)  # closing releases the lock


def read(state_dir, user: str | None = None, tier: str | None = None) -> list[dict]:
    """Every well-formed event (optionally of one USER / TIER), oldest first; bad lines are skipped."""
    path = log_path(state_dir)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return []
    with os.fdopen(fd, "rb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
        raw = fh.read()
    out = []
    for line in raw.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if not isinstance(event, dict) or not all(isinstance(event.get(k), str) for k in
                                                  ("at", "user", "tier", "lesson", "question", "kind")):
            continue
        if (user is None or event["user"] == user) and (tier is None or event["tier"] == tier):
            out.append(event)
    return out
