"""Instructors' approvals of a learner's completion: ``<state>/progress/approvals.jsonl`` (root-only).

Why: the lesson part of the record is self-reported by the learner's own kernel (attack F3: 36 posted
``ok: true`` events gave a signed certificate in one second), so with ``progress.certificate_needs_approval``
a learner downloads the 교육 이수증 only after an instructor of the tier (or an admin) looked at the evidence
on the dashboard and approved. One JSON line per approval ``{at, tier, user, by}``, ``by`` the approver's hub
name (from the hub, never the request); the newest line of a learner and tier counts. ``datalit certificate``
(root) still issues directly.
"""
from __future__ import annotations

import fcntl
import json
import os

from datalit.progress import events

FILE = "approvals.jsonl"


def approve(state_dir, tier: str, user: str, by: str, at: str) -> dict:
    """Record that BY approved USER's completion of TIER at AT (UTC ISO)."""
    events._private_folder(state_dir)
    entry = {"at": at, "tier": tier, "user": user, "by": by}
    fd = os.open(events.folder(state_dir) / FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
    finally:
        os.close(fd)
    return entry


def of_tier(state_dir, tier: str) -> dict[str, dict]:
    """``{user: newest approval}`` of TIER; a line that is not a well-formed approval is skipped."""
    try:
        fd = os.open(events.folder(state_dir) / FILE, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return {}
    with os.fdopen(fd, "rb") as fh:
        raw = fh.read()
    out = {}
    for line in raw.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("tier") == tier and all(
                isinstance(entry.get(k), str) for k in ("at", "user", "by")):
            out[entry["user"]] = entry
    return out


def needed(state_dir) -> bool:
    from datalit.config import load_config

    return bool(load_config(state_dir=state_dir)["progress"]["certificate_needs_approval"])
