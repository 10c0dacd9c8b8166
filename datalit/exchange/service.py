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
Every refusal is JSON ``{"error", "message", "code"}`` with the message in Korean: 400 for what a request
cannot be (datalit/exchange/intake.py), 413 for sizes (a body, a file, the number of files, the team's quota
``lab.team_quota_mb``), 403/404/409 as below; never 500 for anything a request sends.
Team servers (their hub user names the team, datalit/hub/teamserver.py):
            POST api/labs/<lab>/submissions           the team's submission, {member} = who clicked (a member)
            POST api/activity                         per-member counts (datalit/hub/teamlog.py)
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from tornado import ioloop, web

from datalit.exchange import activity, intake, policy
from datalit.exchange.client import exchange_root
from datalit.exchange.intake import NAME_RE, encode
from datalit.exchange.store import Store, StoreError, read_tree, remove_partials, write_tree
from datalit.hub.roles import CLI_SERVICE, TEACHING_GROUPS
from datalit.hub.uids import account_name, is_team_name
from datalit.kst import shown

NAME = "datalit-exchange"
log = logging.getLogger(NAME)
STATUS = {"confirm": 409, "not_found": 404, "forbidden": 403, "too_many_requests": 429}  # every other refusal: 400, sizes (TooBig) 413
SAID = {401: "허브 토큰이 없거나 맞지 않습니다.", 403: "이 요청을 할 권한이 없습니다.", 404: "없는 주소입니다.",
        405: "이 주소에서 받지 않는 요청 방식입니다.", 500: "과제 교환 서비스에 오류가 났습니다. 잠시 뒤 다시 "
        "시도하고, 계속되면 강사에게 알려 주세요."}


