"""The room at a glance: a workshop instructor's live page of one batch (issue #24).

* ``GET /hub/workshop/<batch>/room`` (:class:`RoomHandler`): each account of the batch -- logged in or not,
  its server's state, the lesson it is on and its last exercise check (passed or failed), in Korean and
  Korea time -- with a 서버 다시 시작 button per person.
* ``GET /hub/workshop/<batch>/room.json`` (:class:`RoomDataHandler`): the same rows; the page polls it every
  :data:`REFRESH_SECONDS` and rewrites them in place (no reload).
* ``POST /hub/workshop/<batch>/room/restart`` (:class:`RestartHandler`), form field ``user``: stops that
  person's server with the hub's own machinery and starts it again (or starts a stopped one).

Who: a hub admin, or a member of ``instructors-<tier>`` of the batch's tier -- the same people the learning
record lets see that tier's dashboard (datalit/progress/service.py). Identity and groups come from the hub's
login; a form field never names the caller. Everyone else, and every unknown batch, gets the same 404 (no
batch names are revealed); a restart names only an account of that batch. The pages are for the
instructor's browser: an API token (which may be a scoped-down one, like a server's) is refused, and the POST
carries the hub's XSRF token (JupyterHub checks it before the handler runs).

"Logged in" means the person reached their server through a hub login: a login session's OAuth token
exists and has not expired (:func:`datalit.hub.prewarm.opened` asks the same over the REST API; the
warm-up's own token has no session). The lesson and the last check come from the learning record
(``<state>/progress/events.jsonl``, datalit/progress/events.py), read in a worker thread, never on the
hub's event loop; lesson titles from ``courses/<tier>/course.yaml``. Registered by
datalit/hub/definition.py (page_handlers, the ``workshop_rooms`` template variable, the post-auth hook).
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from functools import lru_cache
from pathlib import Path

from jupyterhub.handlers.base import BaseHandler
from tornado import web

from datalit import kst
from datalit.hub import workshop
from datalit.hub.roles import TEACHING_GROUPS, TIER_NAMES

log = logging.getLogger("datalit.room")
REFRESH_SECONDS = 5
BATCH_RE = r"[0-9a-f]{4}"  # workshop.create_accounts: secrets.token_hex(2)
NOT_FOUND = "워크숍 묶음을 찾을 수 없습니다."
BROWSER_ONLY = "이 화면은 허브에 로그인한 브라우저에서만 열 수 있습니다 (API 토큰으로는 열 수 없습니다)."
SERVER_LABELS = {"running": "실행 중", "starting": "시작 중", "stopping": "정지 중", "stopped": "꺼짐",
                 "restarting": "다시 시작하는 중"}
_restarts: dict[str, asyncio.Task] = {}  # account -> its restart in progress (kept so it is not collected)
_logins: dict[str, dt.datetime] = {}  # account -> its last hub login since the hub started (UTC)


def remember_logins(previous=None):
    """``c.Authenticator.post_auth_hook``: PREVIOUS (if any), then the time of each successful login, so the room
    shows a person as logged in while their server is still starting (no OAuth token exists before it opens)."""
    async def hook(authenticator, handler, authentication):
        if callable(previous):
            authentication = previous(authenticator, handler, authentication)
            if asyncio.iscoroutine(authentication):
                authentication = await authentication
        if authentication:
            _logins[authentication["name"]] = kst.now_utc()
        return authentication
    return hook


def batches(accounts: dict) -> dict[str, dict]:
    """``{batch: {"tier", "names", "expires_at"}}`` of a workshop registry's accounts."""
    out: dict[str, dict] = {}
    for name, entry in sorted(accounts.items()):
        b = out.setdefault(entry["batch"], {"tier": entry["tier"], "names": [], "expires_at": entry["expires_at"]})
        b["names"].append(name)
    return out


def may_watch(user, tier: str) -> bool:
    """A hub admin, or an instructor of TIER (``instructors-<tier>``): who sees a batch of that tier."""
    return bool(user is not None and (user.admin or f"instructors-{tier}" in {g.name for g in user.groups}))


@lru_cache(maxsize=8)
def lesson_titles(tier: str) -> dict[str, str]:
    """Notebook stem -> its Korean title (course.yaml; no exercise module is imported into the hub)."""
    from datalit.lessons import courses

    manifest = courses.read_manifest(tier) or {}
    return {Path(item["file"]).stem: f"{int(item['number']):02d} {item['title']}" for item in manifest.get("lessons", [])}


