"""The ``datalit-progress`` hub service: the learning record's one writer and its pages.

Run by the hub (datalit/hub/services.py) as ``python -m datalit.progress.service``. The learner
is always the owner of the hub token (HubAuth), never a field of the request; what a person may read is
decided from the hub's own user model (admin flag, groups), looked up with the service's token.

Kernels (a user server's token):   POST api/events                  one event (datalit/progress/post.py)
Anyone signed in (token or page):  GET  api/me                      their standing in each course
                                   GET  ""                          내 학습 현황 (HTML, hub login)
                                   GET  certificate/<tier>          the 교육 이수증 PDF once completed
A learner or who teaches the tier: GET  api/users/<name>            that learner's standing (own or taught tiers)
Who teaches the tier (admins all): GET  api/courses/<tier>          the dashboard's data
                                   GET  course/<tier>               the dashboard (HTML)
                                   POST course/<tier>/approve       approve a learner's completion (form, _xsrf)
                                   POST api/courses/<tier>/approvals  the same with a token, ``{"user": name}``
Refusals are JSON ``{"error", "message"}`` in Korean (400/401/403/404/429), never a 500 for anything sent.
"""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import sys
import threading
import time
from collections import deque
from pathlib import Path

from tornado import ioloop, web

from datalit.certificate.code import CertificateError
from datalit.certificate.issue import from_standing
from datalit.config import load_config
from datalit.hub.roles import TIER_NAMES, TIERS, tiers_for
from datalit.hub.state import write_private
from datalit.hub.uids import is_team_name
from datalit.kst import now_utc
from datalit.progress import approvals, dashboard, events, pages, record
from datalit.progress.post import VALUE_CHARS

NAME = "datalit-progress"
log = logging.getLogger(NAME)
MAX_BODY = 4096
EVENTS_PER_MINUTE = 120  # per learner: a lesson run from top to bottom posts a few dozen (attack F3: no limit)
QUESTION_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")
DIAGNOSIS_RE = re.compile(r"^(wrong-\d{1,3}|option-[^\s]{1,8}|undiagnosed|unanswered)$")
USER_RE = r"[a-z][a-z0-9_-]{0,31}"
SAID = {400: "요청의 형식이 맞지 않습니다.", 401: "허브 토큰이 없거나 맞지 않습니다.",
        403: "이 기록을 볼 권한이 없습니다.", 404: "없는 주소입니다.", 405: "이 주소에서 받지 않는 요청 방식입니다.",
        500: "학습 기록 서비스에 오류가 났습니다. 잠시 뒤 다시 시도해 주세요."}


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def parse_event(body: bytes) -> tuple[str, dict]:
    """(tier, event without at/user) from a kernel's POST body; Refused(400) for anything else.
    A ``user`` field in the body is ignored (the service sets it from the token)."""
    if len(body) > MAX_BODY:
        raise Refused(400, "기록 한 건이 너무 큽니다.")
    try:
        data = json.loads(body or b"null")
    except ValueError:
        raise Refused(400, "기록은 JSON 객체여야 합니다.") from None
    if not isinstance(data, dict):
        raise Refused(400, "기록은 JSON 객체여야 합니다.")
    module, question, kind = data.get("module"), data.get("question"), data.get("kind")
    found = record.lesson_of_module(module) if isinstance(module, str) else None
    if found is None:
        raise Refused(400, "알 수 없는 강의입니다.")
    tier, lesson = found
    if not isinstance(question, str) or not QUESTION_RE.match(question) or question not in lesson.questions:
        raise Refused(400, "이 강의에 없는 문제입니다.")
    if kind not in events.KINDS:
        raise Refused(400, "알 수 없는 기록 종류입니다.")
    event = {"tier": tier, "lesson": lesson.lesson, "question": question, "kind": kind,
             "ok": None, "diagnosis": None, "value": None}
    if kind == "check":
        if not isinstance(data.get("ok"), bool):
            raise Refused(400, "확인 결과(ok)는 true 또는 false여야 합니다.")
        event["ok"] = data["ok"]
        if not data["ok"]:
            diagnosis, value = data.get("diagnosis"), data.get("value")
            if not isinstance(diagnosis, str) or not DIAGNOSIS_RE.match(diagnosis):
                raise Refused(400, "알 수 없는 진단입니다.")
            event["diagnosis"] = diagnosis
            if diagnosis == "undiagnosed" and isinstance(value, str):
                event["value"] = value[:VALUE_CHARS]
    return tier, event


