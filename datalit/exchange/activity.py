"""Who did what on a team server: per member, cells edited and executed, active minutes and submissions.

Recorded from the team server's own events (datalit/hub/teamlog.py): each kernel ``execute_request`` a
member's browser sends (the member is JupyterHub's identity of that websocket, not a name in the message),
the cells whose source a member's own document update changed (an opaque 16-hex key per cell, a hash of
the notebook's file id and the cell id, so that a cell edited in many sittings counts once) and the minutes
in which a member sent anything to a kernel or to a shared document. No keystrokes, no code, no cell
contents: counts, cell keys and minute stamps only. The team server posts them to the exchange with
its own hub token; the exchange keeps them root-only under ``<store>/activity/<team>.jsonl`` (the team
from the token's hub user, unknown members dropped). Submissions per member come from the exchange's own
record of each submission (who clicked Submit).

Limits (docs/instructor-guide.md): every member runs code as the team's uid, so a member can post
invented counts with the team server's token, or act in a teammate's browser; the figures show who was
active, not who thought of what. Other teams and learners outside the course can neither post nor read them.
"""
from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

from datalit.exchange.store import Store

MAX_MINUTES_PER_POST = 24 * 60
MAX_CELLS_PER_POST = 2000
MAX_EXECUTED = 100_000
MAX_POST_BYTES = 2**20  # a whole batch (a team server posts a few kB)
CELL_KEY = re.compile(r"[0-9a-f]{16}")
FIRST_YEAR, LAST_YEAR = 2000, 2100
MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _file(store: Store, team: str) -> Path:
    folder = store.base / "activity"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{team}.jsonl"


def _minute(value) -> str | None:
    """'YYYY-MM-DDTHH:MM' (longer stamps cut to the minute) if it is a real minute, else None."""
    if not isinstance(value, str) or not MINUTE.match(value):
        return None
    try:
        when = datetime.strptime(value[:16], "%Y-%m-%dT%H:%M")
    except ValueError:  # 2026-13-45T99:99
        return None
    return value[:16] if FIRST_YEAR <= when.year < LAST_YEAR else None  # 9999-12-31T23:59 has no Korea time


def clean(counts) -> dict | None:
    """One member's counts as the store keeps them, or None if COUNTS is not a mapping: executed clamped
    to 0..MAX_EXECUTED, only real minute stamps and cell keys, at most MAX_* of each. Used on what a team
    server posts and again on every line read back (a store written before these checks may hold anything)."""
    if not isinstance(counts, dict):
        return None
    executed = counts.get("executed", 0)
    try:
        executed = max(0, min(int(executed), MAX_EXECUTED)) if not isinstance(executed, bool) else 0
    except (TypeError, ValueError, OverflowError):  # "many", [], float("inf") from a JSON 1e999
        executed = 0
    minutes = counts.get("minutes", [])
    minutes = sorted({m for m in map(_minute, minutes) if m} if isinstance(minutes, list) else set())
    edited = counts.get("edited", [])
    edited = sorted({c for c in edited if isinstance(c, str) and CELL_KEY.fullmatch(c)}
                    if isinstance(edited, list) else set())
    return {"executed": executed, "minutes": minutes[:MAX_MINUTES_PER_POST], "edited": edited[:MAX_CELLS_PER_POST]}


def record(store: Store, team: str, members: set[str], batch: dict) -> int:
    """Append one team server's batch ``{member: {"executed": n, "minutes": ["YYYY-MM-DDTHH:MM", ...],
    "edited": [cell key, ...]}}``; returns the number of members kept (members of the team only, see
    :func:`clean` for the counts)."""
    kept = {}
    for member, counts in (batch.items() if isinstance(batch, dict) else ()):
        if member in members and (got := clean(counts)) is not None:
            kept[member] = got
    if kept:
        line = json.dumps({"at": datetime.now(timezone.utc).isoformat(), "members": kept}, ensure_ascii=False)
        fd = os.open(_file(store, team), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    return len(kept)


def _entries(path: Path):
    """Each readable line's ``members`` mapping; a line that is not JSON, or not of that shape, is skipped."""
    with open(path, "rb") as fh:
        for raw in fh:
            try:
                entry = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                continue
            members = entry.get("members") if isinstance(entry, dict) else None
            if isinstance(members, dict):
                yield members


def summary(store: Store, team: str, members: list[str], labs: list[str]) -> list[dict]:
    """One row per member: distinct cells edited, cells executed, active minutes, submissions, last active
    minute (UTC). Reads every line through :func:`clean`: one bad line costs that line, not the table."""
    rows = {m: {"member": m, "executed": 0, "minutes": set(), "edited": set(), "submissions": 0} for m in members}
    path = store.base / "activity" / f"{team}.jsonl"
    if path.is_file():
        for entry in _entries(path):
            for member, counts in entry.items():
                got = clean(counts) if member in rows else None
                if got is not None:
                    rows[member]["executed"] += got["executed"]
                    rows[member]["minutes"].update(got["minutes"])
                    rows[member]["edited"].update(got["edited"])
    for lab in labs:
        for sub in store.submissions(lab, team):
            if sub.get("member") in rows:
                rows[sub["member"]]["submissions"] += 1
    out = []
    for m in members:
        r = rows[m]
        last = max(r["minutes"]) if r["minutes"] else None
        out.append({"member": m, "edited": len(r["edited"]), "executed": r["executed"],
                    "active_minutes": len(r["minutes"]),
                    "submissions": r["submissions"],
                    "last_active": datetime.fromisoformat(last).replace(tzinfo=timezone.utc) if last else None})
    return out
