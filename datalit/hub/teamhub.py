"""The hub's side of team servers (datalit/hub/teamserver.py): the 팀 서버 열기 page, the shares, the home page.

* ``/hub/teams/<team>`` (``TeamServerHandler``): a member of the team (by the roster), an instructor of
  one of its lab tiers or a hub admin opens it; the team server is started if it is not running (as
  the team's hub user, whatever the clicker's own rights) and the person is sent to its JupyterLab.
  Without subdomains (``hub.subdomain_host`` off: one origin for all servers) instructors and admins who
  are not members get a read-only snapshot of the team's notebooks instead and never load the live server
  (datalit/hub/snapshot_pages.py), and only members get shares. Anyone else gets 404 (no team names are revealed). Registered with ``c.JupyterHub.extra_handlers``.
* Shares (JupyterHub 5 sharing, ``orm.Share``): the team server is shared with each member and each
  member of ``instructors-<tier>`` of its labs (user shares: JupyterHub 5.5.4 does not carry group
  shares into OAuth tokens), nothing else; every other share of it is deleted. Kept equal to the roster
  on every open, every home page, every 30 s and when ``datalit team import`` asks
  (``POST /hub/api/datalit/teams/sync``). Whoever loses a share loses it at once: their OAuth tokens for
  the team server go with the share, the team server restarts (websockets closed, kernels gone) and a
  personal server still carrying the team's unix group is stopped (datalit/hub/membership.py).
* ``team_list`` (a ``template_vars`` callable): a member's teams with a 팀 서버 열기 button; an
  instructor's teams of their tiers (admins: all) with each server's state and each member's
  contribution (cells executed, active minutes, submissions), in Korea time. Members never see these.
* ``NoConfirmTeamClients``: the OAuth client of a team server needs no 'authorize access' click
  (the share is the permission; this only skips the confirmation page).
"""
from __future__ import annotations

import asyncio
import logging

from jupyterhub import orm
from jupyterhub import roles as hub_roles
from jupyterhub.handlers.base import BaseHandler
from tornado import web

from datalit import kst
from datalit.hub import membership, snapshot_pages, teamserver, uids

log = logging.getLogger("datalit.teams")
SYNC_SECONDS = membership.SYNC_SECONDS
# the same for everyone who may not open it (no team names revealed), a removed member included
NOT_FOUND = "팀을 찾을 수 없습니다. 팀이 바뀌었다면 홈 화면에서 새 팀의 '팀 서버 열기'를 누르세요."
_state: dict = {"directory": None, "loop": None}


def configure(state_dir: str) -> None:
    _state["directory"] = teamserver.Directory(state_dir)
    membership.configure(state_dir)


def directory() -> teamserver.Directory:
    if _state["directory"] is None:
        _state["directory"] = teamserver.Directory()
    return _state["directory"]


class NoConfirmTeamClients(set):
    """``oauth_no_confirm_list``: also every team server's OAuth client (``jupyterhub-user-dlteam-…``)."""

    def __contains__(self, client_id) -> bool:
        return super().__contains__(client_id) or str(client_id).startswith(f"jupyterhub-user-{uids.TEAM_PREFIX}")


def may_open(user, team: teamserver.Team) -> bool:
    groups = {g.name for g in user.groups}
    return bool(user.admin or user.name in team.members or {f"instructors-{t}" for t in team.tiers} & groups)


