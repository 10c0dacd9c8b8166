"""The ``datalit-exchange`` hub service: release, fetch, submit, list and feedback over HTTP.

Run by the hub (``c.JupyterHub.services``) as ``python -m datalit.exchange.service``. Every request
carries a hub token (a learner's server token, an instructor's, or the datalit-cli service's); the
caller's name and groups come from the hub (``HubAuthenticated``), never from the request. The
store (:mod:`datalit.exchange.store`) is root-owned and only this process and root commands touch
it, so user servers share no filesystem with each other or with the grader (the same service works
for one machine and for Kubernetes).

Learners:   GET  api/labs                             released labs (due shown in Korea time)
            GET  api/labs/<lab>                       the released files
            POST api/labs/<lab>/submissions           submit for one's team ({files, confirm})
            GET  api/labs/<lab>/submissions           the team's submissions (who, when, graded one)
            GET  api/labs/<lab>/submissions/<id>/feedback
Instructors (admins, teaching groups, the datalit-cli service):
            PUT  api/labs/<lab>                       release ({files, due})
            PUT  api/roster                           the teams ({roster})
            GET  api/labs/<lab>/all                   every submission of every team
            GET  api/labs/<lab>/teams/<team>/<id>     one submission's files
            PUT  api/labs/<lab>/teams/<team>/<id>/feedback
            GET  api/activity/<team>                  who did what on the team server (per member)
Team servers (their hub user names the team, datalit/hub/teamserver.py):
            POST api/labs/<lab>/submissions           the team's submission, {member} = who clicked (a member)
            POST api/activity                         per-member counts (datalit/hub/teamlog.py)
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from tornado import ioloop, web

from datalit.exchange import activity, policy
from datalit.exchange.store import Store, StoreError, read_tree, write_tree
from datalit.kst import shown

NAME = "datalit-exchange"
NAME_RE = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"


def encode(files: dict[str, bytes]) -> dict[str, str]:
    return {n: base64.b64encode(c).decode("ascii") for n, c in files.items()}


def decode(files: dict) -> dict[str, bytes]:
    if not isinstance(files, dict):
        raise StoreError("files must be a mapping of names to base64 contents")
    try:
        return {str(n): base64.b64decode(c, validate=True) for n, c in files.items()}
    except (TypeError, ValueError) as exc:
        raise StoreError(f"invalid file content: {exc}") from None


def team_of_server(store: Store, lab: str, who: str) -> str | None:
    """The team whose team server's hub user is WHO (datalit/hub/teamserver.py), for LAB; else None."""
    from datalit.hub.teamserver import account_name
    from datalit.hub.uids import is_team_name

    if not is_team_name(who):
        return None
    return next((t for t in store.roster().get(lab, {}) if account_name(t) == who), None)


def team_of_server_any(store: Store, who: str) -> str | None:
    """The team (in any lab of the roster) whose team server's hub user is WHO; else None."""
    return next((t for lab in store.roster() if (t := team_of_server(store, lab, who))), None)


def team_view(store: Store, lab: str, team: str) -> list[dict]:
    """The team's submissions as every member sees them: who, when (KST), which one is graded."""
    subs = store.submissions(lab, team)
    out = []
    for i, s in enumerate(subs):
        fb = store.feedback(lab, team, s["id"])
        out.append({"id": s["id"], "member": s["member"], "timestamp": s["timestamp"],
                    "nbgrader_timestamp": s["nbgrader_timestamp"], "shown": shown(s["timestamp"]),
                    "graded": i == len(subs) - 1, "feedback": sorted(fb),
                    "feedback_digest": {n: hashlib.sha256(c).hexdigest() for n, c in fb.items()}})
    return out


def _handler_base():
    from jupyterhub.services.auth import HubAuthenticated

    class Base(HubAuthenticated, web.RequestHandler):
        def initialize(self, store: Store, max_file_bytes: int):
            self.store, self.max_file_bytes = store, max_file_bytes

        def check_xsrf_cookie(self):  # token-authenticated API, no cookies
            return

        @property
        def who(self) -> str:
            return self.current_user["name"]

        def is_instructor(self) -> bool:
            from datalit.hub.roles import CLI_SERVICE, TEACHING_GROUPS

            u = self.current_user
            if u.get("kind") == "service":
                return u.get("name") == CLI_SERVICE
            return bool(u.get("admin") or set(u.get("groups") or ()) & TEACHING_GROUPS)

        def require_instructor(self):
            if not self.is_instructor():
                raise web.HTTPError(403, "instructors only")

        def body(self) -> dict:
            try:
                data = json.loads(self.request.body or b"{}")
            except ValueError:
                raise web.HTTPError(400, "the body must be JSON") from None
            if not isinstance(data, dict):
                raise web.HTTPError(400, "the body must be a JSON object")
            return data

        def send(self, data, status: int = 200):
            self.set_status(status)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps(data, ensure_ascii=False))

        def write_error(self, status_code, **kw):
            exc = kw.get("exc_info", (None, None))[1]
            message = getattr(exc, "log_message", None) or self._reason
            self.send({"error": message}, status_code)

        def team(self, lab: str) -> str:
            team = self.store.team_of(lab, self.who) or team_of_server(self.store, lab, self.who)
            if team is None:
                raise web.HTTPError(404, f"{self.who} is in no team of {lab}")
            return team

    return Base


