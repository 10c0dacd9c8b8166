"""Issue #11 item 12: the Korean hub as a person meets it after login.

* A citizen logs in and lands on a starting server (no 내 서버 시작 click); the spawn-pending page they see
  while it starts is Korean, its progress messages too (JupyterHub's script still drives it to JupyterLab).
* Their hub home lists only their course and says when the workshop account ends, in Korea time.
* A staff member sees their tier; a hub admin lands on the home page and sees every course; the admin
  page's title and heading are Korean (the React table inside stays English: see hub_config/templates/admin.html).
* A learner whose server is off (idle culler) reads why in Korean and can start it.
"""
from __future__ import annotations

import re

import pytest

from browserkit import korean_page, log_in, open_login, shot

pytestmark = [pytest.mark.hub, pytest.mark.slow]

ENGLISH_PENDING = ("Your server is starting up", "You will be redirected", "Event log")

# kept in sessionStorage (same origin, survives the page's reload into JupyterLab): what the spawn-pending
# page showed a person, read while it was on screen
RECORD_PENDING = """
(() => {
  if (!location.pathname.includes('/hub/spawn-pending/')) return;
  const keep = () => {
    const log = document.getElementById('progress-log');
    const msg = document.getElementById('progress-message');
    if (log) sessionStorage.setItem('pending-log', log.textContent);
    if (msg) sessionStorage.setItem('pending-message', msg.textContent);
  };
  document.addEventListener('DOMContentLoaded', () => {
    sessionStorage.setItem('pending-html', document.documentElement.outerHTML);
    setInterval(keep, 50);
  });
  window.addEventListener('beforeunload', keep);
})();
"""


def _workshop_citizen(hub, tier: str) -> tuple[str, str]:
    (name, password), = hub.workshop_accounts(1, prefix="lp", tier=tier)  # expires 2099-12-31 (a day)
    hub.created.append(name)
    assert set(hub.user_model(name)["groups"]) == {"citizens", tier}
    return name, password


def _tiers_listed(html: str) -> list[str]:
    return re.findall(r'class="mb-2 datalit-course" data-tier="([a-z]+)"', html)


@pytest.mark.browser
def test_citizen_logs_in_to_a_starting_server_then_sees_their_course_and_expiry(hub, tmp_path):
    name, password = _workshop_citizen(hub, "intermediate")
    pending_pages: list[str] = []
    with korean_page() as page:
        try:
            page.add_init_script(RECORD_PENDING)
            page.on("response", lambda r: pending_pages.append(r.url)
                    if "/hub/spawn-pending/" in r.url and r.status == 200 else None)
            open_login(page, hub)
            log_in(page, name, password)
            # no click: the server starts and JupyterLab opens
            page.wait_for_url(re.compile(rf".*/user/{name}/lab.*"), timeout=150_000)
            page.wait_for_selector(".jp-DirListing-item")
            shot(page, tmp_path, "citizen-lab-after-login.png")
            assert pending_pages, "the login did not go through the spawn-pending page"
            html = page.evaluate("sessionStorage.getItem('pending-html')") or ""
            assert "서버를 시작하고 있습니다" in html and "진행 기록" in html, html[-2000:]
            assert not [e for e in ENGLISH_PENDING if e in html], html[-2000:]
            shown_log = page.evaluate("sessionStorage.getItem('pending-log')") or ""
            # the hub's English events, as the page showed them: Korean
            assert "서버를 요청했습니다" in shown_log, shown_log
            assert "Server requested" not in shown_log and "Spawning server" not in shown_log, shown_log

            page.goto(f"{hub.url}/hub/home")
            courses = page.inner_text("#course-list")
            assert "중급 과정" in courses and "입문 과정" not in courses and "고급 과정" not in courses, courses
            assert "시민 과정" not in courses, courses
            assert page.inner_text("#account-expiry").startswith("계정 만료: 2099-12-31 23:59 (KST)")
            assert "내 서버로 가기" in page.inner_text("#start")
            shot(page, tmp_path, "citizen-home.png")
        finally:
            shot(page, tmp_path, "last.png")


