"""A team member's page script against the instructor, with one origin per server (``hub.subdomain_host``
= ``localhost``: each server on ``<name>.localhost``, which Chromium resolves to loopback without DNS).

The instructor opens the team from the hub's home page (팀 서버 열기) in a real browser and lands on the
live team server, on its own origin. There a member's script (however it got there: the member can even
replace the server's process) tries what worked on the hub's origin: read the hub's XSRF token from a hub
page and ask the hub API for a token of the visitor. It must fail: the hub's cookies belong to
``localhost``, the team server's page cannot read the hub's pages, and the instructor's token list is
unchanged. The same script on the hub's own origin does get a token: the attack is real, only the origin
stops it.
"""
from __future__ import annotations

import re

import pytest
import requests

from stealkit import STEAL_JS, tokens_of
from teamkit import released_course_hub, team_ids, teams_made

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow, pytest.mark.browser]


class _LocalhostSession(requests.Session):
    """A requests session for this hub: browsers send its ``Domain=localhost`` session cookie back, Python's
    cookie jar stores it but never does (no embedded dot); here it is kept as the host's own cookie."""

    def send(self, request, **kwargs):
        r = super().send(request, **kwargs)
        r.encoding = "utf-8"
        for c in [c for c in self.cookies if c.domain == ".localhost"]:
            self.cookies.clear(c.domain, c.path, c.name)
            self.cookies.set(c.name, c.value, domain="localhost.local", path=c.path)
        return r


def _run_on_subdomain(hub, account: str, token: str, code: str) -> str:
    """Run CODE in a kernel of ACCOUNT's server, reached as Python clients must: 127.0.0.1 plus a Host header."""
    import json
    import uuid

    import websocket

    host = f"{account}.localhost:{hub.port}"
    headers = {"Authorization": f"token {token}", "Host": host}
    base = f"http://127.0.0.1:{hub.port}/user/{account}/api"
    kernel = requests.post(f"{base}/kernels", json={"name": "python3"}, headers=headers, timeout=60)
    assert kernel.status_code == 201, (kernel.status_code, kernel.text[:300])
    kid = kernel.json()["id"]
    ws = websocket.create_connection(f"ws://127.0.0.1:{hub.port}/user/{account}/api/kernels/{kid}/channels",
                                     header=[f"Authorization: token {token}"], host=host, timeout=60)
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({"header": {"msg_id": msg_id, "username": "t", "session": uuid.uuid4().hex,
                                   "msg_type": "execute_request", "version": "5.3", "date": ""},
                        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                                    "allow_stdin": False, "stop_on_error": True}}))
    out = []
    while True:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            out.append(f"ERROR {msg['content']['ename']}: {msg['content']['evalue']}")
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    ws.close()
    requests.delete(f"{base}/kernels/{kid}", headers=headers, timeout=30)
    return "".join(out)


@pytest.fixture(scope="module")
def subdomain_hub():
    from hub_fixtures import HubProcess

    with released_course_hub({"DATALIT_HUB_SUBDOMAIN_HOST": "localhost"}) as (hub, course_dir):
        # the hub's address is localhost now (its cookies are set for that domain)
        hub.url = f"http://localhost:{hub.port}"
        saved, HubProcess.session = HubProcess.session, staticmethod(_LocalhostSession)
        try:
            yield hub, course_dir
        finally:
            HubProcess.session = saved


def test_a_script_on_the_team_servers_origin_cannot_take_the_instructors_token(subdomain_hub, tmp_path):
    from playwright.sync_api import sync_playwright

    from browserkit import ARGS, CHROMIUM, log_in, shot
    from datalit.hub.teamserver import account_name

    hub, course_dir = subdomain_hub
    a, _ = hub.new_user()
    instructor, pi = hub.new_user(groups=("instructors", "instructors-beginner"))
    (team,) = team_ids(1)
    account = account_name(team)
    hub_origin = f"http://localhost:{hub.port}"
    team_origin = f"http://{account}.localhost:{hub.port}"
    assert "one origin per server" in hub.log_tail(200), "the banner does not say that servers have their own origin"
    with teams_made(hub, course_dir, {team: [a]}, tmp_path / "team-groups.json"), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_context(locale="ko-KR").new_page()
        page.set_default_timeout(60_000)
        try:
            page.goto(f"{hub_origin}/hub/login?next=/hub/home")
            log_in(page, instructor, pi)
            page.wait_for_url(re.compile(r".*/hub/home.*"))
            row = page.locator(f'.datalit-taught-team[data-team="{team}"]')
            row.locator(".team-open", has_text="팀 서버 열기").click()
            page.wait_for_url(re.compile(rf"^{re.escape(team_origin)}/user/{account}/lab.*"), timeout=180_000)
            page.wait_for_selector(".jp-DirListing", timeout=120_000)
            shot(page, tmp_path, "instructor-team-server.png", prefix="team-subdomain-")
            before = tokens_of(hub, instructor)

            # the member's script, run on the team server's origin in the instructor's browser
            result = page.evaluate(STEAL_JS, [hub_origin, instructor])
            assert not [r for r in result if r.endswith(": 201")], result
            assert tokens_of(hub, instructor) == before, f"the team server's page took a token: {result}"
            cookies = page.evaluate("document.cookie")
            assert "jupyterhub-session-id" not in cookies and "jupyterhub-hub-login" not in cookies, cookies

            # control: the same script on the hub's origin (what every server's page was before) gets one
            page.goto(f"{hub_origin}/hub/home")
            control = page.evaluate(STEAL_JS, ["", instructor])
            assert any(r.endswith(": 201") for r in control), control
            assert tokens_of(hub, instructor) - before
            print(f"the script on the team server's origin: {result}; on the hub's origin: {control}")
            # the hub's own services stay on the hub's origin, where its pages link to them (내 학습 현황)
            shown = page.goto(f"{hub_origin}/services/datalit-progress/")
            assert shown.status == 200 and page.url.startswith(f"{hub_origin}/services/datalit-progress/"), page.url
        finally:
            shot(page, tmp_path, "last.png", prefix="team-subdomain-")
            browser.close()
        # the team server still reaches the grading exchange (straight at its kept port: origins.service_url)
        labs = _run_on_subdomain(hub, account, hub.user_token(a), "from datalit.exchange.client import ExchangeClient\n"
                                 "print(ExchangeClient().labs())")
        assert "ERROR" not in labs and "lab1_bike_story" in labs, labs
