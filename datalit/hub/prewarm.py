"""Pre-warmed servers: a workshop batch (or a staff cohort) finds its servers running when it arrives.

Why: 30 people logging in at once on 2 cores wait about 25 s each for their server (every start is
CPU-bound, about 1.6 CPU-seconds); started one by one before the class, the same servers cost nothing
at 10:00. A warm server has its lesson handed out (the spawn does that), and a kernel already running
for the first lesson -- a notebook session on that path, started through the server's own API as the
person (a short-lived token of theirs), with the modules the lesson imports already imported -- so
JupyterLab opens the lesson on a kernel that is ready and the first cell runs at once.

* ``plan`` records a warm-up in ``<state>/workshop/prewarm.json`` (0600): who (a batch's accounts or a
  group's members), when (``at``, UTC), until when the workshop runs (``until``) and the batch's idle rule.
  The ``workshop-prewarm`` hub service (``python -m datalit.hub.prewarm``) reads it every
  ``hub.prewarm_check_seconds``: a scheduled warm-up starts at its time, also after a hub restart.
* Memory: each server may use ``hub.mem_limit`` (its cgroup); ``capacity`` is how many more fit in
  MemAvailable minus ``hub.prewarm_reserve`` (the hub, proxy, services, the system). More is refused.
* Culling during the workshop is the batch's own: a warm server nobody opened yet is kept (its activity
  is refreshed so the hub's idle culler leaves it); one that was opened is stopped after the batch's
  ``idle_minutes`` of real idleness. After ``until`` the servers nobody opened are stopped, and the
  others fall back to the hub's idle culler.
* "Opened" means the person reached their server through the hub's login (an OAuth token of a login
  session exists for that person); the warm-up's own token has none and is deleted afterwards.

The service speaks to the hub with the datalit-cli service's token from the state directory (it runs as
the hub's user, root): starting servers, making a person's token and refreshing activity are that
role's scopes (datalit/hub/roles.py); the service needs no role of its own.
"""
from __future__ import annotations

import ast
import datetime as dt
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urljoin

import requests

from datalit import atomic, kst
from datalit.hub import content, pages, workshop
from datalit.hub.own_server import ask, run_silently

TOKEN_NOTE = "datalit prewarm"
STALE_WARMING = dt.timedelta(minutes=15)  # a warm-up still "warming" after this was cut short: warm again


class PrewarmError(ValueError):
    pass


# ---- the plan ----------------------------------------------------------------------------------------
def store_path(state: Path) -> Path:
    return state / "workshop" / "prewarm.json"


def load(state: Path) -> dict:
    try:
        return json.loads(store_path(state).read_text())
    except (FileNotFoundError, ValueError):
        return {"warmups": {}}


def update(root: Path, key: str, **fields) -> dict:
    """Change fields of one warm-up (ROOT: the hub's state directory; the field ``state`` is its phase), under
    the plan's lock: the workshop-prewarm service's threads and a ``datalit workshop start`` beside them
    each keep their change."""
    path = store_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic.updating_json(path, lambda: {"warmups": {}}, mode=0o600, indent=1, sort_keys=True,
                              ensure_ascii=True) as data:
        entry = data["warmups"].setdefault(key, {})
        entry.update(fields)
    return entry


def parse_when(text: str) -> dt.datetime:
    """``2026-12-24 09:50`` as a person in Korea wrote it (an explicit offset is kept) -> UTC, by the one
    rule of :func:`datalit.kst.parse_kst` (a bare date is refused: a warm-up starts at a time)."""
    try:
        return kst.parse_kst(text)
    except kst.TimeFormatError as exc:
        raise PrewarmError(f"time must look like '2026-12-24 09:50' (Korea time), got {text!r}") from exc


def batch_users(state: Path, batch: str) -> list[str]:
    names = sorted(n for n, e in workshop.load_registry(state)["accounts"].items() if e["batch"] == batch)
    if not names:
        raise PrewarmError(f"no workshop batch {batch!r} (see <state>/workshop/accounts.json)")
    return names


