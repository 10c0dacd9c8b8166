"""Leaving a team takes effect at once: what follows when someone loses a team server's share.

Deleting the share (datalit/hub/teamhub.py) is not enough on its own: the team server caches a token's
permissions (30 s, hub_config/user_server/team), a browser's cookie holds its OAuth token, open kernel and collaboration websockets are never re-checked, and the
removed member's personal server keeps the team's unix group (supplementary groups are fixed when a
process starts) and can still write into the team folder. So, for every share revoked:

* every OAuth token the person holds for that team server (its OAuth client ``jupyterhub-user-<account>``)
  is deleted at once, in the same transaction as the share;
* the team server is restarted (stop, then start, through the hub's own REST API with the datalit-cli
  service token; whatever still runs as the team after ``TEAM_STOP_GRACE_SECONDS`` is killed): that
  closes every websocket, kills every kernel and empties its token cache; the other members reconnect
  (the team page says why, in Korean). Edits of the last second in a shared notebook may be lost;
* every person's server whose processes carry a team group they no longer belong to (``/proc/<pid>/status``
  against ``/etc/group``) is stopped (started again on their next visit), and any process of theirs that
  still carries it afterwards is killed.

Who triggers it: ``datalit team import`` right after it changed the groups (``POST
/hub/api/datalit/teams/sync``, scope ``admin:servers``), and the hub's 30-second sync, which finds the same
revoked shares when the roster file changed by other means. The share table is the record of who had
access, so a change made while the hub was down is caught at its first sync. The unix groups themselves
change only in ``datalit team import`` (datalit/labs/teams.py); this module only acts on them.
"""
from __future__ import annotations

import asyncio
import grp
import json
import logging
import os
import pwd
import signal
import time
from pathlib import Path

from datalit.hub import uids

log = logging.getLogger("datalit.teams")
SYNC_SECONDS = 30  # how often the hub applies the roster anyway (datalit/hub/teamhub.py's background sync)
RESTART_NOTICE_SECONDS = 600  # how long the team page says the server was restarted for a membership change
STOP_WAIT_SECONDS = 60
# a team server left to stop on its own shuts its kernels down first, with its websockets open, for 10-20 s
# on a loaded machine (measured): after this grace whatever still runs as the team is killed
TEAM_STOP_GRACE_SECONDS = 3
_state: dict = {"teams": {}, "lock": None, "task": None, "api": None, "restarted": {}, "state_dir": None}


def configure(state_dir: str) -> None:
    _state["state_dir"] = state_dir


# ---- what sync_team found ------------------------------------------------------------------------
def revoke_tokens(db, member, client_id: str) -> int:
    """Delete MEMBER's OAuth tokens for the team server's client (no commit: the share goes with them)."""
    from jupyterhub import orm

    tokens = db.query(orm.APIToken).filter(orm.APIToken.user_id == member.id,
                                           orm.APIToken.client_id == client_id).all()
    for token in tokens:
        db.delete(token)
    return len(tokens)


def lost_access(team_id: str | None, account: str, who: str) -> None:
    """Record that WHO lost the team server ACCOUNT (TEAM_ID None: the team left the roster)."""
    _state["teams"].setdefault(account, {"team": team_id, "people": set()})["people"].add(who)


def recently_restarted(team_id: str) -> bool:
    """True while the team page should say the server restarted because the team changed."""
    return time.time() - _state["restarted"].get(team_id, 0) < RESTART_NOTICE_SECONDS


# ---- processes that keep a team group they lost ------------------------------------------------------
def _proc_ids(status: str) -> tuple[set[int], set[int]]:
    """The uids and gids of a process from its /proc status (none for a zombie: it runs nothing any more)."""
    uid_set, gid_set = set(), set()
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key == "State" and value.split()[:1] == ["Z"]:
            return set(), set()
        if key == "Uid":
            uid_set.update(int(v) for v in value.split())
        elif key in ("Gid", "Groups"):
            gid_set.update(int(v) for v in value.split())
    return uid_set, gid_set


