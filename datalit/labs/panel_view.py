"""What the assignments panel shows for each lab, from the exchange's answers and the server's folder.

Pure functions (no HTTP, no server): the panel's handler (datalit/labs/panel.py) gathers the exchange's
``labs`` and ``team_submissions`` answers and renders what :func:`lab_view` returns. Times people read are
Korea time (``YYYY-MM-DD HH:MM (KST)``); the late rule is datalit/labs/late.py's, the one nbgrader applies.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from urllib.parse import quote

from datalit.kst import as_utc, now_utc, shown
from datalit.labs.late import lateness


def time_left(due: dt.datetime, now: dt.datetime) -> str:
    """``2일 3시간 남음``, ``45분 남음``: until DUE (which is after NOW)."""
    minutes = max(1, math.floor((due - now).total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}일 {hours}시간 남음" if hours else f"{days}일 남음"
    return f"{hours}시간 {minutes}분 남음" if hours else f"{minutes}분 남음"


def percent_per_day(per_day: float) -> str:
    return f"{100 * per_day:g}%"


def _due(meta: dict) -> dt.datetime | None:
    if not meta.get("due"):
        return None
    return as_utc(meta["due"])


def notebooks_of(folder: Path, meta: dict) -> list[dict]:
    """The lab's released notebooks that are in FOLDER, as paths relative to the server's root."""
    return [{"name": nb, "path": f"{folder.name}/{nb}.ipynb"} for nb in meta.get("notebooks", [])
            if (folder / f"{nb}.ipynb").is_file()]


def feedback_links(folder: Path, sub: dict, base_url: str) -> list[dict]:
    """Feedback pages of submission SUB already fetched into FOLDER/feedback/<nbgrader timestamp>/."""
    local = folder / "feedback" / sub["nbgrader_timestamp"]
    out = []
    for name in sub.get("feedback", []):
        if name.endswith(".html") and "/" not in name and (local / name).is_file():
            rel = f"{folder.name}/feedback/{sub['nbgrader_timestamp']}/{name}"
            out.append({"name": name[:-5], "url": base_url + "files/" + quote(rel)})
    return out


def lab_view(meta: dict, team: dict | None, refusal: str | None, root: Path, per_day: float, base_url: str,
             now: dt.datetime | None = None) -> dict:
    """One lab's card. TEAM: the exchange's ``team_submissions`` answer (None with REFUSAL: why not)."""
    now = now or now_utc()
    due = _due(meta)
    folder = root / meta["lab"]
    late_now = lateness(due, now, per_day)
    subs = []
    for number, sub in enumerate((team or {}).get("submissions", []), start=1):
        subs.append({"number": f"#{number:02d}", "shown": shown(sub["timestamp"]), "member": sub["member"],
                     "graded": sub["graded"], "late": lateness(due, sub["timestamp"], per_day),
                     "has_feedback": bool(sub.get("feedback")), "feedback": feedback_links(folder, sub, base_url)})
    return {"lab": meta["lab"], "due": shown(due) if due else None, "late_now": late_now,
            "left": time_left(due, now) if due and not late_now else None,
            "fetched": folder.is_dir(), "notebooks": notebooks_of(folder, meta) if folder.is_dir() else [],
            "team": (team or {}).get("team"), "refusal": refusal, "submissions": list(reversed(subs)),
            "any_feedback": any(s["has_feedback"] for s in subs)}


def late_warning(view: dict, per_day: float) -> str | None:
    """The warning a late submission shows before it is sent (None when on time)."""
    late = view["late_now"]
    if not late:
        return None
    return (f"마감({view['due']})이 지났습니다. 지금 제출하면 마감보다 {late['late']} 늦은 제출이 되어, 채점할 때 "
            f"점수의 {late['percent']}%가 감점됩니다 (시작된 하루마다 {percent_per_day(per_day)}씩).")