def make_app(store: Store, prefix: str = "/", max_file_bytes: int = 50 * 2**20) -> web.Application:
    Base = _handler_base()

    def refused(handler, exc: StoreError):
        code = getattr(exc, "code", "invalid")
        handler.send({"error": str(exc), "code": code}, 409 if code == "confirm" else 400)

    class Labs(Base):
        @web.authenticated
        def get(self):
            labs = [{**m, "due_shown": shown(m["due"]) if m.get("due") else None} for m in self.store.released()]
            self.send({"course_id": self.store.course_id, "labs": labs})

    class Lab(Base):
        @web.authenticated
        def get(self, lab):
            try:
                self.send({"meta": self.store.released_meta(lab), "files": encode(self.store.released_files(lab))})
            except StoreError as exc:
                raise web.HTTPError(404, str(exc)) from None

        @web.authenticated
        def put(self, lab):
            self.require_instructor()
            data = self.body()
            due = datetime.fromisoformat(data["due"]) if data.get("due") else None
            with tempfile.TemporaryDirectory() as tmp:
                write_tree(Path(tmp), decode(data.get("files", {})))
                try:
                    self.send(self.store.release(lab, Path(tmp), due), 201)
                except StoreError as exc:
                    refused(self, exc)

    class Submissions(Base):
        @web.authenticated
        def get(self, lab):
            team = self.team(lab)
            self.send({"team": team, "submissions": team_view(self.store, lab, team)})

        @web.authenticated
        def post(self, lab):
            data = self.body()
            member = self.who
            team = team_of_server(self.store, lab, self.who)
            if team is not None:  # the team's own server: the member who clicked, if one of the team
                member = data.get("member")
                if member not in self.store.roster().get(lab, {}).get(team, []):
                    return refused(self, policy.Refused("no_team", f"팀 서버에서 제출한 사람({member})이 팀 "
                                                                   f"'{team}'의 팀원이 아닙니다."))
            try:
                record = policy.submit(self.store, lab, member, decode(data.get("files", {})),
                                       confirm=bool(data.get("confirm")), max_file_bytes=self.max_file_bytes)
            except StoreError as exc:
                return refused(self, exc)
            self.send({**record, "shown": shown(record["timestamp"])}, 201)

    class Feedback(Base):
        @web.authenticated
        def get(self, lab, sub_id):
            team = self.team(lab)
            try:
                self.store.submission(lab, team, sub_id)
            except StoreError as exc:
                raise web.HTTPError(404, str(exc)) from None
            self.send({"files": encode(self.store.feedback(lab, team, sub_id))})

    class Roster(Base):
        @web.authenticated
        def put(self):
            self.require_instructor()
            roster = self.body().get("roster")
            if not isinstance(roster, dict):
                raise web.HTTPError(400, "roster must be {lab: {team: [members]}}")
            self.store.set_roster(roster)
            self.send({"labs": sorted(roster)})

    class Activity(Base):
        """POST: a team server's per-member counts (datalit/hub/teamlog.py); only a team server's token."""
        @web.authenticated
        def post(self):
            team = team_of_server_any(self.store, self.who)
            if team is None:
                raise web.HTTPError(403, "only a team server records team activity")
            members = {m for teams in self.store.roster().values() for m in teams.get(team, [])}
            kept = activity.record(self.store, team, members, self.body().get("members") or {})
            self.send({"team": team, "members": kept})

    class TeamActivity(Base):
        @web.authenticated
        def get(self, team):
            self.require_instructor()
            roster = self.store.roster()
            labs = sorted(lab for lab, teams in roster.items() if team in teams)
            members = sorted({m for lab in labs for m in roster[lab][team]})
            rows = activity.summary(self.store, team, members, labs)
            self.send({"team": team, "members": [{**r, "last_active": shown(r["last_active"]) if r["last_active"]
                                                  else None} for r in rows]})

    class All(Base):
        @web.authenticated
        def get(self, lab):
            self.require_instructor()
            self.send({"submissions": self.store.submissions(lab)})

    class TeamSubmission(Base):
        @web.authenticated
        def get(self, lab, team, sub_id):
            self.require_instructor()
            try:
                folder = self.store.submission_dir(lab, team, sub_id)
            except StoreError as exc:
                raise web.HTTPError(404, str(exc)) from None
            self.send({"meta": self.store.submission(lab, team, sub_id), "files": encode(read_tree(folder))})

    class TeamFeedback(Base):
        @web.authenticated
        def put(self, lab, team, sub_id):
            self.require_instructor()
            try:
                self.store.put_feedback(lab, team, sub_id, decode(self.body().get("files", {})))
            except StoreError as exc:
                raise web.HTTPError(404, str(exc)) from None
            self.send({"ok": True})

    n = NAME_RE
    routes = [(r"api/labs", Labs), (rf"api/labs/({n})", Lab), (rf"api/labs/({n})/submissions", Submissions),
              (rf"api/labs/({n})/submissions/({n})/feedback", Feedback), (r"api/roster", Roster),
              (rf"api/labs/({n})/all", All), (r"api/activity", Activity), (rf"api/activity/({n})", TeamActivity), (rf"api/labs/({n})/teams/({n})/({n})", TeamSubmission),
              (rf"api/labs/({n})/teams/({n})/({n})/feedback", TeamFeedback)]
    kw = {"store": store, "max_file_bytes": max_file_bytes}
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    return web.Application([(prefix + r + "/?", h, kw) for r, h in routes],
                           max_body_size=max_file_bytes * 4 + 2**20)


def main() -> int:
    from urllib.parse import urlparse

    from datalit.config import load_config
    from datalit.exchange.client import exchange_root

    cfg = load_config()["lab"]
    store = Store(exchange_root(cfg), cfg["course_id"])
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    app = make_app(store, os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"), cfg["max_file_mb"] * 2**20)
    app.listen(url.port, url.hostname)
    print(f"[{NAME}] serving course {store.course_id} from {store.root} on {url.geturl()}", flush=True)
    ioloop.IOLoop.current().start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