def _is_team_gid(gid: int) -> bool:
    """A team group (``dlteam-…``), or a gid no group has any more (a deleted team's: it may be reused)."""
    from datalit.labs.teams import GROUP_PREFIX

    try:
        return grp.getgrgid(gid).gr_name.startswith(GROUP_PREFIX)
    except KeyError:
        return True


def _allowed(names: set[str]) -> dict[int, tuple[str, set[int]]]:
    """uid -> (name, the groups the person has now) for the people's accounts among NAMES."""
    accounts = {}
    for name in names:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        if uids.is_person_uid(entry.pw_uid):
            accounts[entry.pw_uid] = (name, set(os.getgrouplist(name, entry.pw_gid)))
    return accounts


def _stale(pid: int, accounts: dict) -> tuple[str, set[int]] | None:
    """(name, lost team gids) if process PID belongs to one of ACCOUNTS and carries a team group they lost."""
    try:
        uid_set, gid_set = _proc_ids(Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return None  # gone meanwhile
    for uid in uid_set & accounts.keys():
        name, allowed = accounts[uid]
        lost = {g for g in gid_set - allowed if _is_team_gid(g)}
        if lost:
            return name, lost
    return None


def stale_processes(names: set[str]) -> dict[str, dict[int, set[int]]]:
    """For each person in NAMES: {pid: team gids it carries but the person no longer has}."""
    accounts = _allowed(names)
    found: dict[str, dict[int, set[int]]] = {}
    if accounts:
        for pid_dir in Path("/proc").iterdir():
            hit = _stale(int(pid_dir.name), accounts) if pid_dir.name.isdigit() else None
            if hit:
                found.setdefault(hit[0], {})[int(pid_dir.name)] = hit[1]
    return found


def kill_stale(names: set[str]) -> list[int]:
    """SIGKILL every process of NAMES that still carries a lost team group (checked again through a pidfd,
    so a pid reused meanwhile is never hit)."""
    accounts = _allowed(names)
    killed = []
    for name, procs in stale_processes(names).items():
        for pid in procs:
            try:
                fd = os.pidfd_open(pid)
            except OSError:
                continue
            try:
                if _stale(pid, accounts):
                    signal.pidfd_send_signal(fd, signal.SIGKILL)
                    killed.append(pid)
                    log.warning("process %d of %s killed: it kept a team group they lost", pid, name)
            except OSError:
                pass
            finally:
                os.close(fd)
    return killed


def kill_team_account(account: str) -> list[int]:
    """SIGKILL every process of a team-server account (its server, kernels, terminals; never another uid)."""
    try:
        uid = pwd.getpwnam(account).pw_uid
    except KeyError:
        return []
    if not (uids.is_team_uid(uid) and uids.is_team_name(account)):
        return []
    killed = []
    for pid_dir in Path("/proc").iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            fd = os.pidfd_open(int(pid_dir.name))
        except OSError:
            continue
        try:
            if uid in _proc_ids(Path(f"/proc/{pid_dir.name}/status").read_text())[0]:
                signal.pidfd_send_signal(fd, signal.SIGKILL)
                killed.append(int(pid_dir.name))
        except OSError:
            pass
        finally:
            os.close(fd)
    return killed


# ---- stopping and starting through the hub's API -----------------------------------------------------
class HubCalls:
    """The hub's own REST API (datalit-cli service token), from inside the hub: the same stop and start
    as an admin's, with the proxy, the spawner's pending states and the events all handled by JupyterHub."""

    def __init__(self, api_url: str, token: str):
        self.api_url, self.token = api_url.rstrip("/"), token

    async def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        from tornado.httpclient import AsyncHTTPClient, HTTPRequest

        req = HTTPRequest(self.api_url + path, method=method, request_timeout=STOP_WAIT_SECONDS,
                          headers={"Authorization": f"token {self.token}"},
                          body=json.dumps(body) if body is not None else (b"" if method == "POST" else None),
                          allow_nonstandard_methods=True)
        resp = await AsyncHTTPClient().fetch(req, raise_error=False)
        try:
            data = json.loads(resp.body) if resp.body else {}
        except ValueError:
            data = {}
        return resp.code, data if isinstance(data, dict) else {}

    async def running(self, name: str) -> dict:
        """NAME's servers that are running or starting or stopping: {server name: model}."""
        code, model = await self.call("GET", f"/users/{name}")
        return model.get("servers", {}) if code == 200 else {}

    async def stop(self, name: str, server: str = "") -> bool:
        """Stop NAME's SERVER and wait until it is gone; True if it was running (or starting)."""
        if server not in await self.running(name):
            return False
        path = f"/users/{name}/servers/{server}" if server else f"/users/{name}/server"
        code, _ = await self.call("DELETE", path)
        if code not in (202, 204):
            log.error("server %r of %s could not be stopped: HTTP %s", server, name, code)
            return False
        deadline = time.monotonic() + STOP_WAIT_SECONDS
        while server in await self.running(name) and time.monotonic() < deadline:
            await asyncio.sleep(0.3)
        return True

    async def start(self, name: str) -> int:
        code, _ = await self.call("POST", f"/users/{name}/server")
        return code


def use_hub(hub) -> None:
    """Where the hub's API is (HUB: the app's ``settings["hub"]``) and the datalit-cli token, once known."""
    if _state["api"] is None and _state["state_dir"]:
        token = (Path(_state["state_dir"]) / "api_token").read_text().strip()
        _state["api"] = HubCalls(hub.api_url, token)


async def settle(everyone: set[str]) -> dict:
    """Act on what the syncs recorded: restart the team servers people lost, stop every server of EVERYONE
    (the hub's people) that carries a team group its person lost, kill what still carries one. One at a time."""
    if _state["lock"] is None:
        _state["lock"] = asyncio.Lock()
    async with _state["lock"]:
        api: HubCalls | None = _state["api"]
        if api is None:
            log.error("team sync: the hub's API is not known yet; servers are not restarted")
        report = {"revoked": {}, "restarted": [], "stopped": [], "killed": []}
        pending, _state["teams"] = _state["teams"], {}
        stale = await asyncio.to_thread(stale_processes, everyone)
        servers = {name: await api.running(name) for name in sorted(stale)} if api is not None else {}
        # all at once: a server takes seconds to stop (its kernels shut down first), and until it has
        # stopped its websockets are open
        team_stops = [_stop_team(api, account) if api is not None else _false() for account in pending]
        person_stops = [(name, server) for name in servers for server in sorted(servers[name])]
        done = await asyncio.gather(*team_stops, *(api.stop(n, sv) for n, sv in person_stops),
                                    return_exceptions=True)
        for failed in (d for d in done if isinstance(d, BaseException)):
            log.error("team sync: a server could not be stopped: %r", failed)
        done = [d is True for d in done]
        restart = []
        for (account, lost), stopped in zip(pending.items(), done):
            report["revoked"][lost["team"] or account] = sorted(lost["people"])
            if stopped:
                log.info("team server %s stopped: %s lost access", account, ", ".join(sorted(lost["people"])))
                if lost["team"] is not None:
                    restart.append((account, lost["team"]))
        for (name, server), stopped in zip(person_stops, done[len(team_stops):]):
            if stopped:
                log.warning("server %r of %s stopped: it kept a team group they lost", server, name)
                report["stopped"].append(f"{name}/{server}" if server else name)
        if stale:
            report["killed"] = await asyncio.to_thread(kill_stale, set(stale))
        for account, team_id in restart:
            _state["restarted"][team_id] = time.time()
            report["restarted"].append(team_id)
            asyncio.ensure_future(_start(api, account, team_id))
        return report


async def _stop_team(api: HubCalls, account: str) -> bool:
    """The hub's stop of a team server, and after a short grace a kill of what still runs as the team."""
    stopping = asyncio.ensure_future(api.stop(account))
    finished, _ = await asyncio.wait({stopping}, timeout=TEAM_STOP_GRACE_SECONDS)
    if not finished:
        killed = await asyncio.to_thread(kill_team_account, account)
        log.warning("team server %s still stopping after %d s: %d processes killed", account,
                    TEAM_STOP_GRACE_SECONDS, len(killed))
    return await stopping


async def _false() -> bool:
    return False


async def _start(api: HubCalls, account: str, team_id: str) -> None:
    try:
        code = await api.start(account)
    except Exception as exc:  # noqa: BLE001 - a member's next 팀 서버 열기 starts it anyway
        log.error("team server %s (team %s) did not start again: %r", account, team_id, exc)
        return
    if code in (201, 202):
        log.info("team server %s (team %s) started again after a membership change", account, team_id)
    elif code != 400:  # 400: already started (a member opened the team page meanwhile)
        log.error("team server %s (team %s) did not start again: HTTP %s", account, team_id, code)


def schedule(db) -> None:
    """From a synchronous caller (the home page, the team page): settle soon if a sync revoked something
    (one such task at a time; the lock in settle keeps one settle at a time)."""
    async def until_settled():
        while _state["teams"]:
            await settle(people_to_check(db))

    if _state["teams"] and (_state["task"] is None or _state["task"].done()):
        _state["task"] = asyncio.ensure_future(until_settled())


def people_to_check(db) -> set[str]:
    """People whose processes are looked at: everyone with a server, and everyone who just lost a team."""
    from jupyterhub import orm

    names = {u.name for u in db.query(orm.User).join(orm.Spawner).filter(orm.Spawner.server_id.isnot(None))}
    for lost in _state["teams"].values():
        names.update(lost["people"])
    return {n for n in names if not uids.is_team_name(n)}


# ---- the CLI's way in --------------------------------------------------------------------------------
def sync_handler_class(sync_all):
    """``POST /hub/api/datalit/teams/sync`` (admin:servers): SYNC_ALL(db, users) now, then settle; the report."""
    from jupyterhub.apihandlers.base import APIHandler
    from jupyterhub.scopes import needs_scope
    from tornado import web

    class TeamSyncAPIHandler(APIHandler):
        @needs_scope("admin:servers")
        async def post(self):
            use_hub(self.hub)
            t0 = time.monotonic()
            try:
                sync_all(self.db, self.users)
                report = await settle(people_to_check(self.db))
            except Exception as exc:  # noqa: BLE001 - the CLI gets a message, the 30 s sync tries again
                self.log.exception("team sync failed")
                raise web.HTTPError(503, f"team sync failed ({exc!r}); the hub retries every 30 s") from None
            report["seconds"] = round(time.monotonic() - t0, 1)
            self.log.info("team sync by %s: %s", getattr(self.current_user, "name", "?"), report)
            self.finish(json.dumps(report, ensure_ascii=False))

    return TeamSyncAPIHandler


def tell_hub(state: Path | None = None) -> str:
    """``datalit team import``: the hub of STATE (the command's hub) acts on the new roster now (one line
    for the instructor)."""
    from datalit.hub.api import HubAPI, HubUnavailable
    from datalit.hub.state import NoHubRunning, find_hub_state

    import requests

    try:
        api = HubAPI.from_state(find_hub_state(state))
        api.timeout = 4 * STOP_WAIT_SECONDS  # it waits for the servers to stop
        report = api.request("POST", "/datalit/teams/sync")
    except (NoHubRunning, HubUnavailable, RuntimeError, OSError, requests.RequestException) as exc:
        return (f"WARNING: hub not told ({exc}); a running hub applies the roster at its next team sync "
                f"(every {SYNC_SECONDS} s)")
    lines = [f"hub: {team}: access removed for {', '.join(people)}" for team, people in report["revoked"].items()]
    lines += [f"hub: team server {t} restarted" for t in report["restarted"]]
    lines += [f"hub: server of {s} stopped (it kept a team group)" for s in report["stopped"]]
    return "\n".join(lines or ["hub: no one lost access"]) + f" (hub: {report.get('seconds', '?')} s)"