def test_each_person_lands_and_sees_the_courses_of_their_groups(hub):
    # the login page (nobody logged in) lists every course
    login_page = hub.session().get(f"{hub.url}/hub/login", timeout=30).text
    assert _tiers_listed(login_page) == ["beginner", "intermediate", "advanced", "citizen"]

    # a staff learner of the advanced course: lands on a starting server, home lists that course, no expiry
    staff, password = hub.new_user(groups=("advanced",))
    session, resp = hub.login(staff, password)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/hub/spawn"), resp.headers
    home = session.get(f"{hub.url}/hub/home", timeout=30).text
    assert _tiers_listed(home) == ["advanced"], home[-1500:]
    assert "계정 만료" not in home

    # a citizen of the beginner course: the expiry in Korea time, the last minute of the promised day
    citizen, cpw = _workshop_citizen(hub, "beginner")
    csession, cresp = hub.login(citizen, cpw)
    assert cresp.status_code == 302 and cresp.headers["Location"].endswith("/hub/spawn")
    chome = csession.get(f"{hub.url}/hub/home", timeout=30).text
    assert _tiers_listed(chome) == ["beginner"]
    assert "계정 만료: 2099-12-31 23:59 (KST)" in chome, chome[-1500:]
    hub.workshop("expire", citizen, "--at", "2099-06-01T15:30:00+09:00")  # a time, not a day: shown as is

    # a workshop account of the default tier (citizen) sees the citizen course, titled in Korean
    default_citizen, dpw = _workshop_citizen(hub, "citizen")
    dsession, _ = hub.login(default_citizen, dpw)
    dhome = dsession.get(f"{hub.url}/hub/home", timeout=30).text
    assert _tiers_listed(dhome) == ["citizen"] and "시민 과정" in dhome, dhome[-1500:]
    assert "계정 만료: 2099-06-01 15:30 (KST)" in csession.get(f"{hub.url}/hub/home", timeout=30).text

    # the hub admin: lands on home (관리, 가입 승인), sees every course; the admin page is titled in Korean
    admin, aresp = hub.login(hub.admin_user, hub.admin_password)
    assert aresp.status_code == 302 and aresp.headers["Location"].endswith("/hub/home"), aresp.headers
    ahome = admin.get(f"{hub.url}/hub/home", timeout=30).text
    assert _tiers_listed(ahome) == ["beginner", "intermediate", "advanced", "citizen"]
    page = admin.get(f"{hub.url}/hub/admin", timeout=30)
    assert page.status_code == 200
    assert re.search(r"<title>\s*관리 · 서울 데이터 리터러시 랩\s*</title>", page.text), page.text[:800]
    assert "관리: 사용자와 서버" in page.text
    assert 'id="react-admin-hook"' in page.text and "admin-react.js" in page.text  # the app itself still loads


def test_a_learner_whose_server_is_off_reads_korean_and_can_start_it(hub):
    """The learner's open JupyterLab tab after the idle culler stopped the server: JupyterHub's
    "Server not running" page, in Korean, with the start button."""
    name, password = hub.new_user(groups=("beginner",))
    hub.spawn(name)
    hub.stop_server(name)  # what the culler does (a server never started says so: test_workshop_landing.py)
    session, resp = hub.login(name, password)
    assert resp.status_code == 302
    page = session.get(f"{hub.url}/hub/user/{name}/lab", timeout=30)
    assert page.status_code == 424, (page.status_code, page.text[-800:])
    assert "내 서버가 꺼져 있습니다" in page.text and "내 서버 시작" in page.text, page.text[-1500:]
    assert "Server not running" not in page.text and "Launch" not in page.text
    assert f'href="/hub/spawn/{name}' in page.text, page.text[-1500:]


def test_a_stale_login_form_gets_the_korean_login_page_not_a_crash(hub):
    """A login form left open past its XSRF token (or posted with a wrong one): JupyterHub answers 403 by
    rendering the login page again; our handler must take the arguments JupyterHub's error page passes (it
    crashed with ``_render() got an unexpected keyword argument 'sync'`` and showed a bare error page)."""
    s = hub.session()
    hub._form(s, "login")  # the _xsrf cookie is set; the form's token is then replaced by a stale one
    before = hub.log.read_text(errors="replace") if hub.log.exists() else ""
    resp = s.post(f"{hub.url}/hub/login?next=", data={"_xsrf": "2|deadbeef|0123456789abcdef|1700000000",
                                                     "username": "nobody1", "password": "x"},
                  timeout=60, allow_redirects=False)
    resp.encoding = "utf-8"
    assert resp.status_code == 403, resp.text[:300]
    assert 'name="username"' in resp.text and "로그인 화면을 연 지 오래되어" in resp.text, resp.text[:500]
    after = hub.log.read_text(errors="replace")[len(before):]
    assert "Uncaught exception" not in after and "unexpected keyword argument" not in after, after[-2000:]