def progress_of(state_dir, names: list[str]) -> dict[str, dict]:
    """Per account of NAMES: its current lesson (that of its newest event), its newest check and how many
    questions it has passed, from the learning record (a blocking read: call it in a thread)."""
    from datalit.progress import events

    wanted = set(names)
    out = {n: {"lesson": None, "tier": None, "check": None, "passed": set()} for n in names}
    for e in events.read(state_dir):
        if e["user"] not in wanted:
            continue
        row = out[e["user"]]
        row["lesson"], row["tier"] = e["lesson"], e["tier"]
        if e["kind"] == "check":
            row["check"] = e
            if e.get("ok") is True:
                row["passed"].add((e["lesson"], e["question"]))
    return out


def _logged_in(orm_user, now: dt.datetime) -> bool:
    """A hub login since the hub started, or a login session's OAuth token that has not expired."""
    from datalit.hub.prewarm import TOKEN_NOTE

    return orm_user.name in _logins or any(
        t.session_id and t.note != TOKEN_NOTE and (t.expires_at is None or kst.as_utc(t.expires_at) > now)
        for t in orm_user.api_tokens)


def server_state(user) -> str:
    if user.name in _restarts and not _restarts[user.name].done():
        return "restarting"
    spawner = user.spawners[""] if "" in user.spawners else None
    if spawner is None:
        return "stopped"
    if spawner.pending == "spawn":
        return "starting"
    if spawner.pending == "stop":
        return "stopping"
    return "running" if spawner.ready else "stopped"


def row(name: str, user, orm_user, progress: dict, now: dt.datetime) -> dict:
    """What the room shows of account NAME (everything a person reads already in Korean / KST); USER and ORM_USER
    are None for an account the hub has not made yet."""
    state = server_state(user) if user is not None else "stopped"
    logged_in = orm_user is not None and _logged_in(orm_user, now)
    started = user.spawners[""].orm_spawner.started if user is not None and "" in user.spawners else None
    check = progress["check"]
    lesson = progress["lesson"]
    title = lesson_titles(progress["tier"]).get(lesson, lesson) if lesson else None
    return {
        "name": name,
        "logged_in": logged_in, "login_label": ("로그인함" if logged_in else "아직 로그인 전") + (
            f" ({kst.shown(_logins[name])})" if logged_in and name in _logins else ""),
        "last_seen": kst.shown(orm_user.last_activity) if orm_user is not None and orm_user.last_activity else "-",
        "server": state, "server_label": SERVER_LABELS[state],
        "server_since": kst.shown(started) if started and state == "running" else "",
        "lesson": title or "아직 기록 없음",
        "check": None if check is None else {
            "ok": check.get("ok") is True, "label": "통과" if check.get("ok") is True else "틀림",
            "question": check["question"],  # its lesson only when not the one shown as the current lesson
            "lesson": "" if check["lesson"] == lesson else lesson_titles(check["tier"]).get(check["lesson"], check["lesson"]),
            "at": kst.shown(check["at"])},
        "passed": len(progress["passed"]),
        "restart_label": "서버 시작" if state == "stopped" else "서버 다시 시작",
        "restartable": state in ("running", "stopped"),
    }


class _RoomBase(BaseHandler):
    """The batch and its tier, or 404 for anyone who may not watch it; API tokens refused."""

    def initialize(self, state_dir: str):
        self.state_dir = state_dir

    def registry(self) -> dict:
        accounts_of = getattr(self.authenticator, "workshop_accounts", None)  # cached by the file's mtime
        return accounts_of() if accounts_of else workshop.load_registry(Path(self.state_dir))["accounts"]

    def batch(self, batch_id: str) -> dict:
        if getattr(self, "_token_authenticated", False):
            raise web.HTTPError(403, BROWSER_ONLY)
        found = batches(self.registry()).get(batch_id)
        if found is None or not may_watch(self.current_user, found["tier"]):
            raise web.HTTPError(404, NOT_FOUND)
        return found

    async def rows(self, found: dict) -> list[dict]:
        from jupyterhub import orm

        progress = await asyncio.to_thread(progress_of, self.state_dir, found["names"])
        now = kst.now_utc()
        out = []
        for name in found["names"]:
            orm_user = orm.User.find(self.db, name)
            out.append(row(name, self.users[orm_user] if orm_user is not None else None, orm_user, progress[name], now))
        return out

    def summary(self, batch_id: str, found: dict, rows: list[dict]) -> dict:
        return {"batch": batch_id, "tier": found["tier"], "course": f"{TIER_NAMES.get(found['tier'], found['tier'])} 과정",
                "expires": workshop.expiry_label(found), "count": len(rows),
                "logged_in": sum(r["logged_in"] for r in rows), "running": sum(r["server"] == "running" for r in rows),
                "updated": kst.shown(), "refresh_seconds": REFRESH_SECONDS}