# ---- shares ------------------------------------------------------------------------------------------
def sync_team(db, users, team: teamserver.Team):
    """The team's hub user (made if missing) with shares equal to the roster; returns its User."""
    orm_user = orm.User.find(db, team.account)
    if orm_user is None:
        orm_user = orm.User(name=team.account)
        db.add(orm_user)
        db.commit()
        hub_roles.assign_default_roles(db, entity=orm_user)
        log.info("team %s: hub user %s created", team.id, team.account)
    tuser = users[orm_user]
    spawner = tuser.spawners[""]
    orm_spawner = spawner.orm_spawner
    # instructors by name, not by a group share: JupyterHub 5.5.4 adds only a token owner's *user* shares
    # to the token's permissions (scopes.get_scopes_for), so a group share never reaches the OAuth token
    # the team server checks (measured: 403 for an instructor with a group share)
    people = set(team.members)
    # instructors only where the team server has an origin of its own (datalit/hub/origins.py); on the
    # hub's origin they see a snapshot instead (datalit/hub/snapshot_pages.py) and get no share to load it
    for t in sorted(team.tiers) if (getattr(users, "settings", None) or {}).get("subdomain_host") else ():
        group = orm.Group.find(db, f"instructors-{t}")
        people.update(u.name for u in (group.users if group else []))
    want_users = {u.id: u for u in (orm.User.find(db, m) for m in sorted(people)) if u is not None}
    changed = False
    for share in db.query(orm.Share).filter(orm.Share.spawner_id == orm_spawner.id).all():
        if share.user_id in want_users:  # kept (a group share never is: see above)
            want_users.pop(share.user_id)
        else:
            log.info("team %s: share with %s revoked", team.id, share.user.name if share.user else share.group.name)
            _revoke(db, share, spawner.oauth_client_id, team.id, team.account)
            changed = True
    if changed:
        db.commit()
    for who in want_users.values():
        orm.Share.grant(db, orm_spawner, who)
    return tuser


def _revoke(db, share, client_id: str, team_id: str | None, account: str) -> None:
    """Delete SHARE with its person's OAuth tokens for the team server; membership restarts what must be."""
    if share.user is not None:
        n = membership.revoke_tokens(db, share.user, client_id)
        log.info("team server %s: %d OAuth tokens of %s deleted", account, n, share.user.name)
        membership.lost_access(team_id, account, share.user.name)
    db.delete(share)


def sync_all(db, users) -> None:
    teams = directory().teams()
    for team in teams.values():
        try:
            sync_team(db, users, team)
        except Exception:  # noqa: BLE001 - one broken team must not stop the others
            log.exception("team %s: sync failed", team.id)
    # team hub users whose team left the roster: no shares at all
    accounts = {t.account for t in teams.values()}
    for orm_user in db.query(orm.User).filter(orm.User.name.like(f"{uids.TEAM_PREFIX}%")).all():
        if orm_user.name not in accounts:
            for sp in orm_user.orm_spawners.values():
                for share in db.query(orm.Share).filter(orm.Share.spawner_id == sp.id).all():
                    log.info("team server %s (no team any more): share with %s revoked", orm_user.name,
                             share.user.name if share.user else share.group.name)
                    _revoke(db, share, users[orm_user].spawners[sp.name].oauth_client_id, None, orm_user.name)
            db.commit()


def ensure_background_sync(db, users, hub) -> None:
    """Start (once per hub process) the loop that keeps the shares equal to the roster and acts on who
    lost one; HUB (``settings["hub"]``) tells membership where the hub's API is."""
    membership.use_hub(hub)
    if _state["loop"] is not None:
        membership.schedule(db)
        return

    async def loop():
        while True:
            try:
                sync_all(db, users)
                await membership.settle(membership.people_to_check(db))
            except Exception:  # noqa: BLE001
                log.exception("team sync failed")
            await asyncio.sleep(SYNC_SECONDS)

    _state["loop"] = asyncio.ensure_future(loop())


# ---- pages -------------------------------------------------------------------------------------------
def server_state(tuser) -> dict:
    spawner = tuser.spawners[""]
    if spawner.ready:
        label, code = "실행 중", "running"
    elif spawner.pending:
        label, code = "시작 중", "pending"
    else:
        label, code = "중지됨", "stopped"
    last = tuser.orm_user.last_activity
    return {"state": code, "state_label": label, "last_activity": kst.shown(last) if last else "-"}


def team_list(user) -> dict:
    """``teams`` template variable: ``{"mine": [...], "taught": [...]}`` for USER's home page."""
    if user is None:
        return {"mine": [], "taught": []}
    d = directory()
    users = user.settings["users"]
    ensure_background_sync(user.db, users, user.settings["hub"])
    groups = {g.name for g in user.groups}
    teaching = user.admin or any(g.startswith("instructors") for g in groups)

    def row(team):
        tuser = sync_team(user.db, users, team)
        return {"id": team.id, "members": sorted(team.members), "labs": sorted(team.labs),
                "url": f"{user.settings['hub'].base_url}teams/{team.id}", **server_state(tuser)}

    mine = [row(t) for t in d.of_member(user.name)]
    taught_teams = d.for_instructor(groups, user.admin) if teaching else []
    figures = contributions(d, taught_teams)
    taught = [{**row(t), "contribution": figures[t.id]} for t in taught_teams]
    membership.schedule(user.db)  # what these syncs revoked takes effect now
    return {"mine": mine, "taught": taught}


