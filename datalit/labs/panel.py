"""The 과제 (assignments) panel: a Korean page of the user's own server, in place of nbgrader's English panel.

A jupyter-server extension (every server, hub_config/user_server/everyone/) serving ``<base>/datalit/assignments``;
JupyterLab opens it in a tab from the 과제 menu or the launcher (datalit/labs/labextension/, a hand-written
prebuilt extension: no node build). Why a server page: it needs no JavaScript build in CI, and it talks to
the exchange through the same client as ``datalit lab fetch/submit`` (datalit/exchange/client.py), so every
check of a submission stays the exchange's.

* Who: the hub's identity of the request (``current_user``), never a form field. On a team server the
  member who clicked is passed as ``member``, which the exchange accepts only from a team server's token and
  only for a member of that team; from a personal server's token it is ignored (the owner submits).
* What a member sees: the exchange's ``team_submissions`` answer, which is the team of the token's owner.
* Forms are POSTs with jupyter-server's XSRF check; the page may be framed by this origin only, and its
  CSP runs only its own inline script (by hash).
* A late submission is not sent until the person confirms it on a page that says how late it is and what
  it costs (datalit/labs/late.py, the rule nbgrader applies); the same for replacing a teammate's submission,
  which the exchange itself refuses until confirmed.
"""
from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
from pathlib import Path

import requests

from datalit.exchange.client import ExchangeClient, Refused
from datalit.exchange.nbgrader_plugin import fetch_feedback_into, lab_files, write_files
from datalit.exchange.store import StoreError
from datalit.kst import now_utc, shown
from datalit.labs.late import lateness
from datalit.labs.panel_view import lab_view, late_warning, percent_per_day

PATH = "datalit/assignments"
TEMPLATES = Path(__file__).parent / "templates"
LABEXTENSIONS = Path(__file__).parent / "labextension"
FAILED = "요청을 처리하지 못했습니다. 새로 고침한 뒤 다시 시도하고, 계속되면 강사에게 알려 주세요."
UNREACHABLE = "과제 교환 서비스에 연결할 수 없습니다. 잠시 뒤 새로 고침하고, 계속되면 강사에게 알려 주세요."


@functools.cache
def _templates():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)