class RoomHandler(_RoomBase):
    @web.authenticated
    async def get(self, batch_id):
        found = self.batch(batch_id)
        rows = await self.rows(found)
        restarted = self.get_argument("restarted", "")  # set by our redirect; anyone can put text in a link
        html = await self.render_template("workshop_room.html", room=self.summary(batch_id, found, rows), rows=rows,
                                          restarted=restarted if restarted in found["names"] else "",
                                          data_url=f"{self.hub.base_url}workshop/{batch_id}/room.json",
                                          restart_url=f"{self.hub.base_url}workshop/{batch_id}/room/restart")
        self.finish(html)


class RoomDataHandler(_RoomBase):
    def write_error(self, status_code, **kwargs):
        exc = kwargs.get("exc_info", (None, None, None))[1]
        message = getattr(exc, "log_message", None) or ("허브에 오류가 났습니다." if status_code >= 500 else NOT_FOUND)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": message}, ensure_ascii=False))

    @web.authenticated
    async def get(self, batch_id):
        found = self.batch(batch_id)
        rows = await self.rows(found)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({**self.summary(batch_id, found, rows), "rows": rows}, ensure_ascii=False))


class RestartHandler(_RoomBase):
    @web.authenticated
    async def post(self, batch_id):
        from jupyterhub import orm

        found = self.batch(batch_id)
        name = self.get_body_argument("user", "")
        orm_user = orm.User.find(self.db, name) if name in found["names"] else None
        if orm_user is None:  # not an account of this batch (or never made a hub user)
            raise web.HTTPError(404, "이 워크숍 묶음에 그런 계정이 없습니다.")
        user = self.users[orm_user]
        if server_state(user) not in ("running", "stopped"):
            raise web.HTTPError(409, f"{name}의 서버가 지금 시작하거나 정지하는 중입니다. 잠시 뒤 다시 누르세요.")
        log.info("workshop %s: %s's server restarted by %s", batch_id, name, self.current_user.name)
        _restarts[name] = asyncio.ensure_future(self._restart(user))
        self.redirect(f"{self.hub.base_url}workshop/{batch_id}/room?restarted={name}", status=303)

    async def _restart(self, user) -> None:
        """Stop (if running) and start USER's server as the hub's own API would; errors go to the hub's log."""
        spawner = user.spawners[""]
        try:
            if spawner.active:
                await self.stop_single_user(user, "")
                for _ in range(600):  # stop_single_user returns after slow_stop_timeout; wait for the real stop
                    if not spawner.pending and not spawner.active:
                        break
                    await asyncio.sleep(0.1)
            await self.spawn_single_user(user)
            if spawner._spawn_future is not None:  # a slow spawn goes on in the background: the room waits for it
                await spawner._spawn_future
        except Exception:  # noqa: BLE001 - shown as the server's state; the reason is in the hub's log
            log.exception("restart of %s's server failed", user.name)


def rooms_for(user) -> list[dict]:
    """The ``workshop_rooms`` template variable: the batches (not expired) USER may watch, for the home page."""
    accounts_of = getattr(getattr(user, "authenticator", None), "workshop_accounts", None)
    if user is None or accounts_of is None or not (user.admin or {g.name for g in user.groups} & TEACHING_GROUPS):
        return []
    return [{"batch": batch_id, "course": f"{TIER_NAMES.get(found['tier'], found['tier'])} 과정",
             "count": len(found["names"]), "expires": workshop.expiry_label(found)}
            for batch_id, found in sorted(batches(accounts_of()).items())
            if may_watch(user, found["tier"]) and not workshop.is_expired(found)]


def handlers(state_dir) -> list[tuple]:
    kw = {"state_dir": str(state_dir)}
    return [(rf"/workshop/({BATCH_RE})/room/?", RoomHandler, kw),
            (rf"/workshop/({BATCH_RE})/room\.json", RoomDataHandler, kw),
            (rf"/workshop/({BATCH_RE})/room/restart", RestartHandler, kw)]