CONTRIBUTION_WAIT_SECONDS = 0.5  # the most one home page waits for figures that are being read
_contrib: dict = {"pool": None, "futures": {}}  # team id -> Future of its rows (the newest read)


def contributions(d: teamserver.Directory, teams) -> dict[str, list[dict]]:
    """Per team, :func:`contribution` read in a worker thread, never in the hub's event loop (attack F2: a
    112 MB activity file froze every request for 19 s). The page waits at most CONTRIBUTION_WAIT_SECONDS
    in all; a team still being read shows its previous figures, or its members with 집계 중."""
    import concurrent.futures as cf

    if _contrib["pool"] is None:
        _contrib["pool"] = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="datalit-contribution")
    futures = {}
    for team in teams:
        old = _contrib["futures"].get(team.id)
        if old is None or old.done():  # the read is cached by file mtime+size (activity._fold): cheap if unchanged
            new = _contrib["pool"].submit(contribution, d, team)
            futures[team.id] = (new, old)
            _contrib["futures"][team.id] = new
        else:
            futures[team.id] = (old, None)
    cf.wait([f for f, _ in futures.values()], timeout=CONTRIBUTION_WAIT_SECONDS)
    out = {}
    for team in teams:
        new, old = futures[team.id]
        if new.done():
            out[team.id] = new.result()
        elif old is not None and old.done():
            out[team.id] = old.result()
        else:
            out[team.id] = [{"member": m, "edited": "…", "executed": "…", "active_minutes": "…", "submissions": "…",
                             "last_active": "집계 중"} for m in sorted(team.members)]
    return out


def contribution(d: teamserver.Directory, team: teamserver.Team) -> list[dict]:
    """Per member, from the exchange's record (datalit/exchange/activity.py): only instructors' rows call it,
    through :func:`contributions` (a worker thread)."""
    from datalit.exchange import activity
    from datalit.exchange.store import Store

    try:
        store = Store(d.path.parent.parent, d.cfg["course_id"])
        rows = activity.summary(store, team.id, sorted(team.members), sorted(team.labs))
    except Exception:  # noqa: BLE001 - the page still shows the teams
        log.exception("team %s: contribution not readable", team.id)
        return []
    return [{**r, "last_active": kst.shown(r["last_active"]) if r["last_active"] else "-"} for r in rows]


class TeamServerHandler(BaseHandler):
    """``GET /hub/teams/<team>``: start the team server if needed and go to its JupyterLab."""

    @web.authenticated
    async def get(self, team_id):
        user = self.current_user
        team = directory().team(team_id)
        if team is None or not may_open(user, team):
            raise web.HTTPError(404, NOT_FOUND)
        tuser = sync_team(self.db, self.users, team)
        ensure_background_sync(self.db, self.users, self.hub)
        if snapshot_pages.instead_of_server(self, user, team):  # one origin: never the live server
            return await snapshot_pages.show(self, team, directory().folder(team))
        spawner = tuser.spawners[""]
        lab_url = tuser.server_url("") + "lab"
        if spawner.ready:
            return self.redirect(lab_url)
        error = None
        if not spawner.active:
            log.info("team %s: server started by %s", team.id, user.name)
            try:
                await self.spawn_single_user(tuser)
            except Exception as exc:  # noqa: BLE001 - shown to the member in Korean
                log.exception("team %s: server failed to start", team.id)
                error = str(getattr(exc, "log_message", None) or exc)
        if spawner.ready and error is None:
            return self.redirect(lab_url)
        html = await self.render_template("team_pending.html", team=team, error=error,
                                          restarted=membership.recently_restarted(team.id),
                                          retry_url=f"{self.hub.base_url}teams/{team.id}")
        self.finish(html)


def handlers() -> list[tuple]:
    return [(r"/teams/([A-Za-z0-9][A-Za-z0-9_-]{0,31})/?", TeamServerHandler),
            *snapshot_pages.handlers(directory, may_open),
            (r"/api/datalit/teams/sync", membership.sync_handler_class(sync_all))]