def team_of_server(store: Store, lab: str, who: str) -> str | None:
    """The team whose team server's hub user is WHO (datalit/hub/teamserver.py), for LAB; else None."""
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

    @web.stream_request_body
    class Base(HubAuthenticated, web.RequestHandler):
        """Bodies are streamed in and counted, so that one over ``limit`` gets our Korean 413 (Tornado's own
        limits answer a bare 400, or drop the connection: the proxy's 503)."""

        def initialize(self, store: Store, limits: dict):
            self.store, self.limits = store, limits
            self.max_file_bytes = limits["max_file_bytes"]

        def limit(self) -> int:
            """The largest body this request may carry (sized by the handlers that take files)."""
            return 64 * 2**10

        def prepare(self):
            self._chunks, self._size, self._limit = [], 0, self.limit()
            # A body over the limit is read to its end and dropped, then answered 413: answering before
            # the proxy has sent it all makes the proxy answer 503 instead. Only one over DRAIN_BYTES
            # is answered at once (and the connection closed).
            self.request.connection.set_max_body_size(intake.DRAIN_BYTES)
            try:
                declared = int(self.request.headers.get("Content-Length") or 0)
            except ValueError:
                declared = 0
            if declared > intake.DRAIN_BYTES:
                self.refuse(intake.too_big(declared, self._limit))

        def data_received(self, chunk: bytes):
            self._size += len(chunk)
            if self._size <= self._limit:
                self._chunks.append(chunk)
            else:
                self._chunks = []

        def check_xsrf_cookie(self):  # token-authenticated API, no cookies
            return

        @property
        def who(self) -> str:
            return self.current_user["name"]

        def is_instructor(self) -> bool:
            u = self.current_user
            if u.get("kind") == "service":
                return u.get("name") == CLI_SERVICE
            return bool(u.get("admin") or set(u.get("groups") or ()) & TEACHING_GROUPS)

        def require_instructor(self):
            if not self.is_instructor():
                raise policy.Refused("forbidden", "강사만 할 수 있는 요청입니다.")

        def body(self) -> dict:
            if self._size > self._limit:
                raise intake.too_big(self._size, self._limit)
            return intake.body_json(b"".join(self._chunks))

        def send(self, data, status: int = 200):
            self.set_status(status)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            try:
                text = json.dumps(data, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate somewhere: escaped, still JSON
                text = json.dumps(data).encode("ascii")
            self.finish(text)

        def refuse(self, exc: StoreError):
            code = getattr(exc, "code", "invalid")
            status = 413 if isinstance(exc, policy.TooBig) else STATUS.get(code, 400)
            self.send({"error": str(exc), "message": str(exc), "code": code}, status)

        def log_exception(self, typ, value, tb):
            if isinstance(value, StoreError):  # a refusal, not a fault
                log.info("%s %s refused: %s", self.request.method, self.request.path, str(value)[:200])
                return
            super().log_exception(typ, value, tb)

        def write_error(self, status_code, **kw):
            exc = kw.get("exc_info", (None, None))[1]
            if isinstance(exc, StoreError):
                return self.refuse(exc)
            message = SAID.get(status_code) or f"요청을 처리하지 못했습니다 (HTTP {status_code})."
            self.send({"error": message, "message": message, "code": str(status_code)}, status_code)

        def team(self, lab: str) -> str:
            team = self.store.team_of(lab, self.who) or team_of_server(self.store, lab, self.who)
            if team is None:
                raise policy.Refused("not_found", f"{self.who}님은 '{lab}' 실습의 팀 명단에 없습니다.")
            return team

    class NotFound(Base):
        """Any other path: 404 once the body is read (an answer before it makes the proxy's next request on
        that connection fail with 503)."""
        def get(self, *args):
            raise web.HTTPError(404)

        post = put = patch = delete = head = options = get

    return Base, NotFound


def make_app(store: Store, prefix: str, limits: dict) -> web.Application:
    """LIMITS: ``max_file_bytes``, ``max_files`` and ``quota_bytes`` (from ``lab.max_file_mb``, ``lab.max_files``
    and ``lab.team_quota_mb``: :func:`limits_of`)."""
    Base, NotFound = _handler_base()
    submission_limit = intake.encoded_limit(limits["max_file_bytes"])

    def not_found(exc: StoreError):
        return policy.Refused("not_found", str(exc))

    class Labs(Base):
        @web.authenticated
        def get(self):
            labs = [{**m, "due_shown": shown(m["due"]) if m.get("due") else None} for m in self.store.released()]
            # the late rule, so that the assignments panel says what a late submission costs (datalit/labs/panel.py)
            self.send({"course_id": self.store.course_id, "labs": labs,
                       "late_penalty_per_day": self.limits.get("late_penalty_per_day")})

    class Lab(Base):
        def limit(self):
            return 4 * submission_limit if self.request.method == "PUT" else super().limit()

        @web.authenticated
        def get(self, lab):
            try:
                self.send({"meta": self.store.released_meta(lab), "files": encode(self.store.released_files(lab))})
            except StoreError as exc:
                raise not_found(exc) from None

        @web.authenticated
        def put(self, lab):
            self.require_instructor()
            data = self.body()
            due, files = intake.due_of(data), intake.files_of(data)
            with tempfile.TemporaryDirectory() as tmp:
                write_tree(Path(tmp), files)
                self.send(self.store.release(lab, Path(tmp), due), 201)

    class Submissions(Base):
        def limit(self):
            return submission_limit if self.request.method == "POST" else super().limit()

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
                if not isinstance(member, str) or member not in self.store.roster().get(lab, {}).get(team, []):
                    shown_member = intake.member_name(member)
                    raise policy.Refused("no_team", f"팀 서버에서 제출한 사람({shown_member})이 팀 "
                                                    f"'{team}'의 팀원이 아닙니다.")
            record = policy.submit(self.store, lab, member, intake.files_of(data), confirm=data.get("confirm") is True,
                                   max_file_bytes=self.max_file_bytes, max_files=self.limits["max_files"],
                                   quota_bytes=self.limits["quota_bytes"])
            self.send({**record, "shown": shown(record["timestamp"])}, 201)

    class Feedback(Base):
        @web.authenticated
        def get(self, lab, sub_id):
            team = self.team(lab)
            try:
                self.store.submission(lab, team, sub_id)
            except StoreError as exc:
                raise not_found(exc) from None
            self.send({"files": encode(self.store.feedback(lab, team, sub_id))})

    class Roster(Base):
        def limit(self):
            return 8 * 2**20

        @web.authenticated
        def put(self):
            self.require_instructor()
            roster = intake.roster_of(self.body())
            self.store.set_roster(roster)
            self.send({"labs": sorted(roster)})

    class Activity(Base):
        """POST: a team server's per-member counts (datalit/hub/teamlog.py); only a team server's token."""
        def limit(self):
            return activity.MAX_POST_BYTES

        @web.authenticated
        def post(self):
            team = team_of_server_any(self.store, self.who)
            if team is None:
                raise policy.Refused("forbidden", "팀 활동은 팀 서버만 기록할 수 있습니다.")
            batch = intake.activity_batch(self.body())
            members = {m for teams in self.store.roster().values() for m in teams.get(team, [])}
            kept = activity.record(self.store, team, members, batch)
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
                raise not_found(exc) from None
            self.send({"meta": self.store.submission(lab, team, sub_id), "files": encode(read_tree(folder))})

    class TeamFeedback(Base):
        def limit(self):
            return submission_limit if self.request.method == "PUT" else super().limit()

        @web.authenticated
        def put(self, lab, team, sub_id):
            self.require_instructor()
            files = intake.files_of(self.body())
            try:
                self.store.submission(lab, team, sub_id)
            except StoreError as exc:
                raise not_found(exc) from None
            self.store.put_feedback(lab, team, sub_id, files)
            self.send({"ok": True})

    n = NAME_RE
    routes = [(r"api/labs", Labs), (rf"api/labs/({n})", Lab), (rf"api/labs/({n})/submissions", Submissions),
              (rf"api/labs/({n})/submissions/({n})/feedback", Feedback), (r"api/roster", Roster),
              (rf"api/labs/({n})/all", All), (r"api/activity", Activity), (rf"api/activity/({n})", TeamActivity),
              (rf"api/labs/({n})/teams/({n})/({n})", TeamSubmission),
              (rf"api/labs/({n})/teams/({n})/({n})/feedback", TeamFeedback)]
    kw = {"store": store, "limits": limits}
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    return web.Application([(prefix + r + "/?", h, kw) for r, h in routes], default_handler_class=NotFound,
                           default_handler_args=kw)


def limits_of(cfg: dict) -> dict:
    """The service's limits from the ``lab`` section (datalit/config.py DEFAULTS)."""
    return {"max_file_bytes": cfg["max_file_mb"] * 2**20, "max_files": cfg["max_files"],
            "quota_bytes": cfg["team_quota_mb"] * 2**20, "late_penalty_per_day": cfg["late_penalty_per_day"]}


def main() -> int:
    from urllib.parse import urlparse

    from datalit.config import load_config

    logging.basicConfig(level=logging.INFO, format=f"[{NAME}] %(message)s")
    cfg = load_config()["lab"]
    store = Store(exchange_root(cfg), cfg["course_id"])
    for left in remove_partials(store.base):  # no request is running yet: these were cut short
        log.info("removed a half-written folder: %s", left)
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    limits = limits_of(cfg)
    app = make_app(store, os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"), limits)
    # bodies are streamed (Base.prepare: each request's own limit); no whole body sits in Tornado's buffer
    app.listen(url.port, url.hostname, max_body_size=intake.DRAIN_BYTES)
    print(f"[{NAME}] serving course {store.course_id} from {store.root} on {url.geturl()}", flush=True)
    ioloop.IOLoop.current().start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