def mem_available() -> int:
    """MemAvailable of /proc/meminfo, bytes (what the kernel can give without swapping)."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no MemAvailable in /proc/meminfo")


def capacity(mem_limit: int, reserve: int, available: int | None = None) -> int:
    """How many more servers of MEM_LIMIT bytes fit in MemAvailable minus RESERVE."""
    if mem_limit <= 0:
        raise PrewarmError("hub.mem_limit is 0 (no per-server limit): pre-warming needs one to plan memory")
    available = mem_available() if available is None else available
    return max(0, (available - reserve) // mem_limit)


def check_fits(needed: int, mem_limit: int, reserve: int, available: int | None = None) -> int:
    """Refuse (English, for the admin) when NEEDED more servers do not fit; returns how many fit."""
    available = mem_available() if available is None else available
    fits = capacity(mem_limit, reserve, available)
    if needed > fits:
        gib = 1024 ** 3
        raise PrewarmError(
            f"{needed} servers do not fit: MemAvailable {available / gib:.1f} GiB minus the reserve "
            f"{reserve / gib:.1f} GiB (hub.prewarm_reserve) holds {fits} servers of hub.mem_limit "
            f"{mem_limit / gib:.2f} GiB; warm at most {fits}, or lower hub.mem_limit")
    return fits


def plan(state: Path, key: str, at: dt.datetime, until: dt.datetime, idle_minutes: int,
         names: list[str] | None = None, group: str = "", now: bool = False) -> dict:
    """Record a warm-up: ``scheduled`` for the service, or (NOW) ``warming`` by the caller -- never both, so the
    service does not start the same servers beside the command."""
    if until <= at:
        raise PrewarmError(f"the workshop must end after it starts ({kst.shown(until)} <= {kst.shown(at)})")
    phase = {"state": "warming", "warming_since": kst.now_utc().isoformat(timespec="seconds")} if now else \
        {"state": "scheduled", "warming_since": None}
    return update(state, key, at=at.isoformat(timespec="seconds"), until=until.isoformat(timespec="seconds"),
                  idle_minutes=int(idle_minutes), names=names or [], group=group,
                  warmed=[], failed={}, stopped_unused=[], **phase)


def members(api, entry: dict) -> list[str]:
    if entry.get("group"):
        group = api.get(f"/groups/{quote(entry['group'])}")
        return sorted(group.get("users", []))
    return list(entry.get("names", []))


# ---- warming one server --------------------------------------------------------------------------------
def lesson_imports(path: Path) -> list[str]:
    """Modules the lesson's code cells import, dotted (``matplotlib.pyplot``; for ``from datalit import data``
    also ``datalit.data``, which may be a name rather than a module: importing it then fails harmlessly).
    Magics and shell lines are left out."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = "".join(cell.get("source", ""))
        src = "\n".join(line for line in src.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found += [node.module, *(f"{node.module}.{a.name}" for a in node.names if a.name != "*")]
    return [m for m in dict.fromkeys(found) if all(part.isidentifier() for part in m.split("."))]


def _wait_ready(api, name: str, timeout: float) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        model = api.user(name) or {}
        if model.get("server") and not model.get("pending"):
            return model
        time.sleep(0.5)
    raise RuntimeError(f"the server of {name} was not ready in {timeout:.0f}s")


def warm_one(api, name: str, lesson: str, lesson_file: Path | None, timeout: float = 180) -> dict:
    """Start NAME's server, open a kernel for LESSON (``courses/<tier>/<file>``) as NAME, import what the
    lesson imports. Returns ``{"name", "seconds", "kernel"}``; raises on failure."""
    t0 = time.time()
    base = api.url.rsplit("/hub/api", 1)[0] + "/"
    model = api.user(name)
    if model is None:
        raise RuntimeError(f"no hub user {name}")
    if not model.get("server") and model.get("pending") != "spawn":
        api.request("POST", f"/users/{quote(name)}/server")
    model = _wait_ready(api, name, timeout)
    made = api.request("POST", f"/users/{quote(name)}/tokens",
                       json={"note": TOKEN_NOTE, "expires_in": int(timeout) + 120})
    token, headers = made["token"], {"Authorization": f"token {made['token']}"}
    server = urljoin(base, model["server"])
    try:
        deadline = time.time() + timeout
        while True:  # the hub's ready flag is not enough (FIELD-NOTES: a port collision); ask the server
            try:
                if ask("GET", server + "api/status", name, headers, 10)[0] == 200:
                    break
            except requests.RequestException:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"the server of {name} does not answer /api/status")
            time.sleep(0.3)
        kernel = ""
        if lesson:
            sessions = json.loads(ask("GET", server + "api/sessions", name, headers, 30)[1])
            found = [s for s in sessions if s.get("path") == lesson and s.get("kernel")]
            if found:
                kernel = found[0]["kernel"]["id"]
            else:
                status, body = ask("POST", server + "api/sessions", name, headers, 60, json={
                    "path": lesson, "name": lesson.rsplit("/", 1)[-1], "type": "notebook",
                    "kernel": {"name": "python3"}})
                if status != 201:
                    raise RuntimeError(f"kernel for {lesson}: HTTP {status} {body[:200].decode(errors='replace')}")
                kernel = json.loads(body)["kernel"]["id"]
                modules = lesson_imports(lesson_file) if lesson_file else []
                if modules:
                    code = ("for _m in %r:\n    try:\n        __import__(_m)\n    except Exception:\n"
                            "        pass\ndel _m\n" % (modules,))
                    ws_url = server.replace("http", "ws", 1) + f"api/kernels/{kernel}/channels"
                    run_silently(ws_url, token, code, timeout=120, name=name)
            # what JupyterLab asks for first, once, now: the server compiles the Lab page's template and loads
            # the notebook validator before the person arrives, not while 30 people do (bench/workshop_day.py)
            for path in (f"lab/tree/{quote(lesson)}", f"api/contents/{quote(lesson)}?type=notebook&content=1"):
                try:
                    ask("GET", server + path, name, headers, 30)
                except (RuntimeError, requests.RequestException):
                    pass  # only a head start: the login renders them anyway
    finally:
        try:
            api.request("DELETE", f"/users/{quote(name)}/tokens/{quote(made['id'])}")
        except RuntimeError:
            pass
    return {"name": name, "seconds": round(time.time() - t0, 1), "kernel": kernel}