def make_app(state_dir: Path, prefix: str, cookie_secret: bytes) -> web.Application:
    from jupyterhub.services.auth import HubAuthenticated, HubOAuthCallbackHandler, HubOAuthenticated
    from tornado.httpclient import AsyncHTTPClient, HTTPClientError


    prefix = prefix if prefix.endswith("/") else prefix + "/"
    hub_prefix = os.environ.get("JUPYTERHUB_BASE_URL", "/").rstrip("/") + "/hub/"

    class Base(web.RequestHandler):
        def check_xsrf_cookie(self):  # token-authenticated API; pages are GET only
            return

        async def person(self) -> dict:
            """The caller's hub model ({name, admin, groups}), looked up with the service's token."""
            u = self.current_user
            if u.get("kind") != "user":
                return {"name": u.get("name"), "admin": False, "groups": []}
            api = os.environ["JUPYTERHUB_API_URL"].rstrip("/")
            try:
                resp = await AsyncHTTPClient().fetch(f"{api}/users/{u['name']}", headers={
                    "Authorization": f"token {os.environ['JUPYTERHUB_API_TOKEN']}"}, request_timeout=10)
            except HTTPClientError:
                return {"name": u["name"], "admin": False, "groups": []}
            model = json.loads(resp.body)
            return {"name": u["name"], "admin": bool(model.get("admin")), "groups": list(model.get("groups") or [])}

        @staticmethod
        def teaching(person: dict) -> list[str]:
            if person["admin"]:
                return list(TIERS)
            return [t for t in TIERS if f"instructors-{t}" in person["groups"]]

        def learner_tiers(self, person: dict) -> list[str]:
            mine = {e["tier"] for e in events.read(state_dir, user=person["name"])}
            return [t for t in TIERS if t in mine or t in tiers_for(set(person["groups"]))]

        def standings(self, name: str, tiers: list[str]) -> list[dict]:
            out = []
            needs = approvals.needed(state_dir)
            for tier in tiers:
                try:
                    standing = record.completion(state_dir, name, tier)
                except record.CourseError as exc:
                    log.warning("%s", exc)
                    continue
                approved = approvals.of_tier(state_dir, tier).get(name)
                out.append({**standing, "needs_approval": needs, "approved": approved,
                            "may_download": standing["completed"] and (approved is not None or not needs)})
            return out

        def send(self, data, status: int = 200):
            self.set_status(status)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps(data, ensure_ascii=False))

        def write_error(self, status_code, **kw):
            exc = kw.get("exc_info", (None, None))[1]
            if isinstance(exc, Refused):
                status_code = exc.status
                message = str(exc)
            else:
                message = SAID.get(status_code) or f"요청을 처리하지 못했습니다 (HTTP {status_code})."
            self.set_status(status_code)
            if self.request.path.startswith(prefix + "api/") or status_code >= 500:
                self.send({"error": message, "message": message}, status_code)
            else:
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(pages.message_page("학습 현황", message, **self.common({"name": "", "admin": False,
                                                                                    "groups": []})))

        def log_exception(self, typ, value, tb):
            if isinstance(value, Refused):
                log.info("%s %s refused: %s", self.request.method, self.request.path, value)
                return
            super().log_exception(typ, value, tb)

        def common(self, person: dict) -> dict:
            return {"prefix": prefix, "hub": hub_prefix, "user": person["name"], "tier_names": TIER_NAMES,
                    "teaching": self.teaching(person)}

        def taught(self, person: dict, tier: str) -> None:
            if tier not in TIERS:
                raise Refused(404, "없는 과정입니다.")
            if tier not in self.teaching(person):
                raise Refused(403, "이 과정을 담당하는 강사만 볼 수 있습니다.")

    class Api(HubAuthenticated, Base):
        pass

    class Page(HubOAuthenticated, Base):
        pass

    recent_posts: dict[str, deque] = {}  # learner -> monotonic times of their posts in the last minute

    def admit(name: str) -> None:
        now = time.monotonic()
        recent = recent_posts.setdefault(name, deque())
        while recent and now - recent[0] > 60:
            recent.popleft()
        if len(recent) >= EVENTS_PER_MINUTE:
            raise Refused(429, "학습 기록 요청이 너무 잦습니다. 1분쯤 뒤에 다시 확인해 주세요.")
        recent.append(now)

    class Events(Api):
        @web.authenticated
        def post(self):
            u = self.current_user
            if u.get("kind") != "user":
                raise Refused(403, "학습자의 토큰으로만 기록할 수 있습니다.")
            admit(u["name"])
            tier, event = parse_event(self.request.body)
            if is_team_name(u["name"]):  # a team server's kernel: no one learner's record
                self.set_status(204)
                return self.finish()
            events.append(state_dir, {**event, "at": record_time(), "user": u["name"]})
            self.set_status(204)
            self.finish()

    class Me(Api):
        @web.authenticated
        async def get(self):
            person = await self.person()
            self.send({"user": person["name"], "courses": self.standings(person["name"], self.learner_tiers(person))})

    class UserRecord(Api):
        @web.authenticated
        async def get(self, name):
            person = await self.person()
            tiers = list(TIERS) if name == person["name"] else self.teaching(person)
            if not tiers:
                raise Refused(403, "다른 사람의 학습 기록은 볼 수 없습니다.")
            self.send({"user": name, "courses": self.standings(name, tiers)})

    async def members(tier: str) -> list[str]:
        api = os.environ["JUPYTERHUB_API_URL"].rstrip("/")
        try:
            resp = await AsyncHTTPClient().fetch(f"{api}/groups/{tier}", headers={
                "Authorization": f"token {os.environ['JUPYTERHUB_API_TOKEN']}"}, request_timeout=10)
        except HTTPClientError:
            return []
        return [n for n in json.loads(resp.body).get("users", []) if not is_team_name(n)]

    class CourseApi(Api):
        @web.authenticated
        async def get(self, tier):
            person = await self.person()
            self.taught(person, tier)
            self.send(dashboard.overview(state_dir, tier, await members(tier)))

    class LearnerPage(Page):
        @web.authenticated
        async def get(self):
            person = await self.person()
            html = pages.learner_page(self.standings(person["name"], self.learner_tiers(person)), **self.common(person))
            self.finish(html)

    class DashboardPage(Page):
        @web.authenticated
        async def get(self, tier):
            person = await self.person()
            self.taught(person, tier)
            overview = dashboard.overview(state_dir, tier, await members(tier))
            self.finish(pages.dashboard_page(overview, dashboard.STUCK_FAILS, xsrf=self.xsrf_token.decode("ascii"),
                                             **self.common(person)))

    async def approve(handler, tier: str, name) -> dict:
        """The caller (from the hub) approves learner NAME's completion of TIER: who teaches TIER only."""
        person = await handler.person()
        handler.taught(person, tier)
        if not isinstance(name, str) or not re.fullmatch(USER_RE, name):
            raise Refused(400, "승인할 학습자의 이름이 올바르지 않습니다.")
        if not dashboard.lessons_complete(state_dir, tier, name):
            raise Refused(409, f"{name}님은 아직 이 과정의 강의를 모두 완료하지 않았어요.")
        log.info("%s approved %s's completion of %s", person["name"], name, tier)
        return approvals.approve(state_dir, tier, name, person["name"], record_time())

    class ApprovePage(Page):
        def check_xsrf_cookie(self):  # a form in the browser: the _xsrf field must match the cookie
            return web.RequestHandler.check_xsrf_cookie(self)

        @web.authenticated
        async def post(self, tier):
            await approve(self, tier, self.get_body_argument("user", None))
            self.redirect(f"{prefix}course/{tier}")

    class ApproveApi(Api):
        @web.authenticated
        async def post(self, tier):
            try:
                data = json.loads(self.request.body or b"null")
            except ValueError:
                data = None
            if not isinstance(data, dict):
                raise Refused(400, "요청은 {\"user\": 학습자 이름} 형태의 JSON이어야 합니다.")
            self.send(await approve(self, tier, data.get("user")))

    class Certificate(Page):
        @web.authenticated
        async def get(self, tier):
            person = await self.person()
            if tier not in TIERS:
                raise Refused(404, "없는 과정입니다.")
            standing = record.completion(state_dir, person["name"], tier)
            if not standing["completed"]:
                raise Refused(403, "아직 이 과정을 이수하지 않았어요. 모든 강의의 문제를 통과하고, 과정에 팀 실습이 있으면 그 실습도 이수하면 이수증을 받을 수 있어요.")
            if approvals.needed(state_dir) and person["name"] not in approvals.of_tier(state_dir, tier):
                raise Refused(403, "담당 강사의 이수 확인을 기다리고 있어요. 강사가 학습 현황 대시보드에서 이수를 승인하면 "
                                   "이수증을 내려받을 수 있어요.")
            try:  # signed and registered like `datalit certificate issue` (datalit/certificate/issue.py)
                data = from_standing(state_dir, standing, hub_url=load_config(state_dir=state_dir)["hub"]["public_url"]).pdf
            except CertificateError as exc:
                raise Refused(403, exc.ko) from None
            self.set_header("Content-Type", "application/pdf")
            self.set_header("Content-Disposition", f'attachment; filename="certificate-{tier}.pdf"')
            self.finish(data)

    class NotFound(Base):
        def prepare(self):
            raise Refused(404, SAID[404])

    routes = [(r"api/events", Events), (r"api/me", Me), (rf"api/users/({USER_RE})", UserRecord),
              (r"api/courses/([a-z]+)", CourseApi), (r"course/([a-z]+)", DashboardPage),
              (r"course/([a-z]+)/approve", ApprovePage), (r"api/courses/([a-z]+)/approvals", ApproveApi),
              (r"certificate/([a-z]+)", Certificate), (r"oauth_callback", HubOAuthCallbackHandler), (r"", LearnerPage)]
    return web.Application([(prefix + r + ("/?" if r else ""), h) for r, h in routes], cookie_secret=cookie_secret,
                           default_handler_class=NotFound, xsrf_cookies=False)