@functools.cache
def _inline(name: str) -> tuple[str, str]:
    """An inline script or style of the page and its CSP hash."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return text, "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def penalty_per_day(labs: dict) -> float:
    """The late rule the exchange states (the hub's ``lab.late_penalty_per_day``); this server's config if an
    older exchange does not say."""
    if labs.get("late_penalty_per_day") is not None:
        return float(labs["late_penalty_per_day"])
    from datalit.config import load_config

    return float(load_config()["lab"]["late_penalty_per_day"])


def policy() -> str:
    _, script = _inline("assignments.js")
    _, style = _inline("assignments.css")
    return (f"frame-ancestors 'self'; default-src 'none'; script-src {script}; style-src {style}; img-src 'self'; "
            "form-action 'self'; base-uri 'none'; connect-src 'none'")


def _handler_class():
    from jupyter_server.auth.decorator import authorized
    from jupyter_server.base.handlers import JupyterHandler
    from tornado import web

    class AssignmentsHandler(JupyterHandler):
        auth_resource = "contents"

        def set_default_headers(self):
            super().set_default_headers()
            self.set_header("Content-Security-Policy", policy())

        @property
        def root(self) -> Path:
            return Path(self.contents_manager.root_dir).resolve()

        def member(self) -> str:
            user = self.current_user
            return getattr(user, "username", None) or getattr(user, "name", "")

        async def call(self, fn, *args, **kw):
            return await asyncio.get_running_loop().run_in_executor(None, functools.partial(fn, *args, **kw))

        @web.authenticated
        @authorized
        async def get(self):
            await self.render_page()

        @web.authenticated
        @authorized
        async def post(self):
            action = self.get_body_argument("action", "")
            lab = self.get_body_argument("lab", "")
            message, error, confirm = None, None, None
            try:
                client = ExchangeClient()
                labs = await self.call(client.labs)
                meta = next((m for m in labs["labs"] if m["lab"] == lab), None)  # only a released lab's name
                if meta is None:
                    raise Refused("not_found", "배포된 실습 중에 그런 이름이 없습니다. 새로 고침한 뒤 다시 고르세요.")
                if action == "fetch":
                    message = await self.call(self.fetch, client, meta)
                elif action == "submit":
                    message, confirm = await self.submit(client, labs, meta)
                elif action == "feedback":
                    got = await self.call(fetch_feedback_into, client, lab, self.root / lab)
                    message = f"피드백 {len(got)}개를 받았습니다." if got else "아직 받을 피드백이 없습니다."
                else:
                    raise Refused("invalid", "알 수 없는 요청입니다. 새로 고침한 뒤 다시 시도하세요.")
            except StoreError as exc:
                error = str(exc)
            except (requests.RequestException, KeyError, ValueError):
                error = UNREACHABLE
            except OSError as exc:
                error = f"실습 폴더에 파일을 쓰거나 읽지 못했습니다 ({exc.strerror or exc})."
            except Exception:  # noqa: BLE001 - a Korean page, never a traceback; the log has it
                self.log.exception("datalit: the 과제 panel failed on %s %s", action, lab)
                error = FAILED
            await self.render_page(message=message, error=error, confirm=confirm)

        def fetch(self, client: ExchangeClient, meta: dict) -> str:
            dest = self.root / meta["lab"]
            if dest.exists():
                return f"'{meta['lab']}'은(는) 이미 받았습니다. 폴더 {meta['lab']}/에서 열어 작업하세요."
            _, files = client.fetch(meta["lab"])
            write_files(dest, files)
            return f"'{meta['lab']}'을(를) 받았습니다. 아래 노트북을 열어 답을 작성하세요."

        async def submit(self, client: ExchangeClient, labs: dict, meta: dict):
            lab = meta["lab"]
            folder = self.root / lab
            if not folder.is_dir():
                raise Refused("missing", f"제출할 폴더 {lab}/가 없습니다. 먼저 '받기'를 누르세요.")
            per_day = penalty_per_day(labs)
            late = lateness(meta.get("due"), now_utc(), per_day)
            late_ok = self.get_body_argument("late_ok", "") == "1"
            if late and not late_ok:  # nothing is sent before the person has read what it costs
                view = lab_view(meta, None, None, self.root, per_day, self.base_url)
                return None, {"lab": lab, "kind": "late", "text": late_warning(view, per_day), "late_ok": "1"}
            files = await self.call(lab_files, folder, self.max_file_bytes())
            try:
                record = await self.call(client.submit, lab, files, confirm=False, member=self.member())
            except Refused as exc:
                if exc.code != "confirm":
                    raise
                return None, {"lab": lab, "kind": "teammate", "text": str(exc), "late_ok": "1" if late_ok else ""}
            said = f"제출했습니다: {lab} · {shown(record['timestamp'])} · {record['member']}"
            done = lateness(meta.get("due"), record["timestamp"], per_day)
            if done:
                said += f" · 마감보다 {done['late']} 늦은 제출 (감점 {done['percent']}%)"
            return said + ". 팀의 마지막 제출이 채점됩니다.", None

        def max_file_bytes(self) -> int:
            from datalit.config import load_config

            return load_config()["lab"]["max_file_mb"] * 2**20

        async def render_page(self, message=None, error=None, confirm=None):
            views, per_day, course, top_error = [], 0.0, "", None
            try:
                client = ExchangeClient()
                labs = await self.call(client.labs)
                per_day = penalty_per_day(labs)
                course = labs.get("course_id", "")
                for meta in labs["labs"]:
                    team, refusal = None, None
                    try:
                        team = await self.call(client.team_submissions, meta["lab"])
                    except Refused as exc:
                        refusal = str(exc)
                    view = lab_view(meta, team, refusal, self.root, per_day, self.base_url)
                    view["warning"] = late_warning(view, per_day)
                    views.append(view)
            except StoreError as exc:
                top_error = str(exc)
            except (requests.RequestException, KeyError, ValueError):
                top_error = UNREACHABLE
            script, _ = _inline("assignments.js")
            style, _ = _inline("assignments.css")
            html = _templates().get_template("assignments.html").render(
                labs=views, course=course, per_day=percent_per_day(per_day), message=message,
                error=error or top_error, confirm=confirm, xsrf=self.xsrf_form_html(), who=self.member(),
                base_url=self.base_url, now=shown(), script=script, style=style)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(html)

    return AssignmentsHandler


def _jupyter_server_extension_points():
    return [{"module": "datalit.labs.panel"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from jupyter_server.utils import url_path_join

    base = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [(url_path_join(base, PATH), _handler_class())])
    serverapp.log.info("datalit: the 과제 panel is at %s", url_path_join(base, PATH))