def lesson_for(api, name: str, content_dir: Path) -> tuple[str, Path | None]:
    groups = set((api.user(name) or {}).get("groups", []))
    lesson = pages.first_lesson(content_dir, content.tiers_for(groups))
    return lesson, (content_dir / lesson.split("/", 1)[1]) if lesson else None


def warm(api, names: list[str], content_dir: Path, parallel: int, log=print, timeout: float = 180) -> dict:
    """Warm NAMES, PARALLEL at a time (2 cores: more at once only queue on the CPU). Returns
    ``{"warmed": [...], "failed": {name: error}}``."""
    warmed, failed = [], {}

    def one(name):
        try:
            lesson, path = lesson_for(api, name, content_dir)
            result = warm_one(api, name, lesson, path, timeout)
            log(f"warm: {name} in {result['seconds']} s ({lesson or 'no lesson'})")
            warmed.append(name)
        except Exception as exc:  # noqa: BLE001 - one server failing must not stop the others
            failed[name] = str(exc)[:300]
            log(f"warm FAILED: {name}: {exc}")

    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        list(pool.map(one, names))
    return {"warmed": sorted(warmed), "failed": failed}


# ---- the batch's culling rules ---------------------------------------------------------------------------
def opened(api, name: str) -> bool:
    """Whether NAME reached their server through a login (an OAuth token of a hub login session)."""
    tokens = (api.get(f"/users/{quote(name)}/tokens") or {}).get("api_tokens", [])
    return any(t.get("session_id") for t in tokens if t.get("note") != TOKEN_NOTE)


# name -> (real last activity, the value we last wrote, when we wrote it)
_real_activity: dict[str, tuple[str, str, dt.datetime | None]] = {}


