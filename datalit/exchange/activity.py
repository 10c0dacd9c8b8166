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
CELL_KEY = re.compile(r"[0-9a-f]{16}")


def _file(store: Store, team: str) -> Path:
    folder = store.base / "activity"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{team}.jsonl"


def record(store: Store, team: str, members: set[str], batch: dict) -> int:
    """Append one team server's batch ``{member: {"executed": n, "minutes": ["YYYY-MM-DDTHH:MM", ...],
    "edited": [cell key, ...]}}``; returns the number of members kept. Counts are clamped, anything that is
    not a minute stamp or a cell key is dropped, and at most MAX_* of each are kept per post."""
    kept = {}
    for member, counts in (batch or {}).items():
        if member not in members or not isinstance(counts, dict):
            continue
        try:
            executed = max(0, min(int(counts.get("executed", 0)), 100_000))
        except (TypeError, ValueError):
            executed = 0
        minutes = sorted({str(m)[:16] for m in counts.get("minutes", []) if isinstance(m, str)})[:MAX_MINUTES_PER_POST]
        edited = counts.get("edited", [])
        edited = sorted({c for c in edited if isinstance(c, str) and CELL_KEY.fullmatch(c)}
                        if isinstance(edited, list) else set())[:MAX_CELLS_PER_POST]
        kept[member] = {"executed": executed, "minutes": minutes, "edited": edited}
    if kept:
        line = json.dumps({"at": datetime.now(timezone.utc).isoformat(), "members": kept}, ensure_ascii=False)
        fd = os.open(_file(store, team), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    return len(kept)


def summary(store: Store, team: str, members: list[str], labs: list[str]) -> list[dict]:
    """One row per member: distinct cells edited, cells executed, active minutes, submissions, last active
    minute (UTC)."""
    rows = {m: {"member": m, "executed": 0, "minutes": set(), "edited": set(), "submissions": 0} for m in members}
    path = store.base / "activity" / f"{team}.jsonl"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            for member, counts in entry.get("members", {}).items():
                if member in rows:
                    rows[member]["executed"] += int(counts.get("executed", 0))
                    rows[member]["minutes"].update(counts.get("minutes", []))
                    rows[member]["edited"].update(counts.get("edited", []))
    for lab in labs:
        for sub in store.submissions(lab, team):
            if sub["member"] in rows:
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
