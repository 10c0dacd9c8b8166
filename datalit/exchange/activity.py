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

What one team can store is bounded (attack F2: a member's kernel posted 112 MB in 40 s and every instructor
home page then froze the hub while it parsed them): a team server may store ``BYTES_PER_MINUTE`` a minute
(it posts a few kB every 15 s; more is answered 429 in Korean), minutes later than now are dropped, and once
the file passes ``MAX_TEAM_BYTES`` it is compacted into one line per member, each member's minutes and
cells capped (``MAX_MINUTES_PER_MEMBER``, ``MAX_CELLS_PER_MEMBER``, the newest minutes kept). Readers fold
it once per change of the file (cached by mtime and size).

Limits (docs/instructor-guide.md): every member runs code as the team's uid, so a member can post
invented counts with the team server's token, or act in a teammate's browser; the figures show who was
active, not who thought of what. Other teams and learners outside the course can neither post nor read them.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import deque
from datetime import datetime, timedelta
from pathlib import Path

from datalit import atomic
from datalit.exchange.policy import Refused
from datalit.exchange.store import Store
from datalit.kst import as_utc, now_utc, to_store

MAX_MINUTES_PER_POST = 24 * 60
MAX_CELLS_PER_POST = 2000
MAX_EXECUTED = 100_000
MAX_POST_BYTES = 2**20  # a whole batch (a team server posts a few kB)
CELL_KEY = re.compile(r"[0-9a-f]{16}")
FIRST_YEAR, LAST_YEAR = 2000, 2100
MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
CLOCK_SKEW = timedelta(minutes=10)  # a team server's clock a little ahead of the exchange's
BYTES_PER_MINUTE = 512 * 2**10  # per team; teamlog posts a few kB every FLUSH_SECONDS = 15
MAX_TEAM_BYTES = 4 * 2**20  # past this the file is compacted (one line per member)
MAX_MINUTES_PER_MEMBER = 30_000  # 500 hours; the newest are kept
MAX_CELLS_PER_MEMBER = 10_000
_posts: dict[str, deque] = {}  # team -> (monotonic time, bytes stored) of its last minute's posts
_folds: dict[str, tuple] = {}  # path -> ((mtime_ns, size), folded members): readers parse a file once per change
_folds_lock = threading.Lock()  # the hub folds in worker threads


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


def _admit(team: str, size: int) -> None:
    """At most BYTES_PER_MINUTE stored a minute per team server, else a Korean 429 (nothing stored). Bytes,
    not posts: a small post (what the fuzz tests and a real team server send) is never held back."""
    now = time.monotonic()
    recent = _posts.setdefault(team, deque())
    while recent and now - recent[0][0] > 60:
        recent.popleft()
    if recent and sum(b for _, b in recent) + size > BYTES_PER_MINUTE:
        raise Refused("too_many_requests", "팀 활동 기록이 1분 동안 받을 수 있는 양을 넘었습니다. 팀 서버는 "
                                           "15초마다 몇 kB씩 보냅니다. 1분 뒤에 다시 보내세요.")
    recent.append((now, size))


def record(store: Store, team: str, members: set[str], batch: dict) -> int:
    """Append one team server's batch ``{member: {"executed": n, "minutes": ["YYYY-MM-DDTHH:MM", ...],
    "edited": [cell key, ...]}}``; returns the number of members kept (members of the team only, see
    :func:`clean` for the counts; minutes after now are dropped). Refused (429) past BYTES_PER_MINUTE."""
    latest = (now_utc() + CLOCK_SKEW).strftime("%Y-%m-%dT%H:%M")
    kept = {}
    for member, counts in (batch.items() if isinstance(batch, dict) else ()):
        if member in members and (got := clean(counts)) is not None:
            got["minutes"] = [m for m in got["minutes"] if m <= latest]
            kept[member] = got
    if kept:
        path = _file(store, team)
        line = json.dumps({"at": to_store(), "members": kept}, ensure_ascii=False)
        _admit(team, len(line))
        if path.is_file() and path.stat().st_size + len(line) > MAX_TEAM_BYTES:
            _compact(path)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    return len(kept)


def _compact(path: Path) -> None:
    """Rewrite PATH as one line per member (what :func:`summary` would fold from it, capped), atomically."""
    folded = _fold(path)
    members = {m: {"executed": r["executed"], "minutes": sorted(r["minutes"]), "edited": sorted(r["edited"])}
               for m, r in folded.items()}
    line = json.dumps({"at": to_store(), "compacted": True, "members": members},
                      ensure_ascii=False)
    atomic.write_text(path, line + "\n", mode=0o600)


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


def _capped(r: dict) -> dict:
    if len(r["minutes"]) > MAX_MINUTES_PER_MEMBER:
        r["minutes"] = set(sorted(r["minutes"])[-MAX_MINUTES_PER_MEMBER:])
    if len(r["edited"]) > MAX_CELLS_PER_MEMBER:
        r["edited"] = set(sorted(r["edited"])[:MAX_CELLS_PER_MEMBER])
    return r


def _fold(path: Path) -> dict[str, dict]:
    """Every member's counts in PATH through :func:`clean` (one bad line costs that line), capped per
    member; parsed once per (mtime, size) of the file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return {}
    key = (st.st_mtime_ns, st.st_size)
    with _folds_lock:
        cached = _folds.get(str(path))
    if cached and cached[0] == key:
        return cached[1]
    rows: dict[str, dict] = {}
    for entry in _entries(path):
        for member, counts in entry.items():
            got = clean(counts) if isinstance(member, str) else None
            if got is not None:
                r = rows.setdefault(member, {"executed": 0, "minutes": set(), "edited": set()})
                r["executed"] += got["executed"]
                r["minutes"].update(got["minutes"])
                r["edited"].update(got["edited"])
                if len(r["minutes"]) > 2 * MAX_MINUTES_PER_MEMBER or len(r["edited"]) > 2 * MAX_CELLS_PER_MEMBER:
                    _capped(r)
    rows = {m: _capped(r) for m, r in rows.items()}
    with _folds_lock:
        _folds[str(path)] = (key, rows)
    return rows


def summary(store: Store, team: str, members: list[str], labs: list[str]) -> list[dict]:
    """One row per member: distinct cells edited, cells executed, active minutes, submissions, last active
    minute (UTC). Reads every line through :func:`clean`: one bad line costs that line, not the table."""
    folded = _fold(store.base / "activity" / f"{team}.jsonl")
    submissions = dict.fromkeys(members, 0)
    for lab in labs:
        for sub in store.submissions(lab, team):
            if sub.get("member") in submissions:
                submissions[sub["member"]] += 1
    out = []
    for m in members:
        r = folded.get(m) or {"executed": 0, "minutes": set(), "edited": set()}
        last = max(r["minutes"]) if r["minutes"] else None
        out.append({"member": m, "edited": len(r["edited"]), "executed": r["executed"],
                    "active_minutes": len(r["minutes"]),
                    "submissions": submissions[m],
                    "last_active": as_utc(last)})
    return out