def _parse(ts: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(ts.replace("Z", "+00:00")) if ts else None


def keep_or_cull(api, name: str, idle_minutes: int, now: dt.datetime, refresh_seconds: float = 0) -> str:
    """During the workshop: refresh the activity of NAME's running server (the hub's culler leaves it)
    unless it was opened and then idle longer than the batch's IDLE_MINUTES; returns what was done.

    The refresh (a POST and a GET of the hub API) is skipped while the last one is younger than
    REFRESH_SECONDS: every pass refreshing 30 accounts was 60 hub requests each 15 s, on the hub's one
    event loop while 30 people log in (py-spy: the activity handler was 13% of its busy time)."""
    model = api.user(name) or {}
    server = (model.get("servers") or {}).get("", {})
    if not model.get("server") or model.get("pending"):
        return ""
    seen = server.get("last_activity")
    real, written, wrote_at = _real_activity.get(name, (seen, "", None))
    if seen and seen != written:  # activity the server reported since our last refresh: the person's own
        real = seen
    idle = now - (_parse(real) or now)
    if idle > dt.timedelta(minutes=idle_minutes) and opened(api, name):
        api.stop_server(name)
        _real_activity.pop(name, None)
        return f"stopped {name}: idle {int(idle.total_seconds() // 60)} min (batch rule {idle_minutes} min)"
    if wrote_at is not None and seen == written and (now - wrote_at).total_seconds() < refresh_seconds:
        _real_activity[name] = (real, written, wrote_at)
        return ""
    stamp = now.isoformat(timespec="seconds").replace("+00:00", "Z")
    api.request("POST", f"/users/{quote(name)}/activity", json={"servers": {"": {"last_activity": stamp}}})
    updated = ((api.user(name) or {}).get("servers") or {}).get("", {}).get("last_activity") or stamp
    _real_activity[name] = (real, updated, now)
    return ""


def check_once(api, state: Path, content_dir: Path, parallel: int, now: dt.datetime | None = None,
               log=print, refresh_seconds: float = 0) -> None:
    """One pass of the service: start due warm-ups, apply the running batches' rules, end finished ones
    (REFRESH_SECONDS: see :func:`keep_or_cull`; 0 refreshes at every pass)."""
    now = now or kst.now_utc()
    for key, entry in sorted(load(state)["warmups"].items()):
        at, until = _parse(entry["at"]), _parse(entry["until"])
        since = _parse(entry.get("warming_since"))
        stale = entry.get("state") == "warming" and (since is None or now - since > STALE_WARMING)
        if (entry.get("state") == "scheduled" or stale) and at <= now < until:  # stale: the warmer died (hub restart)
            names = members(api, entry)
            from datalit.config import load_config
            from datalit.hub.disk import parse_size

            hub = load_config(state_dir=str(state))["hub"]
            running = {n for n in names if (api.user(n) or {}).get("server")}
            try:
                check_fits(len(set(names) - running), parse_size(hub["mem_limit"]), parse_size(hub["prewarm_reserve"]))
            except PrewarmError as exc:
                log(f"{key}: refused: {exc}")
                update(state, key, state="refused", error=str(exc))
                continue
            update(state, key, state="warming", warming_since=kst.now_utc().isoformat(timespec="seconds"))
            log(f"{key}: warming {len(names)} servers (workshop until {kst.shown(until)})")
            result = warm(api, names, content_dir, parallel, log)
            update(state, key, state="warm", **result)
        elif entry.get("state") in ("warm", "warming") and now < until:
            for name in entry.get("warmed", []):
                try:
                    done = keep_or_cull(api, name, entry["idle_minutes"], now, refresh_seconds)
                except RuntimeError as exc:  # one account (deleted, a hub hiccup) must not stop the others
                    done = f"{name}: {exc}"
                if done:
                    log(f"{key}: {done}")
        elif entry.get("state") in ("warm", "warming", "scheduled") and now >= until:
            stopped = []
            for name in entry.get("warmed", []):
                if (api.user(name) or {}).get("server") and not opened(api, name):
                    api.stop_server(name)
                    stopped.append(name)
            update(state, key, state="done", stopped_unused=stopped)
            log(f"{key}: workshop over; stopped {len(stopped)} servers nobody opened")


def main() -> int:
    from datalit.config import load_config
    from datalit.hub.api import HubAPI

    state = Path(os.environ["DATALIT_HUB_STATE_DIR"])
    cfg = load_config(state_dir=str(state))["hub"]
    content_dir = Path(cfg["content_dir"])  # the hub passes the one it resolved (datalit/hub/services.py)
    interval = float(cfg["prewarm_check_seconds"])
    while True:
        try:
            api = HubAPI.from_state(state)
            check_once(api, state, content_dir, int(cfg["prewarm_parallel"]),
                       log=lambda line: print(f"[workshop-prewarm] {line}", flush=True),
                       refresh_seconds=float(cfg["cull_idle_seconds"]) / 4)  # 4 refreshes per culler timeout
        except Exception as exc:  # noqa: BLE001 - keep the service alive through hub restarts
            print(f"[workshop-prewarm] check failed: {exc}", file=sys.stderr, flush=True)
        time.sleep(interval)


if __name__ == "__main__":
    sys.exit(main())
