"""The hub's pages of a team snapshot (datalit/hub/snapshot.py): what 팀 서버 열기 shows instructors and admins
when every server shares the hub's origin (``hub.subdomain_host`` off, datalit/hub/origins.py).

* ``/hub/teams/<team>`` (datalit/hub/teamhub.py ``TeamServerHandler`` calls :func:`show`): the team's
  notebooks, each with its time in Korea time; the chosen one below, in an ``<iframe sandbox>``.
* ``/hub/teams/<team>/snapshot?path=<notebook>`` (:class:`SnapshotHandler`): that notebook as static,
  sanitised HTML under a CSP that forbids every script and gives the page an opaque origin.

Members of the team open the team server itself (it is theirs); so do instructors and admins once the
servers have their own origins.
"""
from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import quote

from jupyterhub.handlers.base import BaseHandler
from tornado import web

from datalit import kst
from datalit.hub import snapshot

log = logging.getLogger("datalit.teams")


def instead_of_server(handler, user, team) -> bool:
    """True when USER sees the snapshot rather than the live team server: not a member, one origin for all."""
    return not handler.settings.get("subdomain_host") and user.name not in team.members


def _group(team) -> str:
    from datalit.labs.teams import group_name

    return group_name(team.id)


async def show(handler, team, folder) -> None:
    """The snapshot page of TEAM, whose folder is FOLDER (the caller, teamhub, checked who may see it)."""
    group = _group(team)
    chosen = handler.get_argument("path", "")
    error, listing = None, {"notebooks": [], "left_out": 0}
    try:
        listing = await snapshot.notebooks(folder, group)
        if chosen:
            snapshot.safe_relative(chosen)
            if chosen not in {n["path"] for n in listing["notebooks"]}:
                raise snapshot.SnapshotError("그 노트북은 팀 폴더에 없습니다.")
    except snapshot.SnapshotError as exc:
        error, chosen = str(exc), ""
    base = f"{handler.hub.base_url}teams/{team.id}"
    rows = [{"path": n["path"], "url": f"{base}?path={quote(n['path'])}",
             "when": kst.shown(dt.datetime.fromtimestamp(n["mtime"], kst.UTC)),
             "kb": max(1, n["size"] // 1024), "chosen": n["path"] == chosen} for n in listing["notebooks"]]
    log.info("team %s: snapshot shown to %s (%s)", team.id, handler.current_user.name, chosen or "list")
    html = await handler.render_template(
        "team_snapshot.html", team=team, notebooks=rows, left_out=listing["left_out"], error=error,
        chosen=chosen, frame_url=f"{base}/snapshot?path={quote(chosen)}" if chosen else "",
        taken=kst.shown())
    handler.finish(html)


class SnapshotHandler(BaseHandler):
    """``GET /hub/teams/<team>/snapshot?path=``: one notebook, static and script-free.

    The team directory and the access rule come from datalit/hub/teamhub.py, which registers this page
    (:func:`handlers`): this module does not import teamhub, which shows its pages."""

    def initialize(self, directory, may_open):
        self.directory, self.may_open = directory, may_open

    @property
    def content_security_policy(self) -> str:
        return snapshot.CSP

    @web.authenticated
    async def get(self, team_id):
        user = self.current_user
        teams = self.directory()
        team = teams.team(team_id)
        if team is None or not self.may_open(user, team):
            raise web.HTTPError(404, "팀을 찾을 수 없습니다.")
        folder, group = teams.folder(team), _group(team)
        try:
            html = await snapshot.notebook_html(folder, group, self.get_argument("path", ""))
        except snapshot.SnapshotError as exc:
            raise web.HTTPError(400, str(exc)) from None
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "no-store")
        self.finish(html)


def handlers(directory, may_open) -> list[tuple]:
    """The snapshot page, given teamhub's DIRECTORY (a function: the team directory now) and MAY_OPEN rule."""
    return [(r"/teams/([A-Za-z0-9][A-Za-z0-9_-]{0,31})/snapshot", SnapshotHandler,
             {"directory": directory, "may_open": may_open})]