def record_time() -> str:
    return now_utc().isoformat(timespec="seconds")


def kept_port(state_dir: Path, low: int, high: int) -> int:
    """The service's port: chosen once from hub.internal_port_min..max, kept in <state>/progress/port.json
    (running user servers reach it through the proxy; a fixed port survives a hub restart)."""
    import random
    import socket

    path = events.folder(state_dir) / "port.json"
    try:
        port = json.loads(path.read_text())["port"]
        if isinstance(port, int) and port > 0:
            return port
    except (OSError, ValueError, KeyError, TypeError):
        pass
    events._private_folder(state_dir)
    candidates = list(range(low, high + 1))
    random.shuffle(candidates)
    for port in candidates:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        write_private(path, json.dumps({"port": port}) + "\n")
        return port
    raise OSError(f"no free port in {low}..{high} for {NAME}")


def _warm() -> None:
    """Read every course (its exercise modules: about 3 s) before the first kernel posts, so that no
    first post outlives the kernel's 0.5 s timeout (the event would still be kept, the kernel not told)."""
    for tier in TIERS:
        try:
            record.course(tier)
        except Exception as exc:  # noqa: BLE001 - a broken course is reported when it is asked for
            log.warning("course %s: %s", tier, exc)


def main() -> int:
    from urllib.parse import urlparse

    logging.basicConfig(level=logging.INFO, format=f"[{NAME}] %(message)s")
    state_dir = Path(os.environ["DATALIT_HUB_STATE_DIR"])
    events._private_folder(state_dir)
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    app = make_app(state_dir, os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"), secrets.token_bytes(32))
    app.listen(url.port, url.hostname, max_body_size=MAX_BODY * 4)
    threading.Thread(target=_warm, name="warm-courses", daemon=True).start()
    print(f"[{NAME}] recording to {events.log_path(state_dir)} on {url.geturl()}", flush=True)
    ioloop.IOLoop.current().start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
